/**
 * `npm start` compiles only when it has to (tools/build-if-stale.mjs, its prestart). The script runs here on a copy
 * of a project in a temporary directory whose compiler is a stand-in that records each run and writes
 * dist/main.js, and whose bundling step (tools/bundle.mjs) is a stand-in that records its runs, so what is checked
 * is the decision: build when dist/ is missing or older than src/, the compiler settings or the bundling script, not
 * otherwise, bundle after each compile that succeeded, and never call a failed build current.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../tools/build-if-stale.mjs');
const FAKE_TSC = `
const fs = require('node:fs');
fs.appendFileSync('compiles.log', 'x');
if (fs.existsSync('fail-next')) { fs.rmSync('fail-next'); process.exit(2); }
fs.mkdirSync('dist', { recursive: true });
fs.writeFileSync('dist/main.js', '');
`;
const FAKE_BUNDLE = `
import fs from 'node:fs';
fs.appendFileSync('bundles.log', 'x');
`;

let root: string;
const run = (): { code: number; out: string } => {
  try {
    return {
      code: 0,
      out: execFileSync(process.execPath, [path.join(root, 'tools/build-if-stale.mjs')], {
        cwd: root,
        encoding: 'utf8',
        stdio: 'pipe',
      }),
    };
  } catch (err) {
    const e = err as { status: number; stdout: string };
    return { code: e.status, out: e.stdout };
  }
};
const count = (log: string) =>
  fs.existsSync(path.join(root, log)) ? fs.readFileSync(path.join(root, log), 'utf8').length : 0;
const compiles = () => count('compiles.log');
const bundles = () => count('bundles.log');
/** Set a file's modification time to `seconds` ago (the stamp and the sources get explicit, ordered times). */
const age = (file: string, seconds: number) => {
  const t = new Date(Date.now() - seconds * 1000);
  fs.utimesSync(path.join(root, file), t, t);
};
const SOURCES = [
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'tools/bundle.mjs',
  'src/main.ts',
  'src/app/chat.ts',
];
/** The last build, `seconds` ago: the stamp and every output. */
const builtAgo = (seconds: number) => {
  for (const f of ['dist/.build-stamp', 'dist/main.js']) if (fs.existsSync(path.join(root, f))) age(f, seconds);
};

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-build-stale-'));
  for (const dir of ['tools', 'src/app', 'node_modules/typescript/bin'])
    fs.mkdirSync(path.join(root, dir), { recursive: true });
  fs.copyFileSync(SCRIPT, path.join(root, 'tools/build-if-stale.mjs'));
  fs.writeFileSync(path.join(root, 'node_modules/typescript/bin/tsc'), FAKE_TSC);
  fs.writeFileSync(path.join(root, 'tools/bundle.mjs'), FAKE_BUNDLE);
  for (const f of ['package.json', 'tsconfig.json', 'tsconfig.build.json']) fs.writeFileSync(path.join(root, f), '{}');
  fs.writeFileSync(path.join(root, 'src/main.ts'), '');
  fs.writeFileSync(path.join(root, 'src/app/chat.ts'), '');
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('npm start builds only a stale dist/', () => {
  it('builds when there is no dist/, then not again while nothing changed', () => {
    expect(run().code).toBe(0);
    expect(compiles()).toBe(1);
    expect(bundles()).toBe(1);
    expect(run()).toEqual({ code: 0, out: '' });
    expect(compiles()).toBe(1);
    expect(bundles()).toBe(1);
  });

  it('a dist/ that `npm run build` wrote (no stamp) after the last change counts as current', () => {
    fs.rmSync(path.join(root, 'dist/.build-stamp'));
    for (const f of SOURCES) age(f, 300);
    age('dist/main.js', 200);
    expect(run()).toEqual({ code: 0, out: '' });
    expect(compiles()).toBe(1);
  });

  it('builds again after a source file in a subdirectory, the compiler settings or the bundling script change', () => {
    for (const f of SOURCES) age(f, 300);
    builtAgo(200);
    expect(run().out).toBe('');
    age('src/app/chat.ts', 100);
    expect(run().out).toContain('building dist/');
    expect(compiles()).toBe(2);
    expect(run().out).toBe('');
    builtAgo(200);
    age('tsconfig.build.json', 100);
    run();
    expect(compiles()).toBe(3);
    for (const f of SOURCES) age(f, 300);
    builtAgo(200);
    expect(run().out).toBe('');
    age('tools/bundle.mjs', 100);
    run();
    expect(compiles()).toBe(4);
    expect(bundles()).toBe(4);
  });

  it('a failed build fails the start and stays stale', () => {
    builtAgo(200);
    age('src/main.ts', 100);
    fs.writeFileSync(path.join(root, 'fail-next'), '');
    expect(run().code).not.toBe(0);
    expect(compiles()).toBe(5);
    expect(bundles()).toBe(4); // nothing to bundle after a failed compile
    expect(run().code).toBe(0);
    expect(compiles()).toBe(6);
    expect(bundles()).toBe(5);
  });
});
