/**
 * Compact diagnosis cards in the Microsoft 365 Agents Playground, driven by playwright-core in Debian Chromium, on the
 * full stack (ARM emulator + the bot from startBot, as `npm run demo`):
 * - the first screen of a diagnosis card shows the cause and the actions without a click: the cause title and the
 *   Request access button lie within the first viewport, the evidence is hidden, and Details shows it (and Hide
 *   details hides it again). A screenshot of the card is kept in test-artifacts/playground-diagnosis/;
 * - Show rules shows the registry's rules inside the same card: the diagnosis, its Request access and Details stay,
 *   Request access still opens its form afterwards, and Hide rules is the way back. In a channel too.
 * Skipped, with the reason, when /usr/bin/chromium is absent (.ci/run installs it from apt).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { startPlayground, type Playground } from '../../tools/playground.js';
import { holdTestOutput } from '../support/quiet.js';
import { startE2eStack, type E2eStack } from './playground-stack.js';
import { CHROMIUM, HAVE_CHROMIUM, launchChromium, openChat, type Browser } from './playground-ui.js';

const ARTIFACTS = path.resolve('test-artifacts/playground-diagnosis');
const VIEWPORT = { width: 1280, height: 900 };
if (!HAVE_CHROMIUM)
  process.stdout.write(
    `playground diagnosis e2e skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)\n`,
  );

const output = holdTestOutput();

describe.skipIf(!HAVE_CHROMIUM)(`Agents Playground: compact diagnosis cards (Chromium at ${CHROMIUM})`, () => {
  let stack: E2eStack;
  let playground: Playground;
  let browser: Browser;

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    stack = await startE2eStack(createLogger('warn', output.log));
    playground = await startPlayground({ botEndpoint: stack.botEndpoint });
    browser = await launchChromium(VIEWPORT);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await playground?.stop();
    await stack?.close();
  });

  const open = (): Promise<Page> => openChat(browser.context, playground.url);

  /** Paste the error (in a channel: @mention the bot first) and return the card that answers it. */
  async function paste(page: Page, channel: boolean): Promise<Locator> {
    if (channel) await page.getByText('General', { exact: true }).first().click();
    const input = page.locator('[data-lexical-editor="true"][role="textbox"]').first();
    await input.click();
    if (channel) {
      await page.keyboard.type('@Test');
      await page.locator('#typeahead-menu [role=menuitem]', { hasText: 'Test Bot' }).first().click();
      await page.keyboard.insertText(` ${stack.paste}`);
      await page.getByRole('button', { name: 'Post' }).click();
    } else {
      await page.keyboard.insertText(stack.paste);
      await page.keyboard.press('Enter');
    }
    await page.getByText(stack.expect.causeTitle).last().waitFor({ timeout: 60_000 });
    return page.locator('.ac-adaptiveCard', { hasText: stack.expect.causeTitle }).last();
  }

  /** Within the page's first viewport, entirely. */
  async function onFirstScreen(locator: Locator): Promise<boolean> {
    const box = await locator.boundingBox();
    return box !== null && box.y >= 0 && box.y + box.height <= VIEWPORT.height;
  }

  async function failed(page: Page, name: string, err: unknown): Promise<never> {
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-failure.png`), fullPage: true }).catch(() => undefined);
    throw new Error(`${(err as Error).message}\n--- playground output ---\n${playground.output().slice(-3000)}`);
  }

  it('the first screen shows the cause and the actions; Details reveals the evidence', async () => {
    const page = await open();
    try {
      const card = await paste(page, false);
      const title = card.getByText(stack.expect.causeTitle);
      const request = card.getByRole('button', { name: 'Request access' });
      await expect(title.isVisible()).resolves.toBe(true);
      await expect(request.isVisible()).resolves.toBe(true);
      await expect(onFirstScreen(title)).resolves.toBe(true);
      await expect(onFirstScreen(request)).resolves.toBe(true);
      // Learn more opens a page: the Playground gives it the role of a link.
      for (const name of ['Show rules', 'Learn more', 'Details'])
        await expect(card.getByText(name, { exact: true }).isVisible(), name).resolves.toBe(true);
      // Evidence and fixes wait behind Details.
      await expect(card.getByText('IP owner').isVisible()).resolves.toBe(false);
      await expect(card.getByText('Fixes, smallest first').isVisible()).resolves.toBe(false);
      await card.screenshot({ path: path.join(ARTIFACTS, 'diagnosis-card.png') });
      await page.screenshot({ path: path.join(ARTIFACTS, 'diagnosis-first-screen.png') });

      await card.getByRole('button', { name: 'Details', exact: true }).click();
      await card.getByText('IP owner').waitFor({ timeout: 10_000 });
      await expect(card.getByText(stack.expect.ip).first().isVisible()).resolves.toBe(true);
      await expect(card.getByText('Fixes, smallest first').isVisible()).resolves.toBe(true);
      await card.screenshot({ path: path.join(ARTIFACTS, 'diagnosis-card-details.png') });
      await card.getByRole('button', { name: 'Hide details' }).click();
      await card.getByText('IP owner').waitFor({ state: 'hidden', timeout: 10_000 });
    } catch (err) {
      await failed(page, 'first-screen', err);
    }
  }, 150_000);

  for (const where of ['personal', 'channel'] as const) {
    it(`${where}: Show rules keeps the diagnosis and Request access reachable`, async () => {
      const page = await open();
      try {
        const card = await paste(page, where === 'channel');
        await card.getByRole('button', { name: 'Show rules' }).click();
        await card.getByText(stack.expect.firewallTitle).waitFor({ timeout: 10_000 });
        await expect(card.getByText('IP rules', { exact: true }).isVisible()).resolves.toBe(true);
        // The diagnosis is still there, on the same card, with its actions.
        await expect(card.getByText(stack.expect.causeTitle).isVisible()).resolves.toBe(true);
        await expect(card.getByRole('button', { name: 'Details', exact: true }).isVisible()).resolves.toBe(true);
        await card.screenshot({ path: path.join(ARTIFACTS, `${where}-rules.png`) });
        await card.getByRole('button', { name: 'Hide rules' }).click();
        await card.getByText(stack.expect.firewallTitle).waitFor({ state: 'hidden', timeout: 10_000 });
        // Request access still works after Show rules: its form comes.
        await card.getByRole('button', { name: 'Request access' }).click();
        await page.getByText(stack.expect.formTitle).last().waitFor({ timeout: 30_000 });
      } catch (err) {
        await failed(page, `${where}-rules`, err);
      }
    }, 150_000);
  }
});
