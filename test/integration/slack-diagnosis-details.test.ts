/**
 * Compact diagnoses in Slack over signed HTTP, with the real chat service, Azure gateway and ARM emulator: a paste
 * and a check each get a short message (title, one sentence, Request access / Show rules / Learn more / Details),
 * with the same words as the Teams card of the same diagnosis; Details is acknowledged at once, opens a modal with
 * the click's trigger_id and fills it with the evidence and every fix, for the person who clicked only: the
 * channel's message is not changed and nothing new is posted there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureGateway } from '../../src/adapters/azure/index.js';
import { renderReply as renderTeams } from '../../src/adapters/teams/cards/render.js';
import { createChatService } from '../../src/app/chat-service.js';
import type { ChatHandler } from '../../src/app/chat.js';
import { SAMPLE_STATE_FILE, startEmulatorProcess, type Emulator } from '../../tools/demo.js';
import { slackWords, teamsWords } from '../support/diagnosis-words.js';
import { SAMPLE, azureConfigFor } from '../support/emulator.js';
import {
  BOT_IDENTITY,
  blockActionsBody,
  eventEnvelope,
  postSigned,
  userPost,
  type SlackApiCall,
} from '../support/slack-api.js';
import { SECRET, startHarness, type Harness } from './slack-harness.js';

type Json = any;
const NAME = 'acmeprod';
const IP = SAMPLE.aksOutboundIp;
const PASTE = `Error response from daemon: Head "https://${NAME}.azurecr.io/v2/payments/api/manifests/1.42.0": denied: client with IP '${IP}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.`;

let emulator: Emulator;
let chat: ChatHandler;
let h: Harness;
let seq = 0;
const nextTs = () => `1720000${String(++seq).padStart(3, '0')}.000300`;

beforeAll(async () => {
  emulator = await startEmulatorProcess(SAMPLE_STATE_FILE);
  chat = createChatService({ gateway: createAzureGateway({ azure: azureConfigFor(emulator) }) });
  h = await startHarness(chat);
});
afterAll(async () => {
  await h?.close();
  await emulator?.stop();
});

/** Post `text` in the channel (as a mention when `addressed`); the bot's one answer in its thread. */
async function ask(text: string, addressed = false): Promise<{ ts: string; post: SlackApiCall }> {
  const ts = nextTs();
  const event = addressed
    ? userPost({ type: 'app_mention', text: `<@${BOT_IDENTITY.user_id}> ${text}`, ts })
    : userPost({ text, ts });
  expect(
    (await postSigned(h.url, eventEnvelope(event, `Ev${ts}`), 'application/json', { secret: SECRET })).status,
  ).toBe(200);
  await h.settled();
  const posts = h.api.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === ts);
  expect(posts).toHaveLength(1);
  return { ts, post: posts[0]! };
}

const messageOf = (c: SlackApiCall): Json => ({
  text: c.args.text,
  blocks: typeof c.args.blocks === 'string' ? JSON.parse(c.args.blocks) : c.args.blocks,
});

/** Click Details on the posted message; returns the ack and the modal as it ends up. */
async function clickDetails(post: SlackApiCall, threadTs: string, triggerId: string) {
  const message = messageOf(post);
  const button = message.blocks
    .flatMap((b: Json) => (b.type === 'actions' ? b.elements : []))
    .find((e: Json) => e.action_id === 'details');
  expect(button?.text.text).toBe('Details');
  const opens = h.api.callsTo('views.open').length;
  const updates = h.api.callsTo('views.update').length;
  const body = blockActionsBody({
    actionId: 'details',
    value: button.value,
    messageTs: String(post.response.ts),
    threadTs,
    responseUrl: `${h.api.url}/response/details-${triggerId}`,
    triggerId,
  });
  const ack = await postSigned(h.url, body, 'application/x-www-form-urlencoded', { secret: SECRET });
  await h.api.waitFor('views.update', updates + 1);
  await h.settled();
  const open = h.api.callsTo('views.open')[opens]!;
  const update = h.api.callsTo('views.update').at(-1)!;
  const view = (typeof update.args.view === 'string' ? JSON.parse(update.args.view) : update.args.view) as Json;
  return { ack, open, update, view };
}

/** The Teams card the same chat service answers the same words with. */
async function teamsCard(text: string, addressed: boolean): Promise<Json> {
  const reply = await chat.onMessage({
    text,
    addressed,
    actor: { platform: 'teams', id: '29:dev', displayName: 'Dev One', email: null },
    conversation: { platform: 'teams', kind: 'channel', conversationId: '19:acr', threadId: null, messageId: null },
  });
  expect(reply?.type).toBe('diagnoses');
  return renderTeams(reply!);
}

describe('Slack compact diagnoses and Details', () => {
  for (const [name, text, addressed] of [
    ['a pasted denial', PASTE, false],
    ['a check (@acr <registry> <ip>)', `${NAME} ${IP}`, true],
  ] as const) {
    it(`${name}: a short message with Teams' words; Details opens the evidence and fixes in a modal`, async () => {
      const { ts, post } = await ask(text, addressed);
      const message = messageOf(post);
      // The first screen: the title and one sentence, then the buttons. No evidence, no fixes.
      expect(message.blocks.map((b: Json) => b.block_id)).toEqual(['d0', 'd0_actions']);
      expect(JSON.stringify(message.blocks)).not.toMatch(/IP owner|Client IP|Fixes, smallest first/);

      const postsBefore = h.api.callsTo('chat.postMessage').length;
      const { ack, open, update, view } = await clickDetails(post, ts, `trig-${ts}`);
      expect(ack.status).toBe(200);
      expect(ack.body).toBe('');
      expect(open.args.trigger_id).toBe(`trig-${ts}`);
      expect(update.args.view_id).toBe((open.response.view as { id: string }).id);
      expect(view.title.text).toBe('Details');
      const shown = JSON.stringify(view.blocks);
      expect(shown).toContain('*Client IP*');
      expect(shown).toContain('*IP owner*');
      expect(shown).toContain('Fixes, smallest first');
      // For the clicker only: the channel's message is not replaced and nothing is posted there.
      expect(h.api.callsTo('chat.update')).toHaveLength(0);
      expect(h.api.callsTo('chat.postEphemeral')).toHaveLength(0);
      expect(h.api.callsTo('chat.postMessage').length).toBe(postsBefore);

      const slack = slackWords(message, view);
      const teams = teamsWords(await teamsCard(text, addressed));
      expect(slack.title).toBe(teams.title);
      if (addressed) expect(teams.title).toBe(`${IP} is refused by ${NAME}`);
      expect(slack.summary).toBe(teams.summary);
      expect(slack.facts).toEqual(teams.facts);
      expect(slack.fixes).toEqual(teams.fixes);
      expect(slack.fixes.length).toBeGreaterThan(0);
      expect(slack.buttons).toEqual(teams.buttons);
      expect(teams.buttons).toEqual(['Request access', 'Show rules', 'Learn more', 'Details']);
    });
  }
});
