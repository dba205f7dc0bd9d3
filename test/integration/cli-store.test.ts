/** `acr-access requests` and `acr-access audit` over a real SQLite database written through the store. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { csvCell, parseSince } from '../../src/cli/audit.js';
import type { CliIO } from '../../src/cli/io.js';
import { createStore } from '../../src/adapters/store/index.js';
import { HOUR_MS } from '../../src/core/policy/duration.js';
import { newRequest, REG, TestClock } from './store.contract.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-cli-store-'));
const file = path.join(dir, 'data', 'bot.db');
const env = { DATABASE_URL: `sqlite:${file}` };
const bob = { platform: 'slack' as const, id: 'U0BOB0001', email: 'bob@contoso.com', displayName: '=cmd|calc' };
let ids: { pending: string; applied: string } = { pending: '', applied: '' };

async function cli(
  args: string[],
  e: Record<string, string> = env,
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    stdin: async () => '',
    env: e,
    cwd: dir,
  };
  const code = await runCli(args, io);
  return { code, out, err };
}

beforeAll(async () => {
  const clock = new TestClock();
  const store = await createStore({ kind: 'sqlite', file }, { clock });
  const a = await store.createRequest(newRequest({ reason: 'needs "quotes", commas\nand lines' }));
  clock.advance(HOUR_MS);
  const b = await store.createRequest(
    newRequest({ registry: { id: `${REG}2`, name: 'acr2', loginServer: null }, rule: '203.0.113.9/32' }),
  );
  if (!a.ok || !b.ok) throw new Error('seed');
  await store.transition(b.request.id, { type: 'approve', by: bob, as: 'approver' });
  await store.transition(b.request.id, { type: 'start_apply', by: null });
  await store.transition(b.request.id, {
    type: 'applied',
    before: ['20.1.1.1/32'],
    after: ['20.1.1.1/32', '203.0.113.9/32'],
    correlationId: 'corr-1',
  });
  ids = { pending: a.request.id, applied: b.request.id };
  await store.close();
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('acr-access requests', () => {
  it('--json lists requests newest first, exactly as stored', async () => {
    const r = await cli(['requests', '--json']);
    expect(r).toMatchObject({ code: 0, err: '' });
    const body = JSON.parse(r.out) as { requests: Array<{ id: string; status: string }> };
    expect(body.requests.map((x) => [x.id, x.status])).toEqual([
      [ids.applied, 'applied'],
      [ids.pending, 'pending'],
    ]);
  });

  it('--status filters (comma lists and --status=), text is a table', async () => {
    const r = await cli(['requests', '--status=pending,denied']);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+STATUS\s+REGISTRY\s+RULE\s+DURATION\s+APPROVALS\s+REQUESTER\s+CREATED\s+ENDS$/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(ids.pending);
    expect(lines[1]).toMatch(/pending\s+Acr1\s+203\.0\.113\.7\/32\s+4h\s+0\/1\s+Dan\s+2026-03-01T10:00:00\.000Z\s+-$/);
    expect((await cli(['requests', '--status', 'expired'])).out).toBe('No requests.\n');
  });

  it('usage errors exit 2 and say what is wrong', async () => {
    expect(await cli(['requests', '--status', 'approvedd'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/unknown status approvedd/),
    });
    expect(await cli(['requests', '--status'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--status needs a value/),
    });
    expect(await cli(['requests', 'extra'])).toMatchObject({ code: 2 });
    expect(await cli(['requests'], { DATABASE_URL: 'mysql://x' })).toMatchObject({
      code: 2,
      err: expect.stringMatching(/DATABASE_URL must start with/),
    });
  });

  it('a database that does not exist yet is not created; the answer is empty', async () => {
    const missing = path.join(dir, 'nowhere', 'x.db');
    const r = await cli(['requests', '--json'], { DATABASE_URL: `sqlite:${missing}` });
    expect(r).toMatchObject({
      code: 0,
      out: '{"requests":[]}\n',
      err: expect.stringMatching(/no database at .*x\.db yet/),
    });
    expect(fs.existsSync(path.dirname(missing))).toBe(false);
  });
});

describe('acr-access audit', () => {
  it('jsonl: one event per line, oldest first, with rule lists and correlation ids', async () => {
    const r = await cli(['audit']);
    expect(r.code).toBe(0);
    const events = r.out
      .trimEnd()
      .split('\n')
      .map(
        (l) => JSON.parse(l) as { seq: number; type: string; correlationId: string | null; before: string[] | null },
      );
    expect(events.map((e) => e.type)).toEqual(['requested', 'requested', 'approved', 'apply_started', 'applied']);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(events[4]).toMatchObject({ correlationId: 'corr-1', before: ['20.1.1.1/32'] });
  });

  it('--registry by name or id, --since as a time', async () => {
    expect((await cli(['audit', '--registry', 'ACR2'])).out.trimEnd().split('\n')).toHaveLength(4);
    expect((await cli(['audit', `--registry=${REG.toLowerCase()}`])).out.trimEnd().split('\n')).toHaveLength(1);
    expect((await cli(['audit', '--since', '2026-03-01T10:30:00Z'])).out.trimEnd().split('\n')).toHaveLength(4);
    expect((await cli(['audit', '--since', '2030-01-01'])).out).toBe('');
  });

  it('csv: header, RFC 4180 quoting, rule diff columns, formula-safe cells', async () => {
    const r = await cli(['audit', '--format', 'csv']);
    expect(r.code).toBe(0);
    const [header, ...rows] = r.out.split('\r\n').filter((l, i, all) => l !== '' || i < all.length - 1);
    expect(header).toBe(
      'seq,at,type,request_id,registry_id,registry_name,rule,actor_platform,actor_id,actor_email,actor_name,from_status,to_status,rules_before,rules_after,rules_added,rules_removed,correlation_id,summary,details',
    );
    // The reason inside the details JSON: JSON escapes the quote (\"), CSV then doubles it (\"").
    expect(r.out).toContain('needs \\""quotes\\"", commas\\nand lines');
    const applied = rows.find((l) => l.includes(',applied,'))!;
    expect(applied).toContain(',20.1.1.1/32,20.1.1.1/32 203.0.113.9/32,203.0.113.9/32,,corr-1,');
    const approved = rows.find((l) => l.includes(',approved,'))!;
    expect(approved).toContain(",'=cmd|calc,");
  });

  it('--json (or --format json): one document like every other command, the same events as jsonl', async () => {
    const jsonl = (await cli(['audit'])).out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    for (const args of [
      ['audit', '--json'],
      ['audit', '--format', 'json'],
    ]) {
      const r = await cli(args);
      expect(r).toMatchObject({ code: 0, err: '' });
      expect(r.out.endsWith('\n')).toBe(true);
      const doc = JSON.parse(r.out) as { events: unknown[] };
      expect(Object.keys(doc)).toEqual(['events']);
      expect(doc.events).toEqual(jsonl);
    }
    // Filters apply the same way; nothing matching is an empty list, not an empty output.
    expect(JSON.parse((await cli(['audit', '--json', '--registry', 'ACR2'])).out).events).toHaveLength(4);
    expect((await cli(['audit', '--since', '2030-01-01', '--json'])).out).toBe('{"events":[]}\n');
    // No database yet: still a document.
    const none = await cli(['audit', '--json'], { DATABASE_URL: `sqlite:${path.join(dir, 'absent', 'x.db')}` });
    expect(none).toMatchObject({ code: 0, out: '{"events":[]}\n' });
  });

  it('usage errors exit 2', async () => {
    expect(await cli(['audit', '--format', 'xml'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/jsonl, csv or json/),
    });
    expect(await cli(['audit', '--json', '--format', 'csv'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/choose one output format/),
    });
    expect(await cli(['audit', '--since', 'yesterday'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/is not a time/),
    });
    expect(await cli(['audit', '--registry='])).toMatchObject({ code: 2 });
  });

  it('a database from a newer release is refused (exit 1) with the reason', async () => {
    const Database = (await import('better-sqlite3')).default;
    const f2 = path.join(dir, 'newer.db');
    const store = await createStore({ kind: 'sqlite', file: f2 });
    await store.close();
    const raw = new Database(f2);
    raw.exec(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', '2030-01-01T00:00:00.000Z')",
    );
    raw.close();
    expect(await cli(['audit'], { DATABASE_URL: `sqlite:${f2}` })).toMatchObject({
      code: 1,
      err: expect.stringMatching(/schema is at version 99/),
    });
  });
});

describe('helpers', () => {
  it('parseSince: durations back from now, dates, date-times', () => {
    const now = new Date('2026-03-02T00:00:00Z');
    expect(parseSince('24h', now).toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(parseSince('2026-02-01', now).toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect(parseSince('2026-02-01T12:00:00+01:00', now).toISOString()).toBe('2026-02-01T11:00:00.000Z');
  });

  it('csvCell quotes and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('+1 555')).toBe("'+1 555");
    expect(csvCell(null)).toBe('');
  });
});
