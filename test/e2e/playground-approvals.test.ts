/**
 * Every copy of a request the Agents Playground shows agrees, end to end in Debian Chromium: the full stack of
 * `npm run demo` (ARM emulator process, the bot from startBot with the demo policy, SQLite) and the Playground's
 * personal chat, read in the DOM as a person sees it.
 *
 * 1. Paste → Request access → Submit → `requests` → the same paste and Request access again → Cancel on the
 *    earliest view: every card of the request (the submit's answer in place of the diagnosis, the request card the
 *    bot posted in the chat, the later "here is where it stands" answer) says Cancelled with no button left that
 *    can be clicked; the `requests` list says it is a snapshot with its time and never had a button.
 * 2. Break-glass on the form (the demo policy allows it): Submit, and nothing else is clicked: the ARM emulator's
 *    registry gets the rule and every card of the request says Applied, offering only what Applied allows.
 *
 * Copies the Playground cannot show: approver DMs. Its roster holds only its own user, so every DM to the demo
 * policy's approvers fails (getConversationMember 404) and no approver copy exists here. The approver DMs of the
 * same two stories, in Teams (the Bot Connector double's captured posts and updates) and in Slack (the Slack API
 * double's chat.update calls), are checked in test/integration/approval-copies.test.ts.
 * Skipped, with the reason, when Chromium is absent (.ci/run installs it from apt).
 */
import path from 'node:path';
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_ORDER, ACTION_WORDS, statusAllows } from '../../src/core/approvals/index.js';
import type { AccessRequest } from '../../src/core/requests/index.js';
import { createLogger } from '../../src/log.js';
import { startPlayground, type Playground } from '../../tools/playground.js';
import { holdTestOutput } from '../support/quiet.js';
import { startE2eStack, type E2eStack } from './playground-stack.js';
import {
  CARDS,
  CHROMIUM,
  HAVE_CHROMIUM,
  launchChromium,
  openChat,
  say,
  shownCards,
  until,
  type Browser,
  type ShownCard,
} from './playground-ui.js';

const SHOTS = path.resolve('test-results/playground');
if (!HAVE_CHROMIUM) process.stdout.write(`playground approvals e2e skipped: no Chromium at ${CHROMIUM}\n`);

// The Playground's user is in no roster the bot can DM, so the bot warns about it; shown only on failure.
const output = holdTestOutput();

/** The button labels a card of `r` may still offer in its current status (the action table, for anyone). */
function allowedLabels(r: AccessRequest): string[] {
  return ACTION_ORDER.filter((a) => statusAllows(r, a)).map((a) => ACTION_WORDS[a].label);
}

describe.skipIf(!HAVE_CHROMIUM)(`Agents Playground: every copy of a request agrees (Chromium at ${CHROMIUM})`, () => {
  let stack: E2eStack;
  let playground: Playground;
  let browser: Browser;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    stack = await startE2eStack(createLogger('warn', output.log));
    playground = await startPlayground({ botEndpoint: stack.botEndpoint });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await playground?.stop();
    await stack?.close();
  });

  /** Paste `text` and wait for its diagnosis card: a new card with a live Request access. */
  async function paste(page: Page, text: string): Promise<void> {
    const before = (await shownCards(page)).length;
    await say(page, text);
    await until(
      'the diagnosis card',
      () => shownCards(page),
      (cards) => cards.length > before && cards.at(-1)!.liveButtons.includes('Request access'),
      60_000,
    );
  }

  /** Request access on the newest card, and the form in its place, with a reason. */
  async function openForm(page: Page, reason: string): Promise<void> {
    await page.locator(CARDS).last().getByRole('button', { name: 'Request access' }).click();
    await page.getByText(stack.expect.formTitle).last().waitFor({ timeout: 30_000 });
    await page.locator(CARDS).last().locator('textarea').fill(reason);
  }

  /** Every card that is a copy of `r` (each names the request by its id). */
  const copiesOf = async (page: Page, r: AccessRequest): Promise<ShownCard[]> =>
    (await shownCards(page)).filter((c) => c.text.includes(r.id));

  async function story(page: Page, name: string, run: () => Promise<void>): Promise<void> {
    try {
      await run();
      await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
    } catch (err) {
      await page.screenshot({ path: path.join(SHOTS, `${name}-failure.png`), fullPage: true }).catch(() => undefined);
      throw new Error(`${(err as Error).message}\n--- playground output ---\n${playground.output().slice(-3000)}`);
    }
  }

  it('paste → request → cancel: every copy in the chat says Cancelled with no live button; the list is a snapshot', async () => {
    const page = await openChat(browser.context, playground.url);
    const rule = `${stack.expect.ip}/32`;
    await story(page, 'cancel-copies', async () => {
      await paste(page, stack.paste);
      await openForm(page, 'Nightly build agents moved to a new egress IP');
      await page.locator(CARDS).last().getByRole('button', { name: 'Submit request' }).click();
      const r = await until(
        'the request',
        () => stack.requestFor(rule),
        (x) => x?.status === 'pending',
      );
      // The answer in place of the diagnosis, and the card posted in the chat: both pending.
      await until(
        'two pending copies',
        () => copiesOf(page, r!),
        (cs) => cs.length >= 2,
      );

      // `requests`: a snapshot of what is waiting, with its time, and no button.
      await say(page, 'requests');
      await page
        .getByText(/A snapshot: this list/)
        .last()
        .waitFor({ timeout: 30_000 });
      const list = (await shownCards(page)).filter((c) => c.text.includes('A snapshot: this list'));
      expect(list).toHaveLength(1);
      expect(list[0]!.text).toContain(rule);
      expect(list[0]!.text).toMatch(/\(as of \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);
      expect(list[0]!.liveButtons).toEqual([]);

      // The same error again, Request access again: where the request stands, one more view of it with buttons.
      await paste(page, stack.paste);
      await page.locator(CARDS).last().getByRole('button', { name: 'Request access' }).click();
      await page.getByText('You already asked for this').last().waitFor({ timeout: 30_000 });
      const before = await until(
        'three copies',
        () => copiesOf(page, r!),
        (cs) => cs.length >= 3,
      );
      expect(before.filter((c) => c.liveButtons.includes('Cancel request'))).toHaveLength(2);

      // Cancel on the earliest view: the later one, and the chat's card, must follow.
      await page.locator(CARDS, { hasText: r!.id }).first().getByRole('button', { name: 'Cancel request' }).click();
      const cancelled = await until(
        'the request cancelled',
        () => stack.requestFor(rule),
        (x) => !!x && x.version > r!.version,
      );
      expect(cancelled!.status).toBe('cancelled');
      expect(allowedLabels(cancelled!)).toEqual([]);
      const after = await until(
        'every copy to say Cancelled with no live button',
        () => copiesOf(page, r!),
        (cs) => cs.every((c) => c.text.startsWith('Cancelled') && c.liveButtons.length === 0),
      );
      expect(after.length).toBe(before.length);
      for (const c of after) expect(c.text).not.toContain('Waiting for approval');
      // The list was a snapshot from the start: unchanged, and still without a button.
      const listNow = (await shownCards(page)).filter((c) => c.text.includes('A snapshot: this list'));
      expect(listNow).toEqual(list);
    });
  }, 180_000);

  it('break-glass submit: the rule is in the registry with no further click, and every copy says Applied', async () => {
    const page = await openChat(browser.context, playground.url);
    const ip = '20.61.14.38';
    const rule = `${ip}/32`;
    await story(page, 'break-glass-copies', async () => {
      expect(await stack.ipRules('acmeprod')).not.toContain(rule);
      await paste(page, stack.paste.replaceAll(stack.expect.ip, ip));
      await openForm(page, 'Production is down: the payments deploy needs this agent now');
      await page
        .locator(CARDS)
        .last()
        .getByText(/Break glass: apply it now/)
        .click();
      await page.locator(CARDS).last().getByRole('button', { name: 'Submit request' }).click();
      // Nothing else is clicked from here on.
      const rules = await until(
        'the rule in the registry',
        () => stack.ipRules('acmeprod'),
        (rs) => rs.includes(rule),
      );
      expect(rules).toContain(rule);
      const r = await until(
        'the request applied',
        () => stack.requestFor(rule),
        (x) => x?.status === 'applied',
      );
      expect(r).toMatchObject({ breakGlass: true, approvals: [{ as: 'break_glass' }] });
      const allowed = allowedLabels(r!);
      const copies = await until(
        'every copy to say Applied',
        () => copiesOf(page, r!),
        (cs) => cs.length >= 2 && cs.every((c) => c.text.startsWith('Applied')),
      );
      for (const c of copies) {
        expect(c.text).not.toMatch(/Approved: (applying|adding)|Waiting for approval/);
        expect(c.liveButtons.filter((b) => !allowed.includes(b))).toEqual([]);
      }
    });
  }, 180_000);
});
