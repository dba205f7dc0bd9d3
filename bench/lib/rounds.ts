/**
 * Interleaved runs: each side measured `runs` times on a fresh server, the order rotating every run (a b c, b c a,
 * c a b, …) so that no side always goes first while the machine's load drifts; each measurement after a discarded
 * warm-up on the same server. Returns every side's runs; the rows report their medians.
 */
import type { Child } from './proc.js';
import type { Kind, Stack, StartOptions } from './stack.js';

export async function rounds<R>(
  stack: Stack,
  kinds: Kind[],
  runs: number,
  measure: (kind: Kind, child: Child, warmup: boolean) => Promise<R>,
  hooks: {
    start?: (kind: Kind) => StartOptions;
    /** Before the warm-up: e.g. one message waited for, so one-off costs fall before any window. */
    prime?: (kind: Kind, child: Child) => Promise<void>;
  } = {},
): Promise<Map<Kind, R[]>> {
  const out = new Map<Kind, R[]>(kinds.map((k) => [k, []]));
  for (let run = 0; run < runs; run++) {
    for (let i = 0; i < kinds.length; i++) {
      const kind = kinds[(i + run) % kinds.length]!;
      const child = await stack.start(kind, hooks.start?.(kind) ?? {});
      try {
        await hooks.prime?.(kind, child);
        await measure(kind, child, true);
        out.get(kind)!.push(await measure(kind, child, false));
      } finally {
        await stack.stop(child);
      }
    }
  }
  return out;
}
