/**
 * `acr-access parse [FILE|-] [--json]`: in process through runCli, and as the built CLI (dist/, built on demand
 * under a lock shared with the other CLI tests) in a child process.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../../src/cli/io.js';
import { runCli } from '../../../src/cli/main.js';
import { CLI, ensureBuilt } from '../../integration/cli-support.js';
import { loadSamples } from './support.js';

const ROOT = path.resolve(__dirname, '../../..');
const samples = loadSamples();
const FIREWALL = samples.find((s) => s.expect.ip !== null && s.expect.registryName !== null);
const KEYS = ['kind', 'loginServer', 'registryName', 'ip', 'repository', 'reference', 'tool', 'excerpt'];

function memoryIO(stdin = ''): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => {
      io.out += t;
    },
    stderr: (t: string) => {
      io.err += t;
    },
    stdin: async () => stdin,
    env: {},
    cwd: ROOT,
  };
  return io;
}

let tmp = '';
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-parse-cli-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('acr-access parse (in process)', () => {
  it('the fixture corpus has a firewall sample with a registry and an IP', () => {
    expect(FIREWALL).toBeDefined();
  });

  it('--json from stdin prints exactly the contract, fields in order', async () => {
    const io = memoryIO(FIREWALL?.text);
    expect(await runCli(['parse', '--json'], io)).toBe(0);
    expect(io.err).toBe('');
    const out = JSON.parse(io.out) as { findings: Record<string, unknown>[] };
    expect(Object.keys(out)).toEqual(['findings']);
    expect(out.findings.length).toBeGreaterThan(0);
    for (const f of out.findings) expect(Object.keys(f)).toEqual(KEYS);
    expect(out.findings[0]).toMatchObject({ kind: 'firewall_denied', ...FIREWALL?.expect });
    expect(io.out.endsWith('\n')).toBe(true);
  });

  it('--json with nothing recognised is {"findings":[]} and exit 0', async () => {
    const io = memoryIO('all good here');
    expect(await runCli(['parse', '--json', '-'], io)).toBe(0);
    expect(io.out).toBe('{"findings":[]}\n');
  });

  it('reads a file; unknown fields are null, not absent', async () => {
    const file = path.join(tmp, 'paste.txt');
    fs.writeFileSync(file, 'denied: requested access to the resource is denied');
    const io = memoryIO();
    expect(await runCli(['parse', file, '--json'], io)).toBe(0);
    expect(JSON.parse(io.out)).toEqual({
      findings: [
        {
          kind: 'access_denied',
          loginServer: null,
          registryName: null,
          ip: null,
          repository: null,
          reference: null,
          tool: null,
          excerpt: 'denied: requested access to the resource is denied',
        },
      ],
    });
  });

  it('text mode: one readable block per finding, with the IPv6 flag', async () => {
    const io = memoryIO(
      `Error response from daemon: Head "https://dualstackreg.azurecr.io/v2/app/manifests/1": denied: client with IP '2001:db8::7' is not allowed access`,
    );
    expect(await runCli(['parse'], io)).toBe(0);
    expect(io.out).toContain('1. firewall_denied');
    expect(io.out).toContain('registry:  dualstackreg (dualstackreg.azurecr.io)');
    expect(io.out).toContain('client IP: 2001:db8::7 (IPv6: ACR IP rules are IPv4-only');
    expect(io.out).toContain('image:     app:1');
    expect(io.out).toContain('tool:      docker');
  });

  it('text mode names the address class of a non-public client IP, and says when nothing was found', async () => {
    const io = memoryIO("denied: client with IP '10.1.2.3' is not allowed access");
    await runCli(['parse'], io);
    expect(io.out).toContain('client IP: 10.1.2.3 (private address)');
    const none = memoryIO('nothing to see');
    expect(await runCli(['parse'], none)).toBe(0);
    expect(none.out).toBe('No ACR error recognised in the input.\n');
  });

  it.each([
    [['parse', '--yaml'], 'unknown option "--yaml"'],
    [['parse', 'a.txt', 'b.txt'], 'one input at a time'],
    [['parse', '/definitely/not/here.txt'], 'cannot read /definitely/not/here.txt'],
  ])('usage error %j exits 2', async (argv, message) => {
    const io = memoryIO();
    expect(await runCli(argv, io)).toBe(2);
    expect(io.err).toContain(message);
    expect(io.out).toBe('');
  });

  it('a directory is an unreadable file (exit 2)', async () => {
    const io = memoryIO();
    expect(await runCli(['parse', tmp], io)).toBe(2);
  });

  it('--help prints usage and exits 0', async () => {
    const io = memoryIO();
    expect(await runCli(['parse', '--help'], io)).toBe(0);
    expect(io.out).toContain('usage: acr-access parse');
  });
});

describe('acr-access parse (built CLI, child process)', () => {
  const main = CLI;

  beforeAll(async () => {
    // The same dist/ the other CLI tests use, built once under a lock when sources are newer.
    await ensureBuilt();
    expect(fs.existsSync(main)).toBe(true);
  }, 150_000);

  const run = (args: string[], input?: string) =>
    spawnSync(process.execPath, [main, ...args], { cwd: tmp, input, encoding: 'utf8', timeout: 30_000 });

  it('stdin → --json, exit 0', () => {
    const r = run(['parse', '--json'], FIREWALL?.text);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { findings: Record<string, unknown>[] };
    expect(Object.keys(out.findings[0] ?? {})).toEqual(KEYS);
    expect(out.findings[0]).toMatchObject(FIREWALL?.expect ?? {});
  });

  it('file argument and `-`, text mode', () => {
    const file = path.join(tmp, 'kubelet.txt');
    const sample = samples.find((s) => s.kind === 'unauthorized' && s.expect.registryName !== null);
    fs.writeFileSync(file, sample?.text ?? '');
    const r = run(['parse', file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('1. unauthorized');
    expect(r.stdout).toContain(`${sample?.expect.registryName}`);
    const dash = run(['parse', '-', '--json'], 'no errors at all');
    expect(dash.status).toBe(0);
    expect(dash.stdout).toBe('{"findings":[]}\n');
  });

  it('usage errors exit 2 with a message on stderr', () => {
    const r = run(['parse', '--nope']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown option');
    const missing = run(['parse', 'missing-file.txt']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('cannot read missing-file.txt');
  });
});
