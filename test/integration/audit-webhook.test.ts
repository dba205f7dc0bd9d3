/**
 * Audit pushed out to a webhook, on real parts: the bot started from its environment (AUDIT_WEBHOOK_URL and
 * AUDIT_WEBHOOK_SECRET) on a real SQLite file or PostgreSQL schema, and a receiver on loopback that checks each
 * delivery's signature the way the README tells a SIEM to. The receiver goes down while three events happen, the
 * bot restarts (a new instance on the same store), the receiver comes back: it gets every event once, in order.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditDraft, AuditEvent } from '../../src/core/requests/index.js';
import { createLogger } from '../../src/log.js';
import { startBot, type RunningBot } from '../../src/main.js';
import { holdTestOutput } from '../support/quiet.js';

const output = holdTestOutput();
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SECRET = 'whsec-test-2f9c41d7';
const FAST = { pollMs: 20, retryBaseMs: 20, retryMaxMs: 200 };

interface Delivery {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A SIEM's HTTP collector: keeps what it is sent; `down()` stops listening (connections refused), `up()` resumes. */
class Receiver {
  readonly got: Delivery[] = [];
  private server: http.Server | null = null;
  port = 0;

  async up(): Promise<void> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  events(): AuditEvent[] {
    return this.got.map((d) => JSON.parse(d.body) as AuditEvent);
  }
}

/** The check the README documents: HMAC-SHA256 of "<timestamp>.<body>" with the shared secret, compared in constant time. */
function signatureValid(d: Delivery, secret: string): boolean {
  const ts = String(d.headers['x-acr-access-timestamp'] ?? '');
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${ts}.${d.body}`).digest('hex')}`);
  const given = Buffer.from(String(d.headers['x-acr-access-signature'] ?? ''));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const REG =
  '/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/platform/providers/Microsoft.ContainerRegistry/registries/contosoprod';

function draft(type: AuditDraft['type'], summary: string, details: Record<string, unknown> = {}): AuditDraft {
  return {
    at: new Date().toISOString(),
    type,
    requestId: null,
    registryId: REG,
    registryName: 'contosoprod',
    rule: null,
    actor: null,
    fromStatus: null,
    toStatus: null,
    before: null,
    after: null,
    correlationId: null,
    summary,
    details,
  };
}

const backends: Array<{ name: string; setup: () => Promise<{ url: string; drop: () => Promise<void> }> }> = [
  {
    name: 'SQLite',
    setup: async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-audit-webhook-'));
      return {
        url: `sqlite:${path.join(dir, 'acr-access.db')}`,
        drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'PostgreSQL',
    setup: async () => {
      const schema = `acr_audit_webhook_${process.pid}_${randomBytes(4).toString('hex')}`;
      const admin = async (sql: string): Promise<void> => {
        const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5_000 });
        await c.connect();
        await c.query(sql).finally(() => c.end());
      };
      await admin(`CREATE SCHEMA ${schema}`);
      return {
        url: `${PG_URL}?options=-c%20search_path%3D${schema}`,
        drop: () => admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`),
      };
    },
  },
];

describe.each(backends)('audit webhook on $name', ({ setup }) => {
  const receiver = new Receiver();
  let db: { url: string; drop: () => Promise<void> };
  const bots: RunningBot[] = [];

  async function start(): Promise<RunningBot> {
    const bot = await startBot(
      {
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        DATABASE_URL: db.url,
        AUDIT_WEBHOOK_URL: `http://127.0.0.1:${receiver.port}/acr-audit`,
        AUDIT_WEBHOOK_SECRET: SECRET,
        METRICS_PORT: '0',
      },
      createLogger('info', output.log),
      { auditOut: FAST },
    );
    bots.push(bot);
    return bot;
  }

  beforeAll(async () => {
    db = await setup();
    await receiver.up();
  });

  afterAll(async () => {
    for (const bot of bots.splice(0)) await bot.stop().catch(() => undefined);
    await receiver.down();
    await db?.drop();
  });

  it('signs each delivery with the secret and a timestamp, and names the event', async () => {
    const bot = await start();
    const event = await bot.store.appendAudit(
      draft('drift', 'A rule appeared that no grant explains', { unexpected: ['198.51.100.20/32'] }),
    );
    await until('the receiver got the event', () => receiver.got.length === 1);
    const [d] = receiver.got;
    expect(d!.headers['content-type']).toBe('application/json');
    expect(d!.headers['x-acr-access-event']).toBe(String(event.seq));
    expect(Math.abs(Number(d!.headers['x-acr-access-timestamp']) - Date.now() / 1000)).toBeLessThan(300);
    expect(JSON.parse(d!.body)).toEqual(event);
    expect(signatureValid(d!, SECRET)).toBe(true);
    // The check can fail: another secret, an altered body or another timestamp does not verify.
    expect(signatureValid(d!, 'another-secret')).toBe(false);
    expect(signatureValid({ ...d!, body: d!.body.replace('198.51.100.20', '198.51.100.21') }, SECRET)).toBe(false);
    expect(
      signatureValid({ ...d!, headers: { ...d!.headers, 'x-acr-access-timestamp': String(Date.now()) } }, SECRET),
    ).toBe(false);
    // Taken, so it leaves the outbox (recorded just after the receiver answered).
    await until('the outbox is empty', async () => (await bot.store.nextForSink('webhook')) === null);
  });

  it('keeps three events while the receiver is down, across a restart, and delivers them in order once it is back', async () => {
    const first = bots[0] ?? (await start());
    await receiver.down();
    const written: AuditEvent[] = [];
    for (const [type, summary] of [
      ['note', 'Grant expiry checked'],
      ['concurrent_write', 'Someone else wrote the registry between the read and the PATCH'],
      ['drift', 'A rule the bot added is gone'],
    ] as const)
      written.push(await first.store.appendAudit(draft(type, summary)));
    // The forwarder tried, failed and backed off: the events wait in the outbox.
    await until('a delivery failed', async () => ((await first.store.nextForSink('webhook'))?.attempts ?? 0) > 0);
    expect((await first.store.outboxBacklog()).find((b) => b.sink === 'webhook')?.pending).toBe(3);
    // …and the backlog gauge says so, for the alert.
    const metrics = await (await fetch(`http://127.0.0.1:${first.metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^acr_access_audit_outbox_pending\{sink="webhook"\} 3$/m);
    await first.stop();
    bots.splice(bots.indexOf(first), 1);

    const second = await start();
    await receiver.up();
    await until('the receiver got all four events', () => receiver.got.length >= 4);
    await until('the outbox is empty', async () => (await second.store.nextForSink('webhook')) === null);
    const delivered = receiver.events().slice(1);
    expect(delivered).toEqual(written);
    expect(receiver.got.every((d) => signatureValid(d, SECRET))).toBe(true);
  });
});
