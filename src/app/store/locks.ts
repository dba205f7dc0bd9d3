/** The locks role of the store port: one read-modify-write of a registry's rule set at a time, across instances. */

export interface RegistryLockOptions {
  /** Give up waiting after this long (default 60 s) with RegistryLockTimeoutError. */
  timeoutMs?: number;
}

export interface RegistryLock {
  /**
   * Aborted if the lock is lost while held (PostgreSQL: the lock's connection dropped, so the server released it).
   * Long work should check it before each ARM write.
   */
  signal: AbortSignal;
}

export class RegistryLockTimeoutError extends Error {
  override readonly name = 'RegistryLockTimeoutError';
  constructor(
    readonly registryId: string,
    readonly waitedMs: number,
  ) {
    super(
      `Another apply for registry ${registryId} held its lock for more than ${Math.round(waitedMs / 1000)} s; try again later.`,
    );
  }
}

export interface LockStore {
  /**
   * Run `fn` while holding the registry's apply lock, so one read-modify-write of its rule set runs at a time.
   * PostgreSQL: an advisory lock, safe across instances, released on error and by the server if the connection
   * drops. SQLite: an in-process lock; SQLite means a single bot instance.
   */
  withRegistryLock<T>(
    registryId: string,
    fn: (lock: RegistryLock) => Promise<T>,
    options?: RegistryLockOptions,
  ): Promise<T>;
}
