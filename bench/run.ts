/**
 * `npm run bench`: runs every section (or those named on the command line: `npm run bench -- slack chatter`), prints
 * one table and writes bench-results.json. Every ratio is against a baseline measured in the same run, each side the
 * median of 3 interleaved runs; `--quick` runs each side once with short loads, to check that a row works in
 * seconds (its figures are not the ones to quote). Every load loop is bounded in time and every server listens on
 * port 0.
 */
import fs from 'node:fs';
import { QUICK, SECTION_ARGS, wants } from './lib/options.js';
import { SECTIONS } from './registry.js';
import type { BenchResult } from './types.js';

function fmt(n: number | null): string {
  if (n === null) return '-';
  if (Number.isInteger(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3);
}

async function main(): Promise<void> {
  await import('./sections.js');
  const names = SECTION_ARGS.length > 0 ? SECTION_ARGS : Object.keys(SECTIONS);
  const all: BenchResult[] = [];
  for (const name of names) {
    const load = SECTIONS[name];
    if (!load) throw new Error(`unknown bench section "${name}" (have: ${Object.keys(SECTIONS).join(', ')})`);
    const section = await load();
    process.stdout.write(`\n== ${section.title}\n`);
    const rows = (await section.run()).filter((r) => wants(r.name));
    for (const r of rows) {
      process.stdout.write(
        `${r.name.padEnd(58)} ${fmt(r.value).padStart(10)} ${r.unit.padEnd(8)} baseline ${fmt(r.baseline).padStart(9)}  ratio ${fmt(r.ratio).padStart(6)}${r.target ? `  [${r.target}]` : ''}${r.note ? `  (${r.note})` : ''}\n`,
      );
    }
    all.push(...rows);
  }
  fs.writeFileSync(
    'bench-results.json',
    `${JSON.stringify(
      all.map(({ note: _n, ...r }) => r),
      null,
      2,
    )}\n`,
  );
  process.stdout.write(
    `\nwrote bench-results.json (${all.length} rows)${QUICK ? '; --quick: one short run per side, not figures to quote' : ''}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
