/**
 * House rule: a source file has one job, and no file under src/ is over 300 lines. `npm run check:size` lists every
 * file over the limit and fails; `npm run check` runs it.
 */
import fs from 'node:fs';
import path from 'node:path';

const MAX_LINES = 300;
const ROOT = 'src';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(c|m)?ts$/.test(e.name) ? [p] : [];
  });
}

/** Lines as `wc -l` and editors count them: a last line without a newline still counts. */
function lineCount(file: string): number {
  const text = fs.readFileSync(file, 'utf8');
  if (text === '') return 0;
  const newlines = text.split('\n').length - 1;
  return text.endsWith('\n') ? newlines : newlines + 1;
}

const over = sourceFiles(ROOT)
  .map((file) => ({ file, lines: lineCount(file) }))
  .filter((f) => f.lines > MAX_LINES)
  .sort((a, b) => b.lines - a.lines);

if (over.length > 0) {
  process.stderr.write(
    `${over.length} file(s) under ${ROOT}/ over ${MAX_LINES} lines; split each by job:\n${over
      .map((f) => `  ${f.file}: ${f.lines} lines`)
      .join('\n')}\n`,
  );
  process.exitCode = 1;
} else {
  process.stdout.write(`✔ every file under ${ROOT}/ is at most ${MAX_LINES} lines\n`);
}
