/**
 * Slack, from the bot's side, for tests and benchmarks on loopback:
 *
 * 1. A local Slack Web API double over real HTTP (`clientOptions.slackApiUrl` / SLACK_API_URL points at `url`). It
 *    answers the methods the bot calls the way Slack does (`auth.test`, `chat.postMessage`, `chat.update`,
 *    `chat.postEphemeral`, `users.info`, `views.open`, …), decodes the form-encoded bodies the WebClient sends
 *    (`blocks` arrive as a JSON string) and records every call, including POSTs to `response_url`s it hands out.
 * 2. Builders for the bodies Slack sends (Events API envelopes, block_actions, slash commands) and a client that
 *    signs them exactly as Slack does (`v0=HMAC-SHA256(secret, "v0:" + ts + ":" + body)`).
 *
 * Waiting is event-driven and bounded (`waitFor`); nothing here sleeps for a fixed time.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signSlackRequest } from '../../src/adapters/slack/verify.js';

export interface SlackApiCall {
  /** Web API method (`chat.postMessage`) or `response_url` for a POST to a response URL. */
  method: string;
  args: Record<string, unknown>;
  /** The Authorization header as received (tests check a token was sent; it is a test token). */
  authorization: string | null;
  path: string;
  /** performance.now() when it arrived (benchmarks count calls inside a time window). */
  at: number;
  /** What the double answered (e.g. the view id views.open gave, the ts chat.postMessage gave). */
  response: Record<string, unknown>;
}

export interface SlackUser {
  name: string;
  email?: string;
  /** A departed user (Slack keeps the record with `deleted: true`). */
  deleted?: boolean;
}

/** The DM channel the double reports for the app's direct message with a user (`U123` → `D123`). */
export function dmChannelOf(userId: string): string {
  return `D${userId.slice(1)}`;
}

export interface SlackApiDouble {
  /** Web API base, with the trailing slash the WebClient expects. */
  url: string;
  calls: SlackApiCall[];
  callsTo(method: string): SlackApiCall[];
  /** Resolves once `count` calls to `method` were recorded; rejects after `timeoutMs` naming what it saw. */
  waitFor(method: string, count?: number, timeoutMs?: number): Promise<SlackApiCall[]>;
  /** A response_url that records what is POSTed to it. */
  responseUrl(id: string): string;
  setUser(id: string, user: SlackUser): void;
  /** The next call to `method` answers `{ok:false, error}` (as Slack does, HTTP 200). */
  failNext(method: string, error: string): void;
  /** Calls other than auth.test, i.e. everything the bot did after starting. */
  workCalls(): SlackApiCall[];
  /** TCP connections accepted (keep-alive check). */
  connections(): number;
  close(): Promise<void>;
}

export const BOT_IDENTITY = {
  user_id: 'UBOT0ACR',
  bot_id: 'BBOT0ACR',
  team_id: 'T0TEST',
  team: 'Test workspace',
  user: 'acr',
};

function decode(contentType: string | undefined, raw: string): Record<string, unknown> {
  if ((contentType ?? '').includes('application/json')) {
    try {
      const v: unknown = JSON.parse(raw);
      return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
    } catch {
      return { _raw: raw };
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    if (k === 'blocks' || k === 'attachments' || k === 'view') {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        /* keep the string */
      }
    }
    out[k] = v;
  }
  return out;
}

export interface SlackApiOptions {
  users?: Record<string, SlackUser>;
  /** The WebSocket URL `apps.connections.open` hands out (Socket Mode); without it the method answers an error. */
  socketUrl?: () => string;
}

export async function startSlackApi(options: SlackApiOptions = {}): Promise<SlackApiDouble> {
  const calls: SlackApiCall[] = [];
  const users = new Map(Object.entries(options.users ?? {}));
  const failures = new Map<string, string>();
  /** Open modals by view id (views.update of an unknown id answers not_found, as Slack does). */
  const views = new Map<string, unknown>();
  const events = new EventEmitter();
  events.setMaxListeners(0);
  let seq = 0;
  let conns = 0;

  function answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    const fail = failures.get(method);
    if (fail) {
      failures.delete(method);
      return { ok: false, error: fail };
    }
    const channel = typeof args.channel === 'string' ? args.channel : 'C0UNKNOWN';
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://test.slack.com/', ...BOT_IDENTITY };
      case 'chat.postMessage': {
        // A user id as the channel posts in the app's DM with that user; Slack answers with the DM's id.
        let target = channel;
        if (/^[UW]/.test(channel)) {
          const u = users.get(channel);
          if (!u) return { ok: false, error: 'channel_not_found' };
          if (u.deleted) return { ok: false, error: 'user_disabled' };
          target = dmChannelOf(channel);
        }
        seq += 1;
        return {
          ok: true,
          channel: target,
          ts: `1800000000.${String(seq).padStart(6, '0')}`,
          message: { type: 'message', text: args.text, user: BOT_IDENTITY.user_id, bot_id: BOT_IDENTITY.bot_id },
        };
      }
      case 'chat.update':
        return { ok: true, channel, ts: args.ts, text: args.text };
      case 'chat.postEphemeral':
        seq += 1;
        return { ok: true, message_ts: `1800000000.${String(seq).padStart(6, '0')}` };
      case 'users.info': {
        const id = String(args.user ?? '');
        const u = users.get(id);
        if (!u) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: userRecord(id, u) };
      }
      case 'users.lookupByEmail': {
        const email = String(args.email ?? '').toLowerCase();
        for (const [id, u] of users)
          if (u.email?.toLowerCase() === email && !u.deleted) return { ok: true, user: userRecord(id, u) };
        return { ok: false, error: 'users_not_found' };
      }
      case 'views.open':
      case 'views.push': {
        if (typeof args.trigger_id !== 'string' || args.trigger_id === '')
          return { ok: false, error: 'invalid_trigger_id' };
        seq += 1;
        const id = `V${String(seq).padStart(6, '0')}`;
        views.set(id, args.view);
        return { ok: true, view: { id, ...(typeof args.view === 'object' ? (args.view as object) : {}) } };
      }
      case 'views.update': {
        const id = String(args.view_id ?? '');
        if (!views.has(id)) return { ok: false, error: 'not_found' };
        views.set(id, args.view);
        return { ok: true, view: { id, ...(typeof args.view === 'object' ? (args.view as object) : {}) } };
      }
      case 'apps.connections.open':
        return options.socketUrl
          ? { ok: true, url: options.socketUrl() }
          : { ok: false, error: 'not_allowed_token_type' };
      default:
        return { ok: true };
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '').split('?')[0]!;
      const args = decode(req.headers['content-type'], raw);
      const auth = typeof req.headers.authorization === 'string' ? req.headers.authorization : null;
      let method: string;
      let body: Record<string, unknown>;
      if (path.startsWith('/api/')) {
        method = path.slice('/api/'.length);
        body = answer(method, args);
      } else if (path.startsWith('/response/')) {
        method = 'response_url';
        body = { ok: true };
      } else {
        // Two calls: restify, when loaded in the same process, makes writeHead return undefined.
        res.writeHead(404);
        res.end();
        return;
      }
      const call: SlackApiCall = { method, args, authorization: auth, path, at: performance.now(), response: body };
      calls.push(call);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
      events.emit('call', call);
    });
  });
  server.on('connection', () => {
    conns += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  const callsTo = (m: string) => calls.filter((c) => c.method === m);

  return {
    url: `${base}/api/`,
    calls,
    callsTo,
    waitFor: (method, count = 1, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = (): boolean => {
          const got = callsTo(method);
          if (got.length >= count) {
            resolve(got);
            return true;
          }
          return false;
        };
        if (check()) return;
        const onCall = (): void => {
          if (check()) done();
        };
        const timer = setTimeout(() => {
          done();
          reject(
            new Error(
              `waited ${timeoutMs} ms for ${count} × ${method}; saw ${calls.map((c) => c.method).join(', ') || 'no calls'}`,
            ),
          );
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          events.off('call', onCall);
        };
        events.on('call', onCall);
      }),
    responseUrl: (id) => `${base}/response/${encodeURIComponent(id)}`,
    setUser: (id, u) => users.set(id, u),
    failNext: (m, e) => failures.set(m, e),
    workCalls: () => calls.filter((c) => c.method !== 'auth.test'),
    connections: () => conns,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function userRecord(id: string, u: SlackUser): Record<string, unknown> {
  return {
    id,
    name: u.name,
    real_name: u.name,
    deleted: u.deleted ?? false,
    is_bot: false,
    profile: { display_name: u.name, real_name: u.name, ...(u.email ? { email: u.email } : {}) },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Requests as Slack sends them
// ---------------------------------------------------------------------------------------------------------------

export interface SignOptions {
  secret: string;
  /** Seconds since the epoch; default now. */
  timestamp?: number;
  /** Replace the computed signature (e.g. a forged one). */
  signature?: string;
  omitTimestamp?: boolean;
  omitSignature?: boolean;
  headers?: Record<string, string>;
}

export interface SentRequest {
  status: number;
  body: string;
}

/** POST a body to the bot exactly as Slack would, signed unless told otherwise. */
export async function postSigned(
  url: string,
  body: string,
  contentType: string,
  opts: SignOptions,
): Promise<SentRequest> {
  const ts = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {
    'content-type': contentType,
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    ...opts.headers,
  };
  if (!opts.omitTimestamp) headers['x-slack-request-timestamp'] = ts;
  if (!opts.omitSignature) headers['x-slack-signature'] = opts.signature ?? signSlackRequest(opts.secret, ts, body);
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, body: await res.text() };
}

export const TEAM = 'T0TEST';
export const CHANNEL = 'C0ACRHELP';
export const USER = 'U0DEV01';

export interface MessageEventInit {
  text: string;
  ts: string;
  user?: string;
  channel?: string;
  channel_type?: 'channel' | 'group' | 'im' | 'mpim';
  thread_ts?: string;
  subtype?: string;
  bot_id?: string;
  blocks?: unknown[];
  type?: 'message' | 'app_mention';
}

/** A user post as `message` / `app_mention` events carry it (shape from Slack's Events API docs). */
export function userPost(init: MessageEventInit): Record<string, unknown> {
  const { type = 'message', channel_type = 'channel', user = USER, channel = CHANNEL, ...rest } = init;
  return {
    type,
    ...rest,
    user,
    channel,
    ...(type === 'message' ? { channel_type } : {}),
    team: TEAM,
    event_ts: init.ts,
    client_msg_id: `0b1e${init.ts.replace('.', '')}`.slice(0, 36),
    blocks: init.blocks ?? [
      {
        type: 'rich_text',
        block_id: 'b1',
        elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: init.text }] }],
      },
    ],
  };
}

/** The Events API envelope (`event_callback`). */
export function eventEnvelope(event: Record<string, unknown>, eventId: string): string {
  return JSON.stringify({
    token: 'verification-token-unused',
    team_id: TEAM,
    api_app_id: 'A0ACRHELP',
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: TEAM, user_id: BOT_IDENTITY.user_id, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  });
}

export interface BlockActionInit {
  actionId: string;
  value?: string;
  user?: string;
  channel?: string;
  messageTs: string;
  threadTs?: string;
  responseUrl: string;
  ephemeral?: boolean;
  /** Default `1234.5678.abcd`; views.open in the double accepts any. */
  triggerId?: string;
  /** Default `d0_actions`. */
  blockId?: string;
  /** The clicker's team (Enterprise Grid: may differ from the app's team). */
  team?: string;
}

/** An interactivity request for a button click (`payload=<JSON>`, form-encoded). */
export function blockActionsBody(init: BlockActionInit): string {
  const channel = init.channel ?? CHANNEL;
  const payload = {
    type: 'block_actions',
    user: { id: init.user ?? USER, username: 'dev', name: 'dev', team_id: init.team ?? TEAM },
    api_app_id: 'A0ACRHELP',
    token: 'verification-token-unused',
    container: {
      type: 'message',
      message_ts: init.messageTs,
      channel_id: channel,
      is_ephemeral: init.ephemeral ?? false,
      ...(init.threadTs ? { thread_ts: init.threadTs } : {}),
    },
    trigger_id: init.triggerId ?? '1234.5678.abcd',
    team: { id: init.team ?? TEAM, domain: 'test' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel, name: 'acr-help' },
    ...(init.ephemeral
      ? {}
      : {
          message: {
            type: 'message',
            user: BOT_IDENTITY.user_id,
            bot_id: BOT_IDENTITY.bot_id,
            ts: init.messageTs,
            text: 'card',
            ...(init.threadTs ? { thread_ts: init.threadTs } : {}),
          },
        }),
    response_url: init.responseUrl,
    actions: [
      {
        type: 'button',
        action_id: init.actionId,
        block_id: init.blockId ?? 'd0_actions',
        text: { type: 'plain_text', text: 'x' },
        ...(init.value !== undefined ? { value: init.value } : {}),
        action_ts: String(Date.now() / 1000),
      },
    ],
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/**
 * A click on a request card's button (Approve, Deny, Narrow, Cancel, Retry, Extend, Revoke): action_id = the verb,
 * value = JSON `{requestId, version}`, exactly as the renderer puts them on the card. Sign and POST it with
 * `postSigned(url, approvalClickBody(…), 'application/x-www-form-urlencoded', { secret })`.
 */
export function approvalClickBody(init: {
  verb: string;
  requestId: string;
  version?: number;
  user?: string;
  channel?: string;
  /** The card's ts (the message chat.update replaces). */
  messageTs: string;
  threadTs?: string;
  responseUrl: string;
  triggerId?: string;
  /** The clicker's team (default: the app's). */
  team?: string;
}): string {
  const { verb, requestId, version, ...rest } = init;
  return blockActionsBody({
    ...rest,
    actionId: verb,
    blockId: 'request_actions',
    value: JSON.stringify(version === undefined ? { requestId } : { requestId, version }),
  });
}

export interface ViewSubmissionInit {
  /** The view as the bot opened it (from the double's views.open / views.update call args). */
  view: { callback_id: string; private_metadata: string; blocks?: unknown[]; title?: unknown };
  /**
   * Input values by FORM_INPUTS name: `reason` and `ticket` text, `duration` option value, `breakGlass` checked,
   * `startsAt` the datetimepicker's Unix seconds (null: nothing picked).
   */
  values: { reason?: string; ticket?: string; duration?: string; breakGlass?: boolean; startsAt?: number | null };
  user?: string;
  viewId?: string;
  triggerId?: string;
}

/**
 * A modal submission (`view_submission`, form-encoded `payload=`), with `view.state.values` shaped as Slack sends
 * them: `values[block_id][action_id]` → `{type:'plain_text_input', value}`, `{type:'static_select',
 * selected_option}`, `{type:'checkboxes', selected_options}`, `{type:'datetimepicker', selected_date_time}`. Only
 * inputs present in the view are sent.
 */
export function viewSubmissionBody(init: ViewSubmissionInit): string {
  const blocks = (init.view.blocks ?? []) as Array<{
    type?: string;
    block_id?: string;
    element?: { type?: string; options?: Array<{ value: string; text: unknown }> };
  }>;
  const values: Record<string, Record<string, unknown>> = {};
  for (const b of blocks) {
    if (b.type !== 'input' || !b.block_id || !b.element) continue;
    const id = b.block_id;
    const e = b.element;
    if (e.type === 'plain_text_input')
      values[id] = {
        [id]: {
          type: e.type,
          value: id === 'reason' || id === 'ticket' ? (init.values[id] ?? null) : null,
        },
      };
    if (e.type === 'static_select') {
      const chosen = e.options?.find((o) => o.value === init.values.duration);
      values[id] = {
        [id]: { type: e.type, selected_option: chosen ? { text: chosen.text, value: chosen.value } : null },
      };
    }
    if (e.type === 'datetimepicker')
      values[id] = { [id]: { type: e.type, selected_date_time: init.values.startsAt ?? null } };
    if (e.type === 'checkboxes') {
      const yes = init.values.breakGlass ? (e.options ?? []).filter((o) => o.value === 'yes') : [];
      values[id] = { [id]: { type: e.type, selected_options: yes.map((o) => ({ text: o.text, value: o.value })) } };
    }
  }
  const payload = {
    type: 'view_submission',
    team: { id: TEAM, domain: 'test' },
    user: { id: init.user ?? USER, username: 'dev', name: 'dev', team_id: TEAM },
    api_app_id: 'A0ACRHELP',
    token: 'verification-token-unused',
    trigger_id: init.triggerId ?? '9876.5432.dcba',
    view: {
      id: init.viewId ?? 'V000001',
      team_id: TEAM,
      type: 'modal',
      callback_id: init.view.callback_id,
      private_metadata: init.view.private_metadata,
      blocks: init.view.blocks ?? [],
      title: init.view.title ?? { type: 'plain_text', text: 'Form' },
      state: { values },
      hash: '1700000000.abcdef',
      app_id: 'A0ACRHELP',
      bot_id: BOT_IDENTITY.bot_id,
      root_view_id: init.viewId ?? 'V000001',
      previous_view_id: null,
      clear_on_close: false,
      notify_on_close: false,
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** A slash command request (form-encoded fields). */
export function slashCommandBody(init: {
  text: string;
  responseUrl: string;
  user?: string;
  channel?: string;
  command?: string;
}): string {
  return new URLSearchParams({
    token: 'verification-token-unused',
    team_id: TEAM,
    team_domain: 'test',
    channel_id: init.channel ?? CHANNEL,
    channel_name: 'acr-help',
    user_id: init.user ?? USER,
    user_name: 'dev',
    command: init.command ?? '/acr',
    text: init.text,
    api_app_id: 'A0ACRHELP',
    response_url: init.responseUrl,
    trigger_id: '1234.5678.abcd',
  }).toString();
}
