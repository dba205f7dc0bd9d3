/**
 * `npm run demo` prints where its parts are, and a command line that points the CLI at them. The command is taken
 * from the banner as printed and run against a real ARM emulator and a real store: `check` reads the emulated
 * registry, `audit --json` reads the demo's database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/adapters/store/index.js';
import type { CliIO } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { demoBanner, demoDatabaseUrl } from '../../tools/demo.js';
import { startEmulator, type ArmEmulator } from '../support/emulator.js';

let emu: ArmEmulator;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acr-demo-banner-'));

beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The `NAME=value … node dist/cli/main.js <args>` lines of the banner, as environment and arguments. */
function commands(lines: string[]): Array<{ env: Record<string, string>; args: string[] }> {
  return lines
    .map((l) => l.trim())
    .filter((l) => l.includes(' node dist/cli/main.js '))
    .map((l) => {
      const [assignments, rest] = l.split(' node dist/cli/main.js ') as [string, string];
      const env = Object.fromEntries(
        assignments.split(' ').map((a) => a.split(/=(.*)/s).slice(0, 2) as [string, string]),
      );
      return { env, args: rest.split(' ') };
    });
}

async function cli(args: string[], env: Record<string, string>) {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    stdin: async () => '',
    env,
    cwd: dir,
  };
  return { code: await runCli(args, io), out, err };
}

describe('npm run demo banner', () => {
  it('names the emulator CA and the store, and its CLI commands work against them', async () => {
    const databaseUrl = demoDatabaseUrl({}, dir);
    expect(databaseUrl).toBe(`sqlite:${path.join(dir, 'data', 'demo.db')}`);
    // The bot creates the store on start; here the store itself does.
    await (await createStore({ kind: 'sqlite', file: path.join(dir, 'data', 'demo.db') })).close();

    const lines = demoBanner({ playgroundUrl: 'http://127.0.0.1:56150', botPort: 3978, emulator: emu, databaseUrl });
    const text = lines.join('\n');
    expect(text).toContain(`Emulator CA certificate:     ${emu.caPath}`);
    expect(text).toContain(`Store:                       ${databaseUrl}`);
    expect(text).toContain('http://localhost:56150');

    const [check, audit] = commands(lines);
    expect(check?.env).toEqual({
      AZURE_RESOURCE_MANAGER_ENDPOINT: emu.url,
      AZURE_EMULATOR_CA: emu.caPath,
      DATABASE_URL: databaseUrl,
    });
    const checked = await cli([...check!.args, '--json'], check!.env);
    expect(checked).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse(checked.out).registry.name).toBe('acmeprod');
    expect(await cli(audit!.args, audit!.env)).toMatchObject({ code: 0, out: '{"events":[]}\n' });
  });

  it('keeps a DATABASE_URL it is given, and never prints a database password', () => {
    expect(demoDatabaseUrl({ DATABASE_URL: 'sqlite:rel/x.db' }, '/srv')).toBe('sqlite:/srv/rel/x.db');
    const pg = 'postgres://bot:s3cret@db.example:5432/acr';
    expect(demoDatabaseUrl({ DATABASE_URL: pg }, '/srv')).toBe(pg);
    const text = demoBanner({ playgroundUrl: 'x', botPort: 1, emulator: emu, databaseUrl: pg }).join('\n');
    expect(text).not.toContain('s3cret');
    expect(text).toContain('postgres://bot:***@db.example:5432/acr');
  });
});
