// `npm start`'s prestart (and the bench): build dist/ as `npm run build` does (tsc, then tools/bundle.mjs) only when
// dist/ is missing or older than a source file, the compiler settings or the bundling script, so an up-to-date build
// starts at once. The last build is the newest file in dist/ (`npm run build`, run by `npm install`, included) or the
// stamp this script writes, whichever is newer: the stamp covers a build whose outputs did not change. Plain JS, no
// dependencies: it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stamp = path.join(root, 'dist', '.build-stamp');
const inputs = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'tools/bundle.mjs'].map((f) =>
  path.join(root, f),
);

/** The newest modification time under `dir` (files only), or 0 when it does not exist. */
function newest(dir) {
  let max = 0;
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    max = Math.max(max, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return max;
}

const built = Math.max(fs.statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? 0, newest(path.join(root, 'dist')));
const changed = Math.max(newest(path.join(root, 'src')), ...inputs.map((f) => fs.statSync(f).mtimeMs));
if (built > changed && fs.existsSync(path.join(root, 'dist', 'main.js'))) process.exit(0);

const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
if (!fs.existsSync(tsc)) {
  process.stderr.write('dist/ is missing or older than src/, and TypeScript is not installed: run `npm ci` first.\n');
  process.exit(1);
}
process.stdout.write('building dist/ (src/ changed since the last build)\n');
// The stamp carries the time the build started: a source saved during the build makes the next start build again.
const started = new Date();
for (const args of [[tsc, '-p', 'tsconfig.build.json'], [path.join(root, 'tools', 'bundle.mjs')]]) {
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
fs.writeFileSync(stamp, `${started.toISOString()}\n`);
fs.utimesSync(stamp, started, started);
