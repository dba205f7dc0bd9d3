/**
 * The ARM emulator as an in-process object: HTTPS on loopback with a certificate made at start, the ARM routes,
 * fault injection, request log and control API. `cli.ts` wraps it for `npm run emulator`; tests use
 * test/support/emulator.ts.
 */
import { randomUUID } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { armError, defaultErrorFor, type Reply } from './arm-errors.js';
import { handleControl, resetAll } from './control.js';
import { createCore, type EmulatorCore, type EmulatorSettings } from './core.js';
import type { EditSpec } from './edits.js';
import type { ActiveFault, FaultSpec } from './faults.js';
import type { LroSettings, Operation } from './operations.js';
import type { LoggedRequest, RequestFilter } from './request-log.js';
import { checkApiVersion, matchRoute, type Route } from './router.js';
import { activityLogRoutes, recordingWrites } from './routes/activity-log.js';
import { graphRoutes } from './routes/resource-graph.js';
import { registryRoutes } from './routes/registries.js';
import { isRegistryDataPath, registryData } from './routes/registry-data.js';
import { serviceTagRoutes } from './routes/service-tags.js';
import { subscriptionRoutes } from './routes/subscriptions.js';
import { checkState, readStateFile, type ArmResource, type StateFile } from './state.js';
import { makeTls } from './tls.js';

const ROUTES: Route[] = recordingWrites([
  ...registryRoutes,
  ...subscriptionRoutes,
  ...graphRoutes,
  ...serviceTagRoutes,
  ...activityLogRoutes,
]);
const MAX_BODY = 4 * 1024 * 1024;

export interface EmulatorOptions {
  /** A state object or the path of a state file. */
  state: StateFile | string;
  /** 0 (default) picks a free port. */
  port?: number;
  pageSize?: number;
  latencyMs?: number;
  lro?: Partial<LroSettings>;
}

export interface ArmEmulator {
  /** `https://127.0.0.1:PORT` (no trailing slash): AZURE_RESOURCE_MANAGER_ENDPOINT. */
  url: string;
  /** PEM file to trust: AZURE_EMULATOR_CA. */
  caPath: string;
  port: number;
  requests(filter?: RequestFilter): LoggedRequest[];
  countRequests(filter?: RequestFilter): number;
  clearRequests(): void;
  faults: { add(spec: FaultSpec): string; remove(id: string): void; clear(): void; list(): ActiveFault[] };
  edits: { add(spec: EditSpec): string; clear(): void };
  operations: {
    list(): Operation[];
    hold(registry?: string): void;
    release(registry?: string): void;
    failNext(error?: { code: string; message: string }): void;
    /** Resolves when the next PATCH starts an operation (or with a running one if `includeRunning`). */
    nextStarted(options?: { includeRunning?: boolean; timeoutMs?: number }): Promise<Operation>;
    settings: LroSettings;
  };
  state: {
    get(): StateFile;
    replace(next: StateFile): void;
    reset(): void;
    /** A copy of one registry as GET would return it. */
    registry(nameOrId: string): ArmResource | undefined;
  };
  settings: EmulatorSettings;
  /** State back to its start, and faults, edits, operations and the request log cleared. */
  reset(): void;
  close(): Promise<void>;
}

function send(res: import('node:http').ServerResponse, reply: Reply, correlationId: string): void {
  const headers: Record<string, string> = {
    'x-ms-request-id': randomUUID(),
    'x-ms-correlation-request-id': correlationId,
    ...(reply.headers ?? {}),
  };
  if (reply.body === undefined) {
    // Not chained: restify (loaded by the bot in the same test process) patches writeHead to return undefined.
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  headers['Content-Type'] = 'application/json; charset=utf-8';
  headers['Content-Length'] = String(Buffer.byteLength(text));
  res.writeHead(reply.status, headers);
  res.end(text);
}

function readBody(req: import('node:http').IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function handle(
  core: EmulatorCore,
  req: import('node:http').IncomingMessage,
  res: import('node:http').ServerResponse,
): Promise<void> {
  const started = Date.now();
  const time = new Date(started).toISOString();
  const url = new URL(req.url ?? '/', core.baseUrl);
  const method = (req.method ?? 'GET').toUpperCase();
  const header = req.headers['x-ms-correlation-request-id'];
  const correlationId = typeof header === 'string' && header ? header : randomUUID();
  const raw = await readBody(req);
  let body: unknown;
  let badJson = false;
  if (raw.length > 0) {
    try {
      body = JSON.parse(raw);
    } catch {
      badJson = true;
    }
  }

  // A registry's data endpoint: anonymous, like the real one (no Bearer check, no api-version), and logged.
  if (isRegistryDataPath(url.pathname)) {
    const reply = registryData(core, method, url.pathname, req.socket.remoteAddress ?? '');
    send(res, reply, correlationId);
    core.log.add({ method, path: url.pathname, apiVersion: null, status: reply.status, time, durationMs: 0 });
    return;
  }

  if (url.pathname.startsWith('/_emulator/')) {
    send(
      res,
      badJson
        ? { status: 400, body: { error: { code: 'EmulatorControlError', message: 'body is not JSON' } } }
        : handleControl(core, method, url.pathname, url.searchParams, body),
      correlationId,
    );
    return;
  }

  const log = (status: number, faultId?: string): void => {
    core.log.add({
      method,
      path: url.pathname,
      apiVersion: url.searchParams.get('api-version'),
      status,
      time,
      durationMs: Date.now() - started,
      ...(body !== undefined && method !== 'GET' ? { body } : {}),
      ...(faultId ? { faultId } : {}),
    });
  };
  const finish = (reply: Reply, faultId?: string): void => {
    send(res, reply, correlationId);
    log(reply.status, faultId);
  };

  if (core.settings.latencyMs > 0) await sleep(core.settings.latencyMs);
  const fault = core.faults.take(method, url.pathname);
  if (fault) {
    const s = fault.spec;
    if (s.delayMs) await sleep(s.delayMs);
    if (s.reset) {
      log(0, fault.id);
      req.socket.destroy();
      return;
    }
    if (s.status) {
      const retryAfter = s.retryAfterSeconds ?? (s.status === 429 ? 1 : undefined);
      const base = defaultErrorFor(s.status, method, url.pathname, retryAfter);
      const reply: Reply = {
        status: s.status,
        body:
          s.body ??
          (s.code || s.message
            ? { error: { code: s.code ?? 'Error', message: s.message ?? s.code ?? '' } }
            : base.body),
        headers: { ...(retryAfter !== undefined ? { 'Retry-After': String(retryAfter) } : {}), ...(s.headers ?? {}) },
      };
      finish(reply, fault.id);
      return;
    }
  }

  const auth = req.headers.authorization;
  if (typeof auth !== 'string' || !/^Bearer\s+\S+/i.test(auth)) {
    finish(
      armError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing."),
      fault?.id,
    );
    return;
  }
  if (badJson) {
    finish(
      armError(
        400,
        'InvalidRequestContent',
        'The request content was invalid and could not be deserialized: the body is not JSON.',
      ),
      fault?.id,
    );
    return;
  }

  for (const route of ROUTES) {
    const params = matchRoute(route, method, url.pathname);
    if (!params) continue;
    const versionError = checkApiVersion(route, url.searchParams);
    if (versionError) {
      finish(versionError, fault?.id);
      return;
    }
    finish(
      await route.handle({
        method,
        path: url.pathname,
        query: url.searchParams,
        params,
        body,
        headers: req.headers,
        core,
      }),
      fault?.id,
    );
    return;
  }
  finish(armError(404, 'NotFound', `The ARM emulator does not serve ${method} ${url.pathname}.`), fault?.id);
}

export async function startArmEmulator(options: EmulatorOptions): Promise<ArmEmulator> {
  const initial = typeof options.state === 'string' ? readStateFile(options.state) : checkState(options.state);
  const core = createCore(initial, {
    settings: {
      ...(options.pageSize ? { pageSize: options.pageSize } : {}),
      ...(options.latencyMs ? { latencyMs: options.latencyMs } : {}),
    },
    ...(options.lro ? { lro: options.lro } : {}),
  });
  const tls = await makeTls();
  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    handle(core, req, res).catch((err: unknown) => {
      process.stderr.write(`ARM emulator: ${(err as Error).stack ?? String(err)}\n`);
      if (!res.headersSent)
        send(res, armError(500, 'InternalServerError', 'The ARM emulator failed on this request.'), randomUUID());
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  core.baseUrl = `https://127.0.0.1:${port}`;

  return {
    url: core.baseUrl,
    caPath: tls.caPath,
    port,
    requests: (filter) => core.log.list(filter),
    countRequests: (filter) => core.log.count(filter),
    clearRequests: () => core.log.clear(),
    faults: {
      add: (spec) => core.faults.add(spec),
      remove: (id) => core.faults.remove(id),
      clear: () => core.faults.clear(),
      list: () => core.faults.list(),
    },
    edits: { add: (spec) => core.edits.add(spec), clear: () => core.edits.clear() },
    operations: {
      list: () => core.operations.list(),
      hold: (registry) =>
        core.operations.hold(registry ? (core.state.registryByNameOrId(registry)?.id ?? registry) : undefined),
      release: (registry) =>
        core.operations.release(registry ? (core.state.registryByNameOrId(registry)?.id ?? registry) : undefined),
      failNext: (error) => core.operations.failNext(error),
      nextStarted: (opts) => core.operations.nextStarted(opts),
      settings: core.operations.settings,
    },
    state: {
      get: () => core.state.snapshot(),
      replace: (next) => core.state.replace(next),
      reset: () => core.state.reset(),
      registry: (nameOrId) => {
        const r = core.state.registryByNameOrId(nameOrId);
        return r ? structuredClone(r) : undefined;
      },
    },
    settings: core.settings,
    reset: () => resetAll(core),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      tls.dispose();
    },
  };
}
