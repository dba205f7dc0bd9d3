import { describe, expect, it } from 'vitest';
import { InFlight } from '../../src/app/in-flight.js';

function deferred(): { promise: Promise<void>; resolve(): void; reject(err: Error): void } {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('InFlight', () => {
  it('drains at once when nothing runs', async () => {
    expect(await new InFlight().drain(10_000)).toBe(true);
  });

  it('waits for tracked work, failed work included, and for work started while draining', async () => {
    const t = new InFlight();
    const a = deferred();
    const b = deferred();
    const late = deferred();
    t.track(a.promise);
    t.track(b.promise).catch(() => undefined);
    expect(t.size).toBe(2);
    const drained = t.drain(10_000);
    a.resolve();
    await a.promise;
    t.track(late.promise);
    b.reject(new Error('side effect failed'));
    await b.promise.catch(() => undefined);
    expect(t.size).toBe(1);
    late.resolve();
    expect(await drained).toBe(true);
    expect(t.size).toBe(0);
  });

  it('gives up after the timeout and says so', async () => {
    const t = new InFlight();
    t.track(new Promise<void>(() => undefined));
    expect(await t.drain(20)).toBe(false);
    expect(t.size).toBe(1);
  });
});
