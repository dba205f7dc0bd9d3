import { Writable } from 'node:stream';
import type restify from 'restify';
import { afterEach, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { addLogContext, logContext, runWithLogContext } from '../../src/log-context.js';
import { createHttpServer, type HttpServer } from '../../src/server.js';

const servers: HttpServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

it('every line logged while a request is handled carries its request id and the turn fields adapters add', async () => {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write: (c, _e, cb) => {
      lines.push(JSON.parse(String(c)) as Record<string, unknown>);
      cb();
    },
  });
  const logger = createLogger('info', sink);
  const http = createHttpServer({ logger, readiness: async () => ({}) });
  servers.push(http);
  http.server.post('/turn/:n', async (req: restify.Request, res: restify.Response) => {
    addLogContext({ platform: 'test', activityId: `a-${req.params.n}` });
    await new Promise((r) => setTimeout(r, 5)); // an await in between, as an Azure call would be
    logger.info('handled');
    res.send(200, {});
  });
  const port = await http.listen(0, '127.0.0.1');
  await Promise.all([1, 2, 3].map((n) => fetch(`http://127.0.0.1:${port}/turn/${n}`, { method: 'POST' })));

  const handled = lines.filter((l) => l.msg === 'handled');
  expect(handled).toHaveLength(3);
  // Concurrent requests keep their own context.
  expect(new Set(handled.map((l) => l.activityId))).toEqual(new Set(['a-1', 'a-2', 'a-3']));
  expect(new Set(handled.map((l) => l.reqId)).size).toBe(3);
  for (const l of handled) {
    expect(l.platform).toBe('test');
    expect(l.route).toBe(`/turn/${String(l.activityId).slice(2)}`);
  }
});

it('is empty outside a request and nested contexts start from the outer one', () => {
  expect(logContext()).toEqual({});
  addLogContext({ ignored: true });
  expect(logContext()).toEqual({});
  runWithLogContext({ a: 1 }, () => {
    runWithLogContext({ b: 2 }, () => expect(logContext()).toEqual({ a: 1, b: 2 }));
    expect(logContext()).toEqual({ a: 1 });
  });
});
