/**
 * Installing stays quiet and downloads no binary. better-sqlite3's install script is `prebuild-install || node-gyp
 * rebuild`: prebuild-install would fetch a prebuilt addon from GitHub unless told to build from source, and it reads
 * that from `.prebuild-installrc` (found by walking up from the package's directory). npm itself must not be handed
 * the setting: npm 11 warns about every config key it does not know, on every command.
 *
 * npm 11 also skips every dependency's install script unless package.json's `allowScripts` approves it, and lists the
 * skipped ones after each install: better-sqlite3 is approved (it must compile), the two others are denied on
 * purpose (restify's optional dtrace-provider is a no-op on Linux; esbuild's postinstall only re-checks a binary
 * that its platform package already ships).
 *
 * prebuild-install runs here exactly as npm runs it (from the installed package's directory), with HTTPS sent to a
 * closed local port, so a regression fails on its download attempt instead of reaching the internet.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** The environment without any npm setting this shell or a parent npm may have exported. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, ...extra };
}

async function exitOf(p: Promise<{ stdout: string; stderr: string }>) {
  try {
    const { stdout, stderr } = await p;
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

describe('install configuration', () => {
  it('npm finds no unknown config key in the project', async () => {
    expect(
      fs.existsSync(path.join(root, '.npmrc')) ? fs.readFileSync(path.join(root, '.npmrc'), 'utf8') : '',
    ).not.toMatch(/build-from-source/);
    const { code, output } = await exitOf(
      run('npm', ['config', 'list'], { cwd: root, env: cleanEnv({}), timeout: 20_000 }),
    );
    expect(code).toBe(0);
    expect(output).not.toMatch(/Unknown (project|env|user) config/);
  });

  it('every dependency with an install script is reviewed in allowScripts: better-sqlite3 builds, no warning', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      allowScripts: Record<string, boolean>;
    };
    expect(pkg.allowScripts['better-sqlite3']).toBe(true);
    const { code, output } = await exitOf(
      run('npm', ['install-scripts', 'ls'], { cwd: root, env: cleanEnv({}), timeout: 30_000 }),
    );
    expect(code).toBe(0);
    expect(output).toContain('No packages with unreviewed install scripts.');
  });

  it("better-sqlite3's prebuild-install is told to build from source and attempts no download", async () => {
    const pkgDir = path.join(root, 'node_modules', 'better-sqlite3');
    const bin = path.join(root, 'node_modules', 'prebuild-install', 'bin.js');
    const closed = 'http://127.0.0.1:9';
    const { code, output } = await exitOf(
      run(process.execPath, [bin], {
        cwd: pkgDir,
        env: cleanEnv({ npm_config_loglevel: 'info', https_proxy: closed, HTTPS_PROXY: closed }),
        timeout: 20_000,
      }),
    );
    // Exit 1 hands over to `node-gyp rebuild`, as npm's install script expects.
    expect(code).toBe(1);
    expect(output).toContain('--build-from-source specified, not attempting download');
    expect(output).not.toMatch(/http request|looking for (local|cached) prebuild/);
  });
});
