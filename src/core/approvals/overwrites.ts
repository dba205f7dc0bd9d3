/**
 * The race the bot cannot close: ARM has no ETag for registries, so a change someone else makes between the bot's
 * last read and its PATCH is replaced by the PATCH. What can be done is to notice it afterwards, from the writes the
 * Activity Log recorded in that window. Pure: the Activity Log is read by the caller.
 */

/** What the Activity Log says about one write (the app's RegistryWrite has this shape). */
export interface LoggedWrite {
  at: string;
  caller: string | null;
  status: string;
  correlationId: string | null;
}

/**
 * Writes by anyone but the bot, one per operation (its earliest logged phase), oldest first. The bot is known by
 * its own PATCH (`ours`, a correlation id) and by whoever the log says made that PATCH (so an earlier write of the
 * bot's just before the window is not taken for someone else's). An operation that logged a failure is left out:
 * a failed write changed nothing.
 */
export function writesByOthers<T extends LoggedWrite>(writes: readonly T[], ours: string | null): T[] {
  const same = (a: string | null, b: string | null): boolean =>
    a !== null && b !== null && a.toLowerCase() === b.toLowerCase();
  const bot = ours === null ? null : (writes.find((w) => same(w.correlationId, ours))?.caller ?? null);
  const keyOf = (w: T): string => w.correlationId?.toLowerCase() ?? `${w.at}|${w.caller ?? ''}`;
  const failed = new Set(writes.filter((w) => w.status.toLowerCase() === 'failed').map(keyOf));
  const seen = new Set<string>();
  const out: T[] = [];
  for (const w of [...writes].sort((a, b) => a.at.localeCompare(b.at))) {
    if (same(w.correlationId, ours) || same(w.caller, bot)) continue;
    const key = keyOf(w);
    if (failed.has(key) || seen.has(key)) continue;
    seen.add(key);
    out.push(w);
  }
  return out;
}
