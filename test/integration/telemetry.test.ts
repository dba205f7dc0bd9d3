/**
 * Metrics and traces on the real bot: startBot from its environment with METRICS_PORT=0 and the standard
 * OTEL_EXPORTER_OTLP_* variables pointed at a local collector double (OTLP/HTTP JSON), Slack on the local Slack API
 * double, Azure through the bot's own gateway against the ARM emulator (AZURE_RESOURCE_MANAGER_ENDPOINT +
 * AZURE_EMULATOR_CA), a SQLite file, a policy file, an audit channel in Slack. A paste and a full approval move the
 * counters on GET /metrics; the collector receives the metrics and the spans of a turn (the turn, its parse, its ARM
 * calls and its store calls in one trace).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { startBot, type RunningBot } from '../../src/main.js';
import { testClock } from '../support/azure.js';
import { SAMPLE, startEmulator, type ArmEmulator } from '../support/emulator.js';
import { holdTestOutput } from '../support/quiet.js';
import {
  CHANNEL,
  USER,
  approvalClickBody,
  blockActionsBody,
  eventEnvelope,
  postSigned,
  startSlackApi,
  userPost,
  viewSubmissionBody,
  type SlackApiCall,
  type SlackApiDouble,
} from '../support/slack-api.js';

const output = holdTestOutput();
const SECRET = 'telemetry-signing-secret-7e6d5c';
const FORM = 'application/x-www-form-urlencoded';
const CAROL = 'U0CAROL1';
const AUDIT_CHANNEL = 'C0AUDIT01';
const NAME = 'acmeprod';
const IP = SAMPLE.aksOutboundIp;
const RULE = `${IP}/32`;
const PASTE_TS = '1710000200.000100';
const PASTE = `Error response from daemon: Head "https://${NAME}.azurecr.io/v2/payments/api/manifests/1.42.0": denied: client with IP '${IP}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.`;
const POLICY = `
version: 1
defaults:
  approvers:
    - slack:${CAROL}
  minApprovals: 1
  duration:
    default: 1h
    max: 1d
  pendingTimeout: 1d
  notify:
    directMessages: true
channels:
  - slack: ${CHANNEL}
    registries: ["acme*"]
`;

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}

/** An OpenTelemetry collector's OTLP/HTTP receiver, reduced to keeping what it is sent (JSON encoding). */
class Collector {
  readonly metrics: Array<Record<string, unknown>> = [];
  readonly spans: OtlpSpan[] = [];
  private server: http.Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        if (req.url === '/v1/metrics') this.metrics.push(body);
        if (req.url === '/v1/traces') {
          for (const rs of (body.resourceSpans ?? []) as Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }>)
            for (const ss of rs.scopeSpans) this.spans.push(...ss.spans);
        }
        res.statusCode = 200;
        res.setHeader('content-type', 'application/json');
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  metricNames(): Set<string> {
    const names = new Set<string>();
    for (const body of this.metrics)
      for (const rm of (body.resourceMetrics ?? []) as Array<{
        scopeMetrics: Array<{ metrics: Array<{ name: string }> }>;
      }>)
        for (const sm of rm.scopeMetrics) for (const m of sm.metrics) names.add(m.name);
    return names;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

let dir: string;
let emu: ArmEmulator;
let api: SlackApiDouble;
let bot: RunningBot;
const collector = new Collector();
const clock = testClock(Date.parse('2026-03-02T09:00:00Z'));
let url: string;

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function settle(): Promise<void> {
  await bot.approvals.idle(20_000);
  await until('Slack listeners finished', () => (bot.slack?.inFlight() ?? 0) === 0, 10_000);
  await bot.approvals.idle(20_000);
}

/** GET /metrics on the metrics port, as `name{labels}` → value. */
async function scrape(): Promise<Map<string, number>> {
  const res = await fetch(`http://127.0.0.1:${bot.metricsPort}/metrics`);
  expect(res.status).toBe(200);
  const out = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    const m = /^([a-z_]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

function buttonValue(call: SlackApiCall, actionId: string): string {
  for (const b of (call.args.blocks ?? []) as Array<{
    type: string;
    elements?: Array<{ action_id: string; value?: string }>;
  }>) {
    const hit = b.type === 'actions' ? b.elements?.find((e) => e.action_id === actionId) : undefined;
    if (hit?.value) return hit.value;
  }
  throw new Error(`no ${actionId} button on the message`);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-telemetry-'));
  const policyFile = path.join(dir, 'policy.yaml');
  fs.writeFileSync(policyFile, POLICY);
  emu = await startEmulator({ lro: { pollsBeforeDone: 1, retryAfterSeconds: 0 } });
  api = await startSlackApi({
    users: {
      [USER]: { name: 'Dana Lee', email: 'dana@contoso.com' },
      [CAROL]: { name: 'Carol Approver', email: 'carol@contoso.com' },
    },
  });
  await collector.start();
  bot = await startBot(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      METRICS_PORT: '0',
      LOG_LEVEL: 'info',
      DATABASE_URL: `sqlite:${path.join(dir, 'bot.db')}`,
      POLICY_FILE: policyFile,
      SLACK_BOT_TOKEN: 'xoxb-telemetry-token',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: api.url,
      AZURE_RESOURCE_MANAGER_ENDPOINT: emu.url,
      AZURE_EMULATOR_CA: emu.caPath,
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_METRIC_EXPORT_INTERVAL: '1000',
      AUDIT_CHANNEL_SLACK: AUDIT_CHANNEL,
    },
    createLogger('info', output.log),
    {
      clock,
      approvals: { debounceMs: 20, retryBaseMs: 10, retryMaxMs: 50, lockTimeoutMs: 20_000, stopTimeoutMs: 5_000 },
      auditOut: { pollMs: 20, retryBaseMs: 20, retryMaxMs: 200 },
    },
  );
  url = `http://127.0.0.1:${bot.port}/slack/events`;
}, 60_000);

afterAll(async () => {
  await bot?.stop();
  await api?.close();
  await emu?.close();
  await collector.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('metrics and traces on the real bot', () => {
  it('serves Prometheus text on its own port, not on the bot port', async () => {
    expect(bot.metricsPort).not.toBe(bot.port);
    const before = await scrape();
    expect(before.get('acr_access_requests{status="pending"}')).toBe(0);
    expect(before.get('acr_access_grants_active')).toBe(0);
    expect(before.get('acr_access_grant_expiry_lag_seconds')).toBe(0);
    expect([...before.keys()].some((k) => k.startsWith('acr_access_pastes_total'))).toBe(false);
    expect((await fetch(`http://127.0.0.1:${bot.port}/metrics`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${bot.metricsPort}/api/messages`)).status).toBe(404);
  });

  it('a paste and a full approval move the counters, histograms and gauges', async () => {
    // The paste: diagnosis in its thread.
    await postSigned(url, eventEnvelope(userPost({ text: PASTE, ts: PASTE_TS }), 'EvTel1'), 'application/json', {
      secret: SECRET,
    });
    await api.waitFor('chat.postMessage');
    await settle();
    const answer = api.callsTo('chat.postMessage').find((c) => c.args.thread_ts === PASTE_TS)!;
    // Request access → the modal → submit.
    const updates = api.callsTo('views.update').length;
    await postSigned(
      url,
      blockActionsBody({
        actionId: 'request_access',
        value: buttonValue(answer, 'request_access'),
        messageTs: answer.response.ts as string,
        threadTs: PASTE_TS,
        responseUrl: api.responseUrl('ra'),
        triggerId: 'trig-tel-1',
      }),
      FORM,
      { secret: SECRET },
    );
    const form = (await api.waitFor('views.update', updates + 1)).at(-1)!.args.view as Parameters<
      typeof viewSubmissionBody
    >[0]['view'];
    await settle();
    await postSigned(
      url,
      viewSubmissionBody({ view: form, values: { reason: 'Release 1.42', duration: '1h' } }),
      FORM,
      {
        secret: SECRET,
      },
    );
    await settle();
    const [request] = await bot.store.listRequests({ registry: SAMPLE.acmeprod });
    expect(request).toMatchObject({ status: 'pending', rule: RULE });
    const card = api
      .callsTo('chat.postMessage')
      .find(
        (c) =>
          c.args.channel === CHANNEL &&
          c.args.thread_ts === PASTE_TS &&
          JSON.stringify(c.args.blocks ?? []).includes('"action_id":"approve"'),
      )!;
    // Ten minutes later the approver approves: the worker applies the rule.
    clock.advance(10 * 60_000);
    await postSigned(
      url,
      approvalClickBody({
        verb: 'approve',
        requestId: request!.id,
        version: request!.version,
        user: CAROL,
        messageTs: card.response.ts as string,
        threadTs: PASTE_TS,
        responseUrl: api.responseUrl('carol'),
      }),
      FORM,
      { secret: SECRET },
    );
    await settle();
    expect((await bot.store.getRequest(request!.id))?.status).toBe('applied');

    const m = await scrape();
    expect(m.get('acr_access_pastes_total{platform="slack",kind="firewall_denied"}')).toBe(1);
    expect(m.get('acr_access_diagnoses_total{cause="ip_not_allowed"}')).toBe(1);
    expect(m.get('acr_access_replies_seconds_count{platform="slack"}')).toBe(1);
    expect(m.get('acr_access_decision_seconds_count')).toBe(1);
    expect(m.get('acr_access_decision_seconds_sum')).toBe(600);
    expect(m.get('acr_access_apply_seconds_count')).toBe(1);
    expect(m.get('acr_access_apply_failures_total') ?? 0).toBe(0);
    expect(m.get('acr_access_requests{status="applied"}')).toBe(1);
    expect(m.get('acr_access_requests{status="pending"}')).toBe(0);
    expect(m.get('acr_access_grants_active')).toBe(1);
    expect(m.get('acr_access_grant_expiry_lag_seconds')).toBe(0);
    expect(m.has('acr_access_audit_outbox_pending{sink="slack-channel"}')).toBe(true);
    const rules = (emu.state.registry(NAME)!.properties as { networkRuleSet: { ipRules: unknown[] } }).networkRuleSet
      .ipRules.length;
    expect(m.get(`acr_access_registry_ip_rules{registry="${NAME}"}`)).toBe(rules);
    const arm = [...m].filter(([k]) => k.startsWith('acr_access_arm_requests_total'));
    expect(arm.find(([k]) => k.includes('operation="PATCH microsoft.containerregistry/registries"'))?.[1]).toBe(1);
    expect(arm.some(([k, v]) => k.includes('operation="GET microsoft.containerregistry/registries"') && v > 0)).toBe(
      true,
    );
    expect(arm.some(([k]) => k.includes('operation="POST microsoft.resourcegraph/resources"'))).toBe(true);
  });

  it('the expiry lag grows while a grant is past its end, and is 0 again once it has expired', async () => {
    clock.advance(90 * 60_000); // applied at 09:10 for 1 h, now 10:40: the grant ended 30 minutes ago
    expect((await scrape()).get('acr_access_grant_expiry_lag_seconds')).toBe(30 * 60);
    await bot.approvals.tick();
    await settle();
    const m = await scrape();
    expect(m.get('acr_access_grant_expiry_lag_seconds')).toBe(0);
    expect(m.get('acr_access_grants_active')).toBe(0);
    expect(m.get('acr_access_requests{status="expired"}')).toBe(1);
  });

  it('exports metrics and the spans of a turn (turn, parse, ARM calls, store) to the OTLP collector', async () => {
    await until('the collector got the bot metrics', () => collector.metricNames().has('acr_access_pastes_total'));
    expect([...collector.metricNames()]).toEqual(
      expect.arrayContaining(['acr_access_requests', 'acr_access_arm_requests_total', 'acr_access_replies_seconds']),
    );
    await until('the collector got a turn with ARM calls', () => {
      const turn = collector.spans.find(
        (s) =>
          s.name === 'chat.turn' && collector.spans.some((c) => c.traceId === s.traceId && c.name.startsWith('ARM ')),
      );
      return turn !== undefined;
    });
    const turn = collector.spans.find(
      (s) =>
        s.name === 'chat.turn' && collector.spans.some((c) => c.traceId === s.traceId && c.name.startsWith('ARM ')),
    )!;
    const inTurn = collector.spans.filter((s) => s.traceId === turn.traceId);
    expect(turn.parentSpanId ?? '').toBe('');
    expect(inTurn.find((s) => s.name === 'parse')?.parentSpanId).toBe(turn.spanId);
    expect(inTurn.find((s) => s.name === 'store.claimEvent')?.parentSpanId).toBe(turn.spanId);
    expect(inTurn.filter((s) => s.name.startsWith('ARM ')).length).toBeGreaterThan(0);
  });

  it('posts each audit event to the audit channel, in order', async () => {
    const events = await bot.store.listAudit();
    await until(
      'every event reached the audit channel',
      () => api.callsTo('chat.postMessage').filter((c) => c.args.channel === AUDIT_CHANNEL).length >= events.length,
    );
    const posted = api.callsTo('chat.postMessage').filter((c) => c.args.channel === AUDIT_CHANNEL);
    expect(posted).toHaveLength(events.length);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['requested', 'approved', 'applied', 'expired']));
    await until(
      'the audit outbox gauge is 0',
      async () => (await scrape()).get('acr_access_audit_outbox_pending{sink="slack-channel"}') === 0,
    );
    for (const [i, p] of posted.entries())
      expect(JSON.stringify(p.args.blocks)).toContain(events[i]!.summary.slice(0, 20));
  });
});
