/**
 * Command-line options of `npm run bench` (and the profiler): section names, and `--quick` for a run of seconds
 * that checks a row works (one run of each side, short load) instead of the median of three interleaved runs.
 * Read once from process.argv; sections ask here instead of parsing argv themselves.
 */
const args = process.argv.slice(2);

export const QUICK = args.includes('--quick');

/** Section names given on the command line (anything not starting with `--`). */
export const SECTION_ARGS = args.filter((a) => !a.startsWith('--'));

/** Interleaved runs of each side per row: 3 (the median is reported), 1 with --quick. */
export const RUNS = QUICK ? 1 : 3;

/** A load duration in seconds, shortened with --quick (never under one second). */
export function seconds(full: number): number {
  return QUICK ? Math.max(1, Math.round(full / 4)) : full;
}
