/**
 * Socket Mode end to end, on loopback: the bot started as `npm start` would with SLACK_APP_TOKEN (Bolt's
 * SocketModeReceiver), the local Slack API double answering `apps.connections.open` with a ws:// URL of a local
 * WebSocket server that plays Slack's side (hello, then envelopes), the real chat service and Azure gateway against
 * the ARM emulator. Envelope shapes and the acknowledgement (`{"envelope_id": …}` sent back on the socket) as in
 * Slack's Socket Mode docs (https://api.slack.com/apis/socket-mode).
 */
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlack, type SlackAdapter } from '../../src/adapters/slack/app.js';
import { createChatService } from '../../src/app/chat-service.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { createHttpServer, type HttpServer } from '../../src/server.js';
import { gatewayFor } from '../support/azure.js';
import { SAMPLE, startEmulator, type ArmEmulator } from '../support/emulator.js';
import { CHANNEL, slashCommandBody, startSlackApi, userPost, TEAM, type SlackApiDouble } from '../support/slack-api.js';

const APP_TOKEN = 'xapp-1-A0ACRHELP-0000-test';
const PASTE = `Error response from daemon: Head "https://acmeprod.azurecr.io/v2/payments/api/manifests/1.42.0": denied: client with IP '${SAMPLE.aksOutboundIp}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.`;

/** Slack's end of the socket: says hello to each connection, sends envelopes, collects what the bot sends back. */
class SocketModeDouble {
  readonly server: WebSocket.Server;
  readonly received: Array<Record<string, unknown>> = [];
  private socket: WebSocket | null = null;
  private waiters: Array<() => void> = [];
  connections = 0;

  constructor() {
    this.server = new WebSocket.Server({ host: '127.0.0.1', port: 0, path: '/link' });
    this.server.on('connection', (socket) => {
      this.connections += 1;
      this.socket = socket;
      socket.on('message', (data) => {
        this.received.push(JSON.parse(String(data)) as Record<string, unknown>);
        for (const w of this.waiters.splice(0)) w();
      });
      socket.send(
        JSON.stringify({
          type: 'hello',
          num_connections: 1,
          debug_info: { host: 'applink-test', approximate_connection_time: 18060 },
          connection_info: { app_id: 'A0ACRHELP' },
        }),
      );
      for (const w of this.waiters.splice(0)) w();
    });
  }

  url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/link?ticket=test-ticket`;
  }

  send(envelope: Record<string, unknown>): void {
    if (!this.socket) throw new Error('the bot is not connected');
    this.socket.send(JSON.stringify(envelope));
  }

  /** Resolves once `check` holds (checked on every message and connection); rejects after `timeoutMs`. */
  async until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!check()) {
      const left = end - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; received ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  close(): Promise<void> {
    for (const c of this.server.clients) c.terminate();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let emu: ArmEmulator;
let socket: SocketModeDouble;
let api: SlackApiDouble;
let http: HttpServer;
let slack: SlackAdapter;
const logs: string[] = [];

beforeAll(async () => {
  emu = await startEmulator();
  socket = new SocketModeDouble();
  await new Promise<void>((resolve) => socket.server.once('listening', () => resolve()));
  api = await startSlackApi({ users: { U0DEV01: { name: 'Dana Lee' } }, socketUrl: () => socket.url() });
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-socket-test',
    SLACK_APP_TOKEN: APP_TOKEN,
    SLACK_API_URL: api.url,
    LOG_LEVEL: 'silent',
  });
  const logger = createLogger('info', { write: (line: string) => void logs.push(line) });
  http = createHttpServer({ logger, readiness: async () => ({}) });
  const started = await startSlack({
    config: config.slack,
    chat: createChatService({ gateway: gatewayFor(emu) }),
    server: http.server,
    logger,
  });
  if (!started) throw new Error('slack did not start');
  slack = started;
}, 60_000);

afterAll(async () => {
  await slack?.stop(2000);
  await socket?.close();
  await api?.close();
  await emu?.close();
});

describe('Slack over Socket Mode', () => {
  it('connects through apps.connections.open with the app token, to the loopback URL it returned', async () => {
    expect(slack.mode).toBe('socket');
    const open = api.callsTo('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]!.authorization).toBe(`Bearer ${APP_TOKEN}`);
    expect(socket.connections).toBe(1);
  });

  it('acknowledges an events_api envelope and answers the paste in its thread', async () => {
    const ts = '1716000000.000100';
    socket.send({
      envelope_id: 'env-paste-1',
      type: 'events_api',
      accepts_response_payload: false,
      retry_attempt: 0,
      retry_reason: '',
      payload: {
        token: 'unused',
        team_id: TEAM,
        api_app_id: 'A0ACRHELP',
        type: 'event_callback',
        event_id: 'EvSocket1',
        event_time: 1716000000,
        event: userPost({ text: PASTE, ts }),
      },
    });
    await socket.until(() => socket.received.some((m) => m.envelope_id === 'env-paste-1'), 'the ack');
    const posts = await api.waitFor('chat.postMessage', 1);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args).toMatchObject({ channel: CHANNEL, thread_ts: ts });
    expect(String(posts[0]!.args.text)).toContain(SAMPLE.aksOutboundIp);
    expect(posts[0]!.authorization).toBe('Bearer xoxb-socket-test');
  });

  it('acknowledges a slash_commands envelope and answers through its response_url', async () => {
    const before = api.callsTo('response_url').length;
    const form = Object.fromEntries(
      new URLSearchParams(slashCommandBody({ text: 'help', responseUrl: api.responseUrl('socket-cmd') })),
    );
    socket.send({ envelope_id: 'env-cmd-1', type: 'slash_commands', accepts_response_payload: true, payload: form });
    await socket.until(() => socket.received.some((m) => m.envelope_id === 'env-cmd-1'), 'the command ack');
    const answers = await api.waitFor('response_url', before + 1);
    expect(answers.at(-1)!.path).toBe('/response/socket-cmd');
  });

  it('an envelope from another workspace is acknowledged and gets no answer', async () => {
    const posts = api.callsTo('chat.postMessage').length;
    const ts = '1716000000.000200';
    socket.send({
      envelope_id: 'env-evil-1',
      type: 'events_api',
      accepts_response_payload: false,
      payload: {
        team_id: 'TEVIL',
        api_app_id: 'A0ACRHELP',
        type: 'event_callback',
        event_id: 'EvSocketEvil',
        event_time: 1716000000,
        event: { ...userPost({ text: PASTE, ts }), team: 'TEVIL' },
      },
    });
    await socket.until(() => socket.received.some((m) => m.envelope_id === 'env-evil-1'), 'the ack');
    await socket.until(
      () => logs.some((l) => l.includes('outside SLACK_ALLOWED_TEAMS') && l.includes('TEVIL')),
      'the refusal',
    );
    expect(api.callsTo('chat.postMessage')).toHaveLength(posts);
  });
});
