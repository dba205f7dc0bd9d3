/**
 * Routes served before restify (servePlain, used by Slack's POST /slack/events): they get the plain Node request and
 * response inside the request's log context, are counted as in flight until answered (a shutdown waits for them),
 * and leave every other method and path to restify.
 */
import { afterEach, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { logContext } from '../../src/log-context.js';
import { createHttpServer, servePlain, type HttpServer } from '../../src/server.js';

const servers: HttpServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close(1000);
});

async function serve(): Promise<{ server: HttpServer; base: string; seen: Array<Record<string, unknown>> }> {
  const server = createHttpServer({ logger: createLogger('silent'), readiness: async () => ({}) });
  servers.push(server);
  const seen: Array<Record<string, unknown>> = [];
  const mounted = servePlain(server.server, '/plain', (req, res) => {
    seen.push({ ...logContext(), url: req.url });
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('plain');
  });
  expect(mounted).toBe(true);
  const port = await server.listen(0, '127.0.0.1');
  return { server, base: `http://127.0.0.1:${port}`, seen };
}

it('serves POST on its path (a query or a trailing slash too) inside the request log context', async () => {
  const { base, seen } = await serve();
  for (const path of ['/plain', '/plain?x=1', '/plain/']) {
    const r = await fetch(`${base}${path}`, { method: 'POST', body: '{}' });
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('plain');
  }
  expect(seen.map((s) => s.url)).toEqual(['/plain', '/plain?x=1', '/plain/']);
  for (const s of seen) {
    expect(s.route).toBe('/plain');
    expect(s.reqId).toMatch(/^[0-9a-f]{8}$/);
  }
});

it('leaves other methods and paths to restify', async () => {
  const { base, seen } = await serve();
  expect((await fetch(`${base}/healthz`)).status).toBe(200);
  expect((await fetch(`${base}/plain`)).status).toBe(404); // restify: no GET route here
  expect((await fetch(`${base}/elsewhere`, { method: 'POST' })).status).toBe(404);
  expect(seen).toEqual([]);
});

it('is not mounted on a server createHttpServer did not make', async () => {
  const { default: restify } = await import('restify');
  expect(servePlain(restify.createServer(), '/plain', () => {})).toBe(false);
});

it('counts a request as in flight until it is answered, and a shutdown waits for it', async () => {
  const server = createHttpServer({ logger: createLogger('silent'), readiness: async () => ({}) });
  let release!: () => void;
  servePlain(server.server, '/slow', (_req, res) => {
    release = () => res.end('done');
  });
  const port = await server.listen(0, '127.0.0.1');
  const answer = fetch(`http://127.0.0.1:${port}/slow`, { method: 'POST', body: '{}' });
  while (server.inFlight() === 0) await new Promise((r) => setTimeout(r, 5));
  let closed = false;
  const closing = server.close(5000).then(() => (closed = true));
  await new Promise((r) => setImmediate(r));
  expect(server.inFlight()).toBe(1);
  expect(closed).toBe(false);
  release();
  expect(await (await answer).text()).toBe('done');
  await closing;
  expect(server.inFlight()).toBe(0);
});
