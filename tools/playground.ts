/**
 * Starts the Microsoft 365 Agents Playground (@microsoft/m365agentsplayground) against a bot endpoint, on a free
 * loopback port, and waits until it serves its page. Used by `npm run demo` and the Playground end-to-end test.
 * The Playground sends activities without a token, so the bot must run in local anonymous mode.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface Playground {
  url: string;
  port: number;
  process: ChildProcess;
  /** Everything the Playground printed, for diagnosing a failed run. */
  output(): string;
  stop(): Promise<void>;
}

/** A port that was free a moment ago (the Playground takes `-p`, not 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export async function startPlayground(options: {
  botEndpoint: string;
  port?: number;
  timeoutMs?: number;
}): Promise<Playground> {
  const cli = path.join(
    path.dirname(createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/package.json')),
    'cli.js',
  );
  const port = options.port ?? (await freePort());
  let out = '';
  const child = spawn(
    process.execPath,
    [cli, 'start', '-e', options.botEndpoint, '-c', 'msteams', '-p', String(port), '--disable-telemetry'],
    {
      env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', BROWSER: 'none' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  child.stderr?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Agents Playground exited (${child.exitCode}):\n${out}`);
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await r.text();
      if (r.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Agents Playground did not serve ${url} in time:\n${out}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url, port, process: child, output: () => out, stop };
}
