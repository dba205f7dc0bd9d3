/**
 * Running the built CLI (`node dist/cli/main.js`) as a child process, the way users and CI do. `ensureBuilt()`
 * runs `npm run build`'s two steps (tsc, then tools/bundle.mjs) when dist/ is older than src/ (under a lock, so
 * parallel test files do not build over each other); every child gets a clean environment and a hard time limit.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(ROOT, 'dist/cli/main.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function stale(): boolean {
  if (!fs.existsSync(CLI)) return true;
  return newestMtime(path.join(ROOT, 'src')) > fs.statSync(CLI).mtimeMs;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Build dist/ if any source is newer. Type errors elsewhere do not stop tsc from emitting, so they are reported, not fatal. */
export async function ensureBuilt(timeoutMs = 120_000): Promise<void> {
  if (!stale()) return;
  const lock = path.join(os.tmpdir(), `acr-access-build-${Buffer.from(ROOT).toString('hex').slice(-24)}.lock`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // Someone else is building; a lock older than the time limit is left over from a killed run.
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > timeoutMs) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another build of dist/');
      await sleep(250);
    }
  }
  try {
    if (!stale()) return;
    const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: timeoutMs,
    });
    if (!fs.existsSync(CLI)) throw new Error(`npm run build produced no ${CLI}:\n${r.stdout}${r.stderr}`);
    if (r.status !== 0)
      process.stderr.write(`[cli tests] tsc reported errors (dist was still emitted):\n${r.stdout.slice(0, 2000)}\n`);
    const b = spawnSync(process.execPath, [path.join(ROOT, 'tools/bundle.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: timeoutMs,
    });
    if (b.status !== 0) throw new Error(`tools/bundle.mjs failed:\n${b.stdout}${b.stderr}`);
    // Mark the build as current (the bundle rewrites dist/, but keep the mark independent of that).
    const now = new Date();
    fs.utimesSync(CLI, now, now);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `acr-access <args>` with `stdin` piped in and only the given environment (plus PATH/HOME). */
export function runCli(
  args: string[],
  opts: { stdin?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), LOG_LEVEL: 'warn', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`acr-access ${args.join(' ')} did not finish in time\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 30_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.stdin ?? '');
  });
}
