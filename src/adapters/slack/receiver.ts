/**
 * A thin Bolt Receiver mounted on the bot's one restify server (Slack is served on the same port as
 * Teams at `POST /slack/events`). Its only jobs: read the raw bytes, verify the signature, parse the body, answer
 * `ssl_check` / `url_verification`, hand everything else to Bolt with an `ack` bound to this HTTP response, and
 * answer 404 when nothing acknowledged within Slack's 3 seconds. No product logic lives here.
 *
 * Status codes: 401 (missing/invalid signature, timestamp more than 5 minutes off either way; nothing is processed
 * and no Web API call is made), 400 (signed but not a Slack body), 413 (body over the limit), 200 (acknowledged).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { ReceiverMultipleAckError } from '@slack/bolt';
import type restify from 'restify';
import { InFlight } from '../../app/in-flight.js';
import type { Logger } from '../../log.js';
import { servePlain } from '../../server.js';
import { addLogContext } from '../../log-context.js';
import { isSslCheck, parseSlackBody } from './body.js';
import type { DirectRoute } from './direct.js';
import { SLACK_EVENTS_PATH } from './settings.js';
import { verifySlackSignature } from './verify.js';

export interface SlackReceiverOptions {
  server: restify.Server;
  signingSecret: string;
  logger: Logger;
  path?: string;
  /** Slack waits 3 s for an ack; after this the request is answered 404 (not handled). */
  ackTimeoutMs?: number;
  /** Largest accepted body. Slack messages are at most 40k characters of text plus their blocks. */
  bodyLimitBytes?: number;
  now?: () => number;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Slash command bodies → the id of the signed request that carried them (see signedRequestId). */
const signedRequests = new WeakMap<object, string>();

/**
 * The id of the signed HTTP request a slash command body came in: a hash of its timestamp and signature, which
 * together name one request (the signature covers the timestamp and every byte of the body). Slack sends a command
 * once and never retries it, so the same id again is a replay within the five minutes the timestamp stays valid.
 * Undefined for a body that came another way (Socket Mode).
 */
export function signedRequestId(body: object): string | undefined {
  return signedRequests.get(body);
}

/** How much of an oversized body is read and dropped so the client can read its 413; beyond this the socket closes. */
const MAX_DRAIN_BYTES = 16 * 1024 * 1024;

type RawBody = { ok: true; bytes: Buffer } | { ok: false; read: number; drained: boolean };

/**
 * The request's bytes exactly as sent. Tolerates a body parser that ran before us by using what it kept. A body
 * over `limit` is read to its end and dropped (up to MAX_DRAIN_BYTES): answering while the client is still writing,
 * then closing, makes its write fail with a connection reset instead of showing it the 413.
 */
function readRawBody(req: IncomingMessage, limit: number): Promise<RawBody> {
  const kept = req as IncomingMessage & { rawBody?: unknown; body?: unknown };
  if (req.readableEnded) {
    for (const v of [kept.rawBody, kept.body]) {
      if (Buffer.isBuffer(v)) return Promise.resolve({ ok: true, bytes: v });
      if (typeof v === 'string') return Promise.resolve({ ok: true, bytes: Buffer.from(v, 'utf8') });
    }
    return Promise.resolve({ ok: true, bytes: Buffer.alloc(0) });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (chunks.length > 0) chunks.length = 0; // over the limit: keep reading, keep nothing
      if (size > MAX_DRAIN_BYTES) {
        cleanup();
        resolve({ ok: false, read: size, drained: false });
      }
    };
    const onEnd = (): void => {
      cleanup();
      resolve(
        size <= limit ? { ok: true, bytes: Buffer.concat(chunks, size) } : { ok: false, read: size, drained: true },
      );
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? undefined : v;
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (res.headersSent || res.writableEnded) return;
  if (body === undefined || body === null || body === '') {
    res.writeHead(status, { 'content-length': '0' });
    res.end();
  } else if (typeof body === 'string') {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(body);
  } else {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }
}

function finished(res: ServerResponse): Promise<void> {
  if (res.writableFinished || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    res.once('finish', resolve);
    res.once('close', resolve);
  });
}

export class RestifySlackReceiver implements Receiver {
  private app: App | null = null;
  private readonly path: string;
  private readonly ackTimeoutMs: number;
  private readonly bodyLimit: number;
  private readonly now: () => number;
  /** Listener work still running after its ack (drained on stop). */
  private readonly pending = new InFlight();
  /** Bodies handled without Bolt (direct.ts: `message` events). */
  private direct: DirectRoute | null = null;

  constructor(private readonly options: SlackReceiverOptions) {
    this.path = options.path ?? SLACK_EVENTS_PATH;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 3000;
    this.bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;
    this.now = options.now ?? Date.now;
  }

  init(app: App): void {
    this.app = app;
    // Served before restify on the bot's server (we read the raw body and write the answer ourselves anyway).
    if (servePlain(this.options.server, this.path, (req, res) => this.handle(req, res))) return;
    this.options.server.post(this.path, async (req: restify.Request, res: restify.Response) => {
      this.handle(req, res);
      await finished(res);
    });
  }

  /** From now on, a body `route` takes is acknowledged and handed to it instead of Bolt (app.ts). */
  takeDirectly(route: DirectRoute): void {
    this.direct = route;
  }

  /** The shared server is started by the composition root; nothing to do here. */
  async start(): Promise<void> {}

  /** Wait (bounded) for listener work that outlived its ack, so a shutdown does not cut replies off. */
  async stop(timeoutMs = 10_000): Promise<void> {
    await this.pending.drain(timeoutMs);
  }

  /** Number of events whose listeners are still running. */
  inFlight(): number {
    return this.pending.size;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const work = this.process(req, res).catch((err: unknown) => {
      this.options.logger.error({ err }, 'slack request failed');
      send(res, 500);
    });
    void this.pending.track(work);
  }

  private async process(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const log = this.options.logger;
    const read = await readRawBody(req, this.bodyLimit);
    if (!read.ok) {
      log.warn({ limit: this.bodyLimit, read: read.read }, 'slack request body over the limit');
      // Read to its end: the connection stays usable. Past the drain limit: answer, then close the connection.
      if (!read.drained) res.setHeader('connection', 'close');
      send(res, 413);
      if (!read.drained) req.resume();
      return;
    }
    const rawBody = read.bytes;
    const contentType = header(req, 'content-type');
    if (isSslCheck(contentType, rawBody)) {
      send(res, 200);
      return;
    }
    const check = verifySlackSignature(
      this.options.signingSecret,
      { rawBody, timestamp: header(req, 'x-slack-request-timestamp'), signature: header(req, 'x-slack-signature') },
      this.now(),
    );
    if (!check.ok) {
      log.warn({ reason: check.reason }, 'slack request refused: signature not verified');
      send(res, 401);
      return;
    }
    const parsed = parseSlackBody(contentType, rawBody);
    if (!parsed.ok) {
      log.warn({ reason: parsed.reason }, 'slack request refused: malformed body');
      send(res, 400);
      return;
    }
    const body = parsed.body;
    if (typeof body.command === 'string') {
      const id = `${header(req, 'x-slack-request-timestamp')}:${header(req, 'x-slack-signature')}`;
      signedRequests.set(body, createHash('sha256').update(id).digest('hex').slice(0, 40));
    }
    // Every line logged while this request is handled (listeners, use cases, Azure) carries these ids.
    const inner = body.event as { type?: unknown } | undefined;
    addLogContext({
      platform: 'slack',
      slackType: typeof body.type === 'string' ? body.type : typeof body.command === 'string' ? 'slash_command' : null,
      eventId: typeof body.event_id === 'string' ? body.event_id : null,
      eventType: typeof inner?.type === 'string' ? inner.type : null,
    });
    if (body.type === 'url_verification') {
      send(res, 200, { challenge: typeof body.challenge === 'string' ? body.challenge : '' });
      return;
    }
    const app = this.app;
    if (!app) {
      send(res, 503);
      return;
    }
    const direct = this.direct?.(body);
    if (direct) {
      send(res, 200); // as Bolt acknowledges an event: before any middleware or listener
      await direct();
      return;
    }

    let acked = false;
    const timer = setTimeout(() => {
      if (acked) return;
      log.warn({ type: body.type }, 'slack request not acknowledged within 3 seconds: no listener handled it');
      send(res, 404);
    }, this.ackTimeoutMs);
    timer.unref();
    const ack = async (response?: unknown): Promise<void> => {
      if (acked) throw new ReceiverMultipleAckError();
      acked = true;
      clearTimeout(timer);
      send(res, 200, response);
    };
    const retry = header(req, 'x-slack-retry-num');
    const retryReason = header(req, 'x-slack-retry-reason');
    const event: ReceiverEvent = {
      body,
      ack,
      ...(retry !== undefined && /^[0-9]{1,3}$/.test(retry) ? { retryNum: Number(retry) } : {}),
      ...(retryReason ? { retryReason } : {}),
    };
    try {
      await app.processEvent(event);
    } catch (err) {
      clearTimeout(timer);
      if (!acked) {
        acked = true;
        send(res, 500);
      }
      log.error({ err }, 'slack listener failed');
    }
  }
}
