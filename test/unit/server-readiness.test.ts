import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { createHttpServer, isLoopback, type HttpServer, type ReadinessCheck } from '../../src/server.js';

const servers: HttpServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function serve(checks: Record<string, ReadinessCheck>, showDetail?: (a: string | undefined) => boolean) {
  const lines: string[] = [];
  const sink = new Writable({
    write: (chunk, _e, cb) => {
      lines.push(String(chunk));
      cb();
    },
  });
  const http = createHttpServer({
    logger: createLogger('info', sink),
    readiness: async () => checks,
    ...(showDetail ? { showReadinessDetail: showDetail } : {}),
  });
  servers.push(http);
  const port = await http.listen(0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}`, lines };
}

describe('/healthz and /readyz', () => {
  it('is live and ready when every check passes', async () => {
    const { url } = await serve({ config: { ok: true }, store: { ok: true, detail: 'sqlite /x.db, schema v1' } });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const r = await fetch(`${url}/readyz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({
      status: 'ready',
      checks: { config: { ok: true }, store: { ok: true, detail: 'sqlite /x.db, schema v1' } },
    });
  });

  it('answers 503 when a check fails, shows details to loopback callers and logs the failure once', async () => {
    const { url, lines } = await serve({ store: { ok: false, detail: 'connect ECONNREFUSED 10.1.2.3:5432' } });
    for (let i = 0; i < 3; i++) {
      const r = await fetch(`${url}/readyz`);
      expect(r.status).toBe(503);
      expect(await r.json()).toEqual({
        status: 'not ready',
        checks: { store: { ok: false, detail: 'connect ECONNREFUSED 10.1.2.3:5432' } },
      });
    }
    expect(lines.filter((l) => l.includes('not ready'))).toHaveLength(1);
  });

  it('gives remote callers the verdict without details', async () => {
    const { url } = await serve({ store: { ok: false, detail: 'connect ECONNREFUSED 10.1.2.3:5432' } }, () => false);
    const r = await fetch(`${url}/readyz`);
    expect(r.status).toBe(503);
    expect(await r.json()).toEqual({ status: 'not ready', checks: { store: { ok: false } } });
  });

  it('treats 127.0.0.0/8 and ::1 (also IPv4-mapped) as loopback, nothing else', () => {
    for (const a of ['127.0.0.1', '127.3.4.5', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a)).toBe(true);
    for (const a of ['10.0.0.4', '::ffff:10.0.0.4', '2001:db8::1', '0.0.0.0', undefined])
      expect(isLoopback(a)).toBe(false);
  });
});
