/**
 * A keyed async mutex with a bounded wait: callers with the same key run one at a time, in arrival order.
 * Used for SQLite (one writer per file within the process) and for per-registry apply locks within a process.
 */
export class LockWaitTimeout extends Error {
  override readonly name = 'LockWaitTimeout';
}

interface Waiter {
  grant: () => void;
}

export class KeyedMutex {
  private readonly queues = new Map<string, Waiter[]>();
  private readonly held = new Set<string>();

  /** Run `fn` holding `key`; waits at most `timeoutMs` for the key, then rejects with LockWaitTimeout. */
  async run<T>(key: string, fn: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
    const release = await this.lock(key, timeoutMs);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** Wait for `key` (at most `timeoutMs`, else LockWaitTimeout); resolves with the function that releases it. */
  async lock(key: string, timeoutMs = 60_000): Promise<() => void> {
    await this.acquire(key, timeoutMs);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release(key);
    };
  }

  isHeld(key: string): boolean {
    return this.held.has(key);
  }

  private acquire(key: string, timeoutMs: number): Promise<void> {
    if (!this.held.has(key)) {
      this.held.add(key);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const queue = this.queues.get(key) ?? [];
      this.queues.set(key, queue);
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        const i = queue.indexOf(waiter);
        if (i >= 0) queue.splice(i, 1);
        reject(new LockWaitTimeout(`waited more than ${timeoutMs} ms for ${key}`));
      }, timeoutMs);
      timer.unref?.();
      queue.push(waiter);
    });
  }

  private release(key: string): void {
    const queue = this.queues.get(key);
    const next = queue?.shift();
    if (next) {
      // Hand the key straight to the next waiter: it stays held, so nobody can barge in between.
      next.grant();
      return;
    }
    this.queues.delete(key);
    this.held.delete(key);
  }
}
