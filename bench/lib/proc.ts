/**
 * Child processes of the bench: start a server and wait for the line that names its port, read its CPU time and
 * resident memory from /proc (Linux), stop it by its pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

export interface Child {
  proc: ChildProcess;
  port: number;
  /** Everything it wrote so far (for error messages). */
  output(): string;
}

/**
 * Spawn `cmd args` and resolve once its stdout or stderr matches `ready` (first group: the port). Bounded: rejects
 * after `timeoutMs` or when the child exits first.
 */
export async function startChild(
  cmd: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; ready: RegExp; timeoutMs?: number; name: string },
): Promise<Child> {
  const proc = spawn(cmd, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${options.name} did not start in time:\n${out.slice(-2000)}`)),
      options.timeoutMs ?? 90_000,
    );
    const onData = (d: Buffer): void => {
      if (out.length < 100_000) out += d.toString();
      const m = options.ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited (${code}):\n${out.slice(-2000)}`));
    });
  }).catch(async (err: unknown) => {
    await stopChild(proc);
    throw err;
  });
  return { proc, port, output: () => out };
}

/** SIGTERM, then SIGKILL after 5 s; resolves when the process has exited. */
export async function stopChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** utime + stime of a process in ms (/proc/PID/stat fields 14 and 15, in clock ticks of 10 ms); NaN elsewhere. */
export function cpuMs(pid: number | undefined): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** Resident set size in MiB (/proc/PID/status VmRSS). */
export function rssMiB(pid: number | undefined): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
  } catch {
    return Number.NaN;
  }
}
