/**
 * OTLP's default encoding: with only OTEL_EXPORTER_OTLP_ENDPOINT set (no protocol), the bot pushes its metrics as
 * OTLP/HTTP protobuf to `<endpoint>/v1/metrics`, with the headers from OTEL_EXPORTER_OTLP_HEADERS. The collector
 * double keeps the raw bodies; protobuf carries metric names as plain UTF-8, so they can be found in the bytes.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { startBot, type RunningBot } from '../../src/main.js';
import { holdTestOutput } from '../support/quiet.js';

const output = holdTestOutput();
const got: Array<{ url: string; type: string; auth: string; body: Buffer }> = [];
let server: http.Server;
let bot: RunningBot;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({
        url: req.url ?? '',
        type: String(req.headers['content-type']),
        auth: String(req.headers['x-collector-key']),
        body: Buffer.concat(chunks),
      });
      res.statusCode = 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  bot = await startBot(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATABASE_URL: 'sqlite::memory:',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-key=k%3D1',
      OTEL_METRIC_EXPORT_INTERVAL: '1000',
    },
    createLogger('info', output.log),
  );
});

afterAll(async () => {
  await bot?.stop();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

it('pushes metrics as OTLP/HTTP protobuf by default, with the configured headers, and serves no /metrics port', async () => {
  expect(bot.metricsPort).toBeNull();
  const end = Date.now() + 20_000;
  while (!got.some((g) => g.url === '/v1/metrics')) {
    if (Date.now() > end) throw new Error(`no metrics export; got ${got.map((g) => g.url).join(', ') || 'nothing'}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  const push = got.find((g) => g.url === '/v1/metrics')!;
  expect(push.type).toBe('application/x-protobuf');
  expect(push.auth).toBe('k=1');
  const text = push.body.toString('latin1');
  for (const name of ['acr_access_requests', 'acr_access_grants_active', 'acr_access_grant_expiry_lag_seconds'])
    expect(text).toContain(name);
});
