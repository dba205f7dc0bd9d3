/**
 * The per-registry queue: at most one run per registry at a time, holding the registry's lock across every instance
 * (Store.withRegistryLock). A kick waits out the debounce (so approvals that arrive together share one PATCH), or
 * runs at once; a kick during a run asks for one more run after it. stop() takes no new work and waits, bounded,
 * for running work to reach a point where everything is on record. It is handed the work; it knows nothing of it.
 */
import { idKey } from '../../core/registry-ref.js';
import type { Logger } from '../../log.js';
import { InFlight } from '../in-flight.js';
import { RegistryLockTimeoutError, type LockStore } from '../store.js';
import { Stopped } from './arm-errors.js';
import type { ApprovalSettings } from './deps.js';
import type { Run } from './worker-types.js';

interface Slot {
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
  dirty: boolean;
}

export class RegistryQueue {
  private readonly slots = new Map<string, Slot>();
  private readonly runs = new InFlight();
  private readonly stopping = new AbortController();

  constructor(
    private readonly deps: {
      store: LockStore;
      logger: Logger;
      settings: Pick<ApprovalSettings, 'debounceMs' | 'lockTimeoutMs' | 'stopTimeoutMs'>;
    },
    private readonly work: (run: Run) => Promise<void>,
  ) {}

  /** Aborted by stop(): what long waits inside a run listen to. */
  get stopSignal(): AbortSignal {
    return this.stopping.signal;
  }

  /** Ask for a run on this registry: after the debounce (so approvals arriving together batch), or at once. */
  kick(registryId: string, opts: { immediate?: boolean } = {}): void {
    if (this.stopping.signal.aborted) return;
    const key = idKey(registryId);
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { timer: null, running: null, dirty: false };
      this.slots.set(key, slot);
    }
    if (slot.running) {
      slot.dirty = true;
      return;
    }
    if (slot.timer) return;
    const s = slot;
    s.timer = setTimeout(
      () => {
        s.timer = null;
        s.running = this.runs.track(
          this.run(registryId).finally(() => {
            s.running = null;
            if (s.dirty && !this.stopping.signal.aborted) {
              s.dirty = false;
              this.kick(registryId);
            } else if (!s.timer) this.slots.delete(key);
          }),
        );
      },
      opts.immediate ? 0 : this.deps.settings.debounceMs,
    );
  }

  /** Resolves when no run is scheduled or running (tests wait on this instead of sleeping). */
  async idle(timeoutMs = 60_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const waiting = [...this.slots.values()].some((s) => s.timer !== null);
      if (this.runs.size === 0 && !waiting) return;
      if (Date.now() > until) throw new Error(`registry worker still busy after ${timeoutMs} ms`);
      if (this.runs.size > 0) await this.runs.drain(50);
      else await new Promise((r) => setTimeout(r, Math.min(50, this.deps.settings.debounceMs + 1)));
    }
  }

  /** No new runs; a running one stops at its next resumable point (the operation is recorded), bounded. */
  async stop(): Promise<void> {
    this.stopping.abort(new Stopped());
    for (const s of this.slots.values()) {
      if (s.timer) clearTimeout(s.timer);
      s.timer = null;
    }
    await this.runs.drain(this.deps.settings.stopTimeoutMs);
  }

  private async run(registryId: string): Promise<void> {
    const log = this.deps.logger;
    try {
      await this.deps.store.withRegistryLock(
        registryId,
        (lock) => this.work({ registryId, lock, stop: this.stopping.signal }),
        { timeoutMs: this.deps.settings.lockTimeoutMs },
      );
    } catch (err) {
      if (err instanceof Stopped) return;
      if (err instanceof RegistryLockTimeoutError) {
        // Another instance holds it and will see our requests when it lists them; the scheduler retries otherwise.
        log.info({ registryId }, 'registry busy on another instance; it takes our requests too');
        return;
      }
      log.error({ err, registryId }, 'registry worker run failed; the scheduler retries it');
    }
  }
}
