/**
 * Command-line options of `npm run bench` (and the profiler): section names, `--quick` for a run of seconds that
 * checks a row works (one run of each side, short load) instead of the median of three interleaved runs, and
 * `--only TEXT` for the rows whose name contains TEXT (a section measures only what those rows need, where it can:
 * `npm run bench -- slack --only 'ack latency'`), and `--runs N` for N interleaved runs of each side instead of 3 (rows
 * that wall time or memory decide, alone: `npm run bench -- startup --runs 7`). Read once from process.argv; sections
 * ask here.
 */
const args = process.argv.slice(2);

export const QUICK = args.includes('--quick');

const onlyAt = args.indexOf('--only');
const runsAt = args.indexOf('--runs');
/** `--only TEXT`: rows whose name contains TEXT (case-insensitive); null for every row. */
const ONLY = onlyAt >= 0 ? (args[onlyAt + 1] ?? '').toLowerCase() : null;

/** Whether a row named `name` is asked for. */
export function wants(name: string): boolean {
  return ONLY === null || name.toLowerCase().includes(ONLY);
}

/** Section names given on the command line (anything not starting with `--`, nor the value of `--only` or `--runs`). */
export const SECTION_ARGS = args.filter(
  (a, i) => !a.startsWith('--') && !(onlyAt >= 0 && i === onlyAt + 1) && !(runsAt >= 0 && i === runsAt + 1),
);

/** Interleaved runs of each side per row: 3 (the median is reported), 1 with --quick, N with --runs N. */
export const RUNS = runsAt >= 0 ? Math.max(1, Number.parseInt(args[runsAt + 1] ?? '', 10) || 3) : QUICK ? 1 : 3;

/** A load duration in seconds, shortened with --quick (never under one second). */
export function seconds(full: number): number {
  return QUICK ? Math.max(1, Math.round(full / 4)) : full;
}
