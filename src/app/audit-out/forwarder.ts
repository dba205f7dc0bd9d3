/**
 * Takes audit events out of the store's outbox and hands them to their sinks: per sink, strictly oldest first, the
 * next one only after the one before it was taken, a failed one retried with doubling back-off (kept in the store, so
 * a restart keeps it). It runs beside the bot and never inside a chat turn or a transition: a sink that is down
 * delays only its own queue. Several instances on one PostgreSQL take turns per sink through a store lock, so order
 * holds across instances too.
 */
import type { Logger } from '../../log.js';
import type { Clock } from '../ports.js';
import { RegistryLockTimeoutError, type AuditOutboxStore, type LockStore } from '../store.js';
import type { AuditSink } from './sink.js';

export interface ForwarderSettings {
  /** Look for new events this often. */
  pollMs: number;
  /** First wait after a failure; doubles per failed attempt up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Wait this long for another instance delivering to the same sink, then look again later. */
  lockTimeoutMs: number;
}

export const DEFAULT_FORWARDER_SETTINGS: ForwarderSettings = {
  pollMs: 1_000,
  retryBaseMs: 1_000,
  retryMaxMs: 5 * 60_000,
  lockTimeoutMs: 500,
};

/** At most this many deliveries per turn of one sink, so stop() is never kept waiting behind a long backlog. */
const BATCH = 100;

export function retryDelayMs(attempts: number, s: Pick<ForwarderSettings, 'retryBaseMs' | 'retryMaxMs'>): number {
  return Math.min(s.retryMaxMs, s.retryBaseMs * 2 ** Math.min(attempts, 30));
}

export interface AuditForwarder {
  start(): void;
  /** No new deliveries; waits for the one under way. */
  stop(): Promise<void>;
  /** Look at every sink's queue now. */
  kick(): void;
}

export function createAuditForwarder(deps: {
  store: AuditOutboxStore & LockStore;
  sinks: readonly AuditSink[];
  clock: Clock;
  logger: Logger;
  settings?: Partial<ForwarderSettings>;
}): AuditForwarder {
  const s = { ...DEFAULT_FORWARDER_SETTINGS, ...deps.settings };
  const log = deps.logger;
  let stopped = true;
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Map<string, Promise<void>>();

  /** One sink's turn: deliver what is due, in order; resolves with how long to wait before the next turn. */
  async function drain(sink: AuditSink): Promise<number> {
    for (let n = 0; n < BATCH && !stopped; n++) {
      const entry = await deps.store.nextForSink(sink.name);
      if (!entry) return s.pollMs;
      const wait = Date.parse(entry.nextAttemptAt) - deps.clock.now().getTime();
      if (wait > 0) return Math.min(wait, s.retryMaxMs);
      const seq = entry.event.seq;
      try {
        await sink.deliver(entry.event);
      } catch (err) {
        const delay = retryDelayMs(entry.attempts, s);
        const error = err instanceof Error ? err.message : String(err);
        await deps.store.markFailed(sink.name, seq, error, new Date(deps.clock.now().getTime() + delay));
        log.warn(
          { sink: sink.name, seq, attempts: entry.attempts + 1, retryInMs: delay, error },
          'audit delivery failed',
        );
        return delay;
      }
      await deps.store.markDelivered(sink.name, seq);
      if (entry.attempts > 0)
        log.info({ sink: sink.name, seq, attempts: entry.attempts + 1 }, 'audit delivery resumed');
    }
    return 0;
  }

  async function turn(sink: AuditSink): Promise<number> {
    // Cheap look first: the lock (a connection on PostgreSQL) is taken only when something waits.
    if (!(await deps.store.nextForSink(sink.name))) return s.pollMs;
    return deps.store.withRegistryLock(`audit-outbox/${sink.name}`, () => drain(sink), {
      timeoutMs: s.lockTimeoutMs,
    });
  }

  function schedule(sink: AuditSink, ms: number): void {
    if (stopped) return;
    clearTimeout(timers.get(sink.name));
    const timer = setTimeout(() => run(sink), ms);
    timer.unref?.();
    timers.set(sink.name, timer);
  }

  function run(sink: AuditSink): void {
    if (stopped || running.has(sink.name)) return;
    const work = turn(sink).then(
      (next) => schedule(sink, next),
      (err: unknown) => {
        if (!(err instanceof RegistryLockTimeoutError))
          log.error({ err, sink: sink.name }, 'audit outbox unreadable; looking again later');
        schedule(sink, s.pollMs);
      },
    );
    running.set(
      sink.name,
      work.finally(() => running.delete(sink.name)),
    );
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      for (const sink of deps.sinks) run(sink);
    },
    async stop() {
      stopped = true;
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      await Promise.all(running.values());
    },
    kick() {
      for (const sink of deps.sinks) run(sink);
    },
  };
}
