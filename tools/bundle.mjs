// `npm run build`'s second step, after `tsc -p tsconfig.build.json` has compiled src/ into dist/: bundle the two entry
// points (dist/main.js, `npm start` and the image's CMD; dist/cli/main.js, the package's bin) with esbuild and put
// the bundles in dist/'s place, so a start loads 9 files instead of ~220 modules through Node's ESM loader
// (docs/performance.md, "Start-up and resident memory"). npm packages stay external (node_modules is loaded as
// before); dynamic import()s stay dynamic: with splitting, each lazily loaded part (Slack, PostgreSQL, the policy
// file, telemetry, Azure, the CLI's commands...) is its own chunk, loaded only when imported. Each entry point is
// bundled on its own: one build for both would split the code they share into more chunks the bot loads at start.
// Linked source maps map back to src/ through tsc's maps (not enabled at run time unless --enable-source-maps is
// given). Plain JS: it runs in the Dockerfile's build stage next to tsc.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
// A sibling of dist/ (same depth, so the source maps' relative paths to src/ hold after the rename).
const staging = path.join(root, '.dist-bundle');

fs.rmSync(staging, { recursive: true, force: true });
for (const [name, entry] of [
  ['main', 'dist/main.js'],
  ['cli/main', 'dist/cli/main.js'],
]) {
  // Chunk names carry a hash of their content: the two builds never write one file twice with different contents.
  await build({
    absWorkingDir: root,
    entryPoints: { [name]: entry },
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
  });
}
// tsc's output is replaced as a whole: no stale module can be loaded by mistake or shipped in the image.
fs.rmSync(dist, { recursive: true, force: true });
fs.renameSync(staging, dist);
