/**
 * One row of `bench-results.json` (the README's "Development"): `{"name","value","unit","baseline","ratio"}`.
 * `baseline` is the same quantity for the reference implementation measured in the same run (null when the figure is
 * absolute, e.g. a call count against an aim); `ratio` = value / baseline.
 */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline: number | null;
  ratio: number | null;
  /** What the baseline is and what the aim is, for the printed table. */
  note?: string;
}

export interface BenchSection {
  title: string;
  run(): Promise<BenchResult[]>;
}

export function result(
  name: string,
  value: number,
  unit: string,
  baseline: number | null = null,
  note?: string,
): BenchResult {
  const ratio = baseline !== null && baseline !== 0 ? value / baseline : null;
  return { name, value, unit, baseline, ratio, ...(note ? { note } : {}) };
}
