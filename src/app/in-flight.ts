/**
 * Work that outlives the call that started it (a late card result, a Slack listener after its ack, an HTTP request,
 * an approval side effect, a registry run), tracked so a shutdown can wait for it, but never forever.
 */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  /** Track `work` until it settles; returns it unchanged. A rejection is the caller's to handle. */
  track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
    return work;
  }

  get size(): number {
    return this.running.size;
  }

  /**
   * Resolves once nothing is in flight, including work started while waiting, or when `timeoutMs` has passed.
   * True when everything finished in time.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.running.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        timedOut = true;
        resolve();
      }, timeoutMs);
      timer.unref?.();
    });
    try {
      while (this.running.size > 0 && !timedOut) await Promise.race([Promise.all([...this.running]), deadline]);
    } finally {
      clearTimeout(timer);
    }
    return this.running.size === 0;
  }
}
