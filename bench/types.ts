/**
 * One row of `bench-results.json` (the README's "Development"): `{"name","value","unit","baseline","ratio"}`, plus
 * `"target"` (the aim, in words: `ratio <= 1.1`, `value = 0`) and `"runs"` (interleaved runs of each side whose
 * median is `value` and `baseline`) when a row has them. `baseline` is the same quantity for the reference
 * implementation measured in the same run (null when the figure is absolute, e.g. a call count against an aim);
 * `ratio` = value / baseline.
 */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline: number | null;
  ratio: number | null;
  target?: string;
  runs?: number;
  /** What the baseline is, for the printed table (not written to the JSON). */
  note?: string;
}

export interface BenchSection {
  title: string;
  run(): Promise<BenchResult[]>;
}

export interface RowExtra {
  note?: string;
  target?: string;
  runs?: number;
}

export function result(
  name: string,
  value: number,
  unit: string,
  baseline: number | null = null,
  extra?: string | RowExtra,
): BenchResult {
  const { note, target, runs } = typeof extra === 'string' ? { note: extra } : (extra ?? {});
  const ratio = baseline !== null && baseline !== 0 && Number.isFinite(baseline) ? value / baseline : null;
  return {
    name,
    value,
    unit,
    baseline,
    ratio,
    ...(target ? { target } : {}),
    ...(runs ? { runs } : {}),
    ...(note ? { note } : {}),
  };
}
