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

/** The current context, for the logger's mixin. */
export function logContext(): Fields {
  return storage.getStore() ?? {};
}
