/**
 * Per-request and per-turn log context: fields (request id, platform, activity or event id, conversation) that every
 * log line written while handling one request carries, wherever it is logged from (adapter, use case, Azure
 * adapter). The server opens a context per request; adapters add the turn's fields; the logger mixes them in.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

type Fields = Record<string, string | number | boolean | null>;

const storage = new AsyncLocalStorage<Fields>();

/** Run `fn` with a fresh context holding `fields` (nested contexts start from a copy of the outer one). */
export function runWithLogContext<T>(fields: Fields, fn: () => T): T {
  return storage.run({ ...(storage.getStore() ?? {}), ...fields }, fn);
}

/** Add fields to the current context (no-op outside one). Values must be identifiers, never user text or secrets. */
export function addLogContext(fields: Fields): void {
  const store = storage.getStore();
  if (store) Object.assign(store, fields);
}

/**
 * Each HTTP request's context, so a handler can re-enter it: restify's body parsers resume the handler chain from
 * the request stream's 'end' event, which runs outside the context the server opened for the request.
 */
const byRequest = new WeakMap<object, Fields>();

/** Open a context for an HTTP request and remember it (server.ts). */
export function runWithRequestLogContext<T>(req: object, fields: Fields, fn: () => T): T {
  return runWithLogContext(fields, () => {
    byRequest.set(req, storage.getStore()!);
    return fn();
  });
}

/** Run `fn` inside the context of `req` (the same object, so fields added inside are seen by later lines too). */
export function withRequestLogContext<T>(req: object, fn: () => T): T {
  const fields = byRequest.get(req);
  return fields ? storage.run(fields, fn) : fn();
}

/** The current context, for the logger's mixin. */
export function logContext(): Fields {
  return storage.getStore() ?? {};
}
