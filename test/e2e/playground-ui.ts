/**
 * Driving the Agents Playground in Debian's Chromium (never a downloaded browser) for the end-to-end tests: launch
 * it, open the chat, say something, and read the Adaptive Cards the chat shows as a person sees them: each card's
 * words and which of its buttons can still be clicked.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);

/** Every card the chat shows, top level only (a card's own show-cards are part of it). */
export const CARDS = '.ac-preview-panel > .ac-adaptiveCard';

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(viewport = { width: 1280, height: 1000 }): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-chrome-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The Playground's page, loaded afresh (its personal chat), once its message box is ready. */
export async function openChat(context: BrowserContext, url: string): Promise<Page> {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.locator('[data-lexical-editor="true"][role="textbox"]').first().waitFor({ timeout: 60_000 });
  return page;
}

/** Type a message into the chat and send it. */
export async function say(page: Page, text: string): Promise<void> {
  await page.locator('[data-lexical-editor="true"][role="textbox"]').first().click();
  await page.keyboard.insertText(text);
  await page.keyboard.press('Enter');
}

export interface ShownCard {
  /** The card's words, whitespace collapsed. */
  text: string;
  /** The labels of its buttons that are neither disabled nor aria-disabled. */
  liveButtons: string[];
}

/** The parts of a DOM element read here (the tests compile without the DOM library). */
interface Element {
  innerText?: string;
  textContent: string | null;
  disabled?: boolean;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<Element>;
}

/** Every card in the chat, in order, as the reader sees it now. */
export async function shownCards(page: Page): Promise<ShownCard[]> {
  return page.locator(CARDS).evaluateAll((cards: Element[]) =>
    cards.map((c) => ({
      // What a person sees: innerText leaves out hidden parts (a collapsed "Details") that textContent would keep.
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what is under test
      text: (c.innerText ?? '').replace(/\s+/g, ' ').trim(),
      liveButtons: Array.from(c.querySelectorAll('button'))
        .filter((b) => b.disabled !== true && b.getAttribute('aria-disabled') !== 'true')
        .map((b) => (b.getAttribute('aria-label') ?? b.textContent ?? '').trim()),
    })),
  );
}

/** Read until `ok` holds (bounded); the last reading goes into the error when it never does. */
export async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last seen:\n${JSON.stringify(v, null, 2).slice(0, 6000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
