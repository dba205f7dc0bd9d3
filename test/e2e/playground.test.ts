/**
 * End to end in the Microsoft 365 Agents Playground, driven by playwright-core in Debian Chromium: paste an ACR
 * error in personal chat and in a channel (@mention through the typeahead), see the card with the cause and the IP,
 * click Show rules and see the rules open in the same card; and the approval flow as far as one Playground user can
 * take it: Request access → the form → a reason → Submit → the approval card (pending, approvers named). The full
 * stack: ARM emulator + the bot from startBot (real parser, diagnosis, gateway, chat service, approval flow with
 * the demo policy, SQLite). The Playground runs no refresh and has one user, so the requester sees the card
 * everyone sees. Screenshots go to test-results/playground/.
 * Skipped, with the reason, when /usr/bin/chromium is absent (.ci/run installs it from apt).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { startPlayground, type Playground } from '../../tools/playground.js';
import { holdTestOutput } from '../support/quiet.js';
import { startE2eStack, type E2eStack } from './playground-stack.js';
import { CHROMIUM, HAVE_CHROMIUM, launchChromium, openChat, type Browser } from './playground-ui.js';

const SHOTS = path.resolve('test-results/playground');
if (!HAVE_CHROMIUM)
  process.stdout.write(
    `playground e2e skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)\n`,
  );

// The one Playground user is never in a roster the bot can DM, so the bot warns about it; shown only on failure.
const output = holdTestOutput();

describe.skipIf(!HAVE_CHROMIUM)(`Agents Playground end to end (Chromium at ${CHROMIUM})`, () => {
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

  const open = (): Promise<Page> => openChat(browser.context, playground.url);

  async function showRules(page: Page, name: string): Promise<void> {
    await page.getByRole('button', { name: 'Show rules' }).last().click();
    await page.getByText(stack.expect.firewallTitle).last().waitFor({ timeout: 30_000 });
    await page.getByText('IP rules', { exact: true }).last().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(SHOTS, `${name}-rules.png`), fullPage: true });
  }

  it('personal chat: paste → card with cause and IP → Show rules', async () => {
    const page = await open();
    try {
      const input = page.locator('[data-lexical-editor="true"][role="textbox"]').first();
      await input.click();
      await page.keyboard.insertText(stack.paste);
      await page.keyboard.press('Enter');
      await page.getByText(stack.expect.causeTitle).last().waitFor({ timeout: 60_000 });
      await expect(page.getByText(stack.expect.ip).last().isVisible()).resolves.toBe(true);
      await page.screenshot({ path: path.join(SHOTS, 'personal-card.png'), fullPage: true });
      await showRules(page, 'personal');
    } catch (err) {
      await page.screenshot({ path: path.join(SHOTS, 'personal-failure.png'), fullPage: true }).catch(() => undefined);
      throw new Error(`${(err as Error).message}\n--- playground output ---\n${playground.output().slice(-3000)}`);
    }
  }, 150_000);

  it('personal chat: paste → Request access → reason → Submit → the approval card, pending, approvers named', async () => {
    const page = await open();
    try {
      const input = page.locator('[data-lexical-editor="true"][role="textbox"]').first();
      await input.click();
      await page.keyboard.insertText(stack.paste);
      await page.keyboard.press('Enter');
      await page.getByText(stack.expect.causeTitle).last().waitFor({ timeout: 60_000 });
      await page.getByRole('button', { name: 'Request access' }).last().click();
      // The form replaces the diagnosis card for the person who clicked.
      await page.getByText(stack.expect.formTitle).last().waitFor({ timeout: 30_000 });
      const reason = page.locator('textarea').last();
      await reason.waitFor({ timeout: 10_000 });
      await page.screenshot({ path: path.join(SHOTS, 'approval-form.png'), fullPage: true });
      await reason.fill('Nightly build agents moved to a new egress IP; CI is blocked');
      await page.getByRole('button', { name: 'Submit request' }).last().click();
      await page.getByText(stack.expect.pendingTitle).last().waitFor({ timeout: 60_000 });
      await page.getByText(stack.expect.approvers).last().waitFor({ timeout: 10_000 });
      await expect(
        page.getByText('Nightly build agents moved to a new egress IP; CI is blocked').last().isVisible(),
      ).resolves.toBe(true);
      await page.screenshot({ path: path.join(SHOTS, 'approval-card.png'), fullPage: true });
      expect(await stack.pendingRequests()).toBe(1);
    } catch (err) {
      await page.screenshot({ path: path.join(SHOTS, 'approval-failure.png'), fullPage: true }).catch(() => undefined);
      throw new Error(`${(err as Error).message}\n--- playground output ---\n${playground.output().slice(-3000)}`);
    }
  }, 150_000);

  it('channel: @mention the bot with the paste → threaded card → Show rules', async () => {
    const page = await open();
    try {
      await page.getByText('General', { exact: true }).first().click();
      const input = page.locator('[data-lexical-editor="true"][role="textbox"]').first();
      await input.click();
      await page.keyboard.type('@Test');
      await page.locator('#typeahead-menu [role=menuitem]', { hasText: 'Test Bot' }).first().click();
      await page.keyboard.insertText(` ${stack.paste}`);
      await page.getByRole('button', { name: 'Post' }).click();
      await page.getByText(stack.expect.causeTitle).last().waitFor({ timeout: 60_000 });
      await expect(page.getByText(stack.expect.ip).last().isVisible()).resolves.toBe(true);
      await page.screenshot({ path: path.join(SHOTS, 'channel-card.png'), fullPage: true });
      await showRules(page, 'channel');
    } catch (err) {
      await page.screenshot({ path: path.join(SHOTS, 'channel-failure.png'), fullPage: true }).catch(() => undefined);
      throw new Error(`${(err as Error).message}\n--- playground output ---\n${playground.output().slice(-3000)}`);
    }
  }, 150_000);
});
