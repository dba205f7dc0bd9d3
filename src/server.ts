/**
 * The one HTTP server (the README's "HTTP"): restify, shared by Teams (`POST /api/messages`) and Slack
 * (`POST /slack/events`), plus liveness and readiness. Adapters mount their own routes; this file knows none of them.
 */
import './process-warnings.js';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { InFlight } from './app/in-flight.js';
import type { Logger } from './log.js';
import { runWithRequestLogContext } from './log-context.js';

/** A handler given the plain Node request and response (no restify wrappers). */
export type PlainHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** POST routes served before restify, per server made by createHttpServer. */
const plainRoutes = new WeakMap<restify.Server, Map<string, PlainHandler>>();

/**
 * Serves `POST path` before restify sees the request: the same shutdown refusal, in-flight tracking and log
 * context as every request, without restify's per-request work (its request and response wrappers, router and
 * handler chain: 10-15 % of the CPU of a Slack chatter post). For a route that reads its own body and writes its
 * own answer (Slack's events). False when `server` was not made by createHttpServer (nothing registered).
 */
export function servePlain(server: restify.Server, path: string, handler: PlainHandler): boolean {
  const routes = plainRoutes.get(server);
  routes?.set(path, handler);
  return routes !== undefined;
}

export interface ReadinessCheck {
  ok: boolean;
  detail?: string;
}

/** Readiness: each named check must pass (store reachable, configuration usable, ...). */
export type Readiness = () => Promise<Record<string, ReadinessCheck>>;

export interface HttpServer {
  server: restify.Server;
  /** Start listening; resolves with the bound port (PORT=0 picks a free one). */
  listen(port: number, host: string): Promise<number>;
  /** Stop accepting, wait for in-flight requests (up to `timeoutMs`), then close. */
  close(timeoutMs?: number): Promise<void>;
  /** Requests currently being handled. */
  inFlight(): number;
}

/** The path of a request URL, without its query and a trailing slash (restify routes ignore both). */
function routeOf(url: string | undefined): string {
  const path = (url ?? '/').split('?', 1)[0]!;
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

export function createHttpServer(options: {
  logger: Logger;
  readiness: Readiness;
  /** Who sees readiness details; default: loopback callers only. */
  showReadinessDetail?: (remoteAddress: string | undefined) => boolean;
}): HttpServer {
  const { logger, readiness } = options;
  const showDetail = options.showReadinessDetail ?? isLoopback;
  const server = restify.createServer({ name: 'acr-access-bot', handleUncaughtExceptions: false });
  const requests = new InFlight();
  let closing = false;

  const track = (res: ServerResponse): void => {
    void requests.track(
      new Promise<void>((finish) => {
        res.once('finish', finish);
        res.once('close', finish);
      }),
    );
  };
  server.pre((req, res, next) => {
    if (closing) {
      res.setHeader('connection', 'close');
      res.send(503, { error: 'shutting down' });
      return next(false);
    }
    track(res);
    // Everything logged while this request is handled carries its id (and what adapters add: platform, turn ids).
    // (`reqId`, not `requestId`: that name is an access request's id in the approval flow's lines.)
    return runWithRequestLogContext(req, { reqId: randomUUID().slice(0, 8), route: req.path() }, () => next());
  });

  // Plain routes first; everything else to restify (its own 'request' listener, moved behind this one).
  const plain = new Map<string, PlainHandler>();
  plainRoutes.set(server, plain);
  const viaRestify = server.server.listeners('request') as PlainHandler[];
  server.server.removeAllListeners('request');
  server.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const handler = req.method === 'POST' && plain.size > 0 ? plain.get(routeOf(req.url)) : undefined;
    if (!handler) {
      for (const listener of viaRestify) listener.call(server.server, req, res);
      return;
    }
    if (closing) {
      res.writeHead(503, { connection: 'close', 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'shutting down' }));
      return;
    }
    track(res);
    runWithRequestLogContext(req, { reqId: randomUUID().slice(0, 8), route: routeOf(req.url) }, () =>
      handler(req, res),
    );
  });

  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok' });
    return next();
  });

  // Details (file paths, database errors) are for operators: shown to loopback callers (a curl inside the container
  // or on a dev machine) and logged when a check fails; a remote caller such as a load balancer gets the verdict only.
  let lastFailing = '';
  server.get('/readyz', async (req: restify.Request, res: restify.Response) => {
    let checks: Record<string, ReadinessCheck>;
    try {
      checks = await readiness();
    } catch (err) {
      checks = { readiness: { ok: false, detail: err instanceof Error ? err.message : String(err) } };
    }
    const ready = !closing && Object.values(checks).every((c) => c.ok);
    const failing = Object.entries(checks).filter(([, c]) => !c.ok);
    const failingKey = failing.map(([name, c]) => `${name}:${c.detail ?? ''}`).join('|');
    if (failingKey !== '' && failingKey !== lastFailing) {
      logger.warn({ checks: Object.fromEntries(failing) }, 'not ready');
    }
    lastFailing = failingKey;
    const shown = showDetail(req.socket.remoteAddress)
      ? checks
      : Object.fromEntries(Object.entries(checks).map(([name, c]) => [name, { ok: c.ok }]));
    res.send(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks: shown });
  });

  // restify answers unknown routes itself (404/405); log only server-side failures.
  server.on(
    'restifyError',
    (req: restify.Request, _res: restify.Response, err: Error & { statusCode?: number }, cb: () => void) => {
      if ((err.statusCode ?? 500) >= 500) logger.error({ err, path: req.path() }, 'request failed');
      return cb();
    },
  );

  return {
    server,
    inFlight: () => requests.size,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.removeListener('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    close: async (timeoutMs = 10_000) => {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await requests.drain(timeoutMs);
      // Keep-alive sockets would hold close() open; they have nothing in flight now.
      server.server.closeAllConnections?.();
      await closed;
    },
  };
}
