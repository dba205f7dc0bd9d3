import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

it("loading the server does not print restify's DEP0111, and other warnings still print", () => {
  const script = `await import(${JSON.stringify(path.join(ROOT, 'src/server.ts'))}); process.emitWarning('something else', { code: 'X_OTHER' });`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(run.status).toBe(0);
  expect(run.stderr).not.toContain('DEP0111');
  expect(run.stderr).toContain('X_OTHER');
});
