/**
 * manifest/slack/manifest.yaml against what the code registers (src/adapters/slack/settings.ts): events, the slash
 * command, the request path, and the scopes every event and Web API call needs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ACTION_IDS,
  APPROVAL_ACTION_IDS,
  BOT_EVENTS,
  BOT_SCOPES,
  HANDLER_ACTIONS,
  SLACK_EVENTS_PATH,
  SLASH_COMMANDS,
  VIEW_CALLBACK_IDS,
} from '../../src/adapters/slack/settings.js';
import { APPROVAL_VERBS } from '../../src/core/approval-views.js';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TEXT = fs.readFileSync(path.join(ROOT, 'manifest/slack/manifest.yaml'), 'utf8');

interface Manifest {
  _metadata: { major_version: number };
  display_information: { name: string; description: string };
  features: {
    app_home?: { messages_tab_enabled?: boolean };
    bot_user: { display_name: string };
    slash_commands: Array<{ command: string; url?: string; description: string; usage_hint?: string }>;
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url?: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled: boolean;
  };
}

const m = parse(TEXT) as Manifest;
const sorted = (a: readonly string[]) => [...a].sort();
const pathOf = (url: string | undefined) => (url ? new URL(url).pathname : null);

/** Which scope each event and each Web API method the app uses needs (Slack's scope reference). */
const NEEDS: Record<string, string> = {
  app_mention: 'app_mentions:read',
  'message.channels': 'channels:history',
  'message.groups': 'groups:history',
  'message.im': 'im:history',
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'users.info': 'users:read',
  'users.info profile.email': 'users:read.email',
  'users.lookupByEmail': 'users:read.email',
  '/acr': 'commands',
};

describe('Slack manifest', () => {
  it('subscribes to exactly the events the code handles', () => {
    expect(sorted(m.settings.event_subscriptions.bot_events)).toEqual(sorted(BOT_EVENTS));
  });

  it('declares exactly the slash commands the code handles', () => {
    expect(m.features.slash_commands.map((c) => c.command)).toEqual([...SLASH_COMMANDS]);
    for (const c of m.features.slash_commands) expect(c.description.length).toBeLessThanOrEqual(100);
  });

  it('asks for exactly the scopes the code documents, and each use has its scope', () => {
    expect(sorted(m.oauth_config.scopes.bot)).toEqual(sorted(Object.keys(BOT_SCOPES)));
    for (const [use, scope] of Object.entries(NEEDS)) expect(m.oauth_config.scopes.bot, use).toContain(scope);
  });

  it('sends events, interactivity and the command to the path the receiver serves (HTTP mode)', () => {
    expect(m.settings.socket_mode_enabled).toBe(false);
    expect(m.settings.interactivity.is_enabled).toBe(true);
    expect(pathOf(m.settings.event_subscriptions.request_url)).toBe(SLACK_EVENTS_PATH);
    expect(pathOf(m.settings.interactivity.request_url)).toBe(SLACK_EVENTS_PATH);
    for (const c of m.features.slash_commands) expect(pathOf(c.url)).toBe(SLACK_EVENTS_PATH);
  });

  it('enables the Messages tab, which direct messages (message.im) need', () => {
    expect(m.features.app_home?.messages_tab_enabled).toBe(true);
  });

  it('documents Socket Mode (socket_mode_enabled: true, no URLs, SLACK_APP_TOKEN with connections:write)', () => {
    expect(TEXT).toContain('socket_mode_enabled: true');
    expect(TEXT).toContain('connections:write');
    expect(TEXT).toContain('SLACK_APP_TOKEN');
  });

  it('action ids on rendered messages are the ones the listeners register', () => {
    const dir = path.join(ROOT, 'test/golden/slack');
    const used = new Set<string>();
    for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.json') && !x.startsWith('modal-'))) {
      for (const [, id] of fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/"action_id": "([^"]+)"/g))
        used.add(id!);
    }
    expect(sorted([...used])).toEqual(sorted([...Object.values(ACTION_IDS), ...Object.values(APPROVAL_ACTION_IDS)]));
  });

  it('every approval button and modal callback is a verb of the approval contract, and buttons reach the handler', () => {
    const verbs = new Set<string>(Object.values(APPROVAL_VERBS));
    for (const id of [...Object.values(APPROVAL_ACTION_IDS), ...VIEW_CALLBACK_IDS])
      expect(verbs.has(id), id).toBe(true);
    for (const id of Object.values(APPROVAL_ACTION_IDS)) expect(HANDLER_ACTIONS).toContain(id);
    expect(sorted([...VIEW_CALLBACK_IDS])).toEqual(
      sorted(Object.values(APPROVAL_VERBS).filter((v) => v.startsWith('submit_'))),
    );
    const dir = path.join(ROOT, 'test/golden/slack');
    const callbacks = new Set<string>();
    for (const f of fs.readdirSync(dir).filter((x) => x.startsWith('modal-') && x.endsWith('.json'))) {
      callbacks.add((JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { callback_id: string }).callback_id);
    }
    expect(sorted([...callbacks])).toEqual(sorted([...VIEW_CALLBACK_IDS]));
  });

  it('modals need interactivity and no extra scope; DMs by email need users:read.email', () => {
    expect(m.settings.interactivity.is_enabled).toBe(true);
    expect(BOT_SCOPES['users:read.email']).toContain('users.lookupByEmail');
  });
});
