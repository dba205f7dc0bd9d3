/**
 * ARM benchmark (`npm run bench arm`): the Azure adapter's calls per inspection and the latency of a warm inspection,
 * against the ARM emulator started with its CLI in a child process (so its CPU is not charged to the client).
 *
 * Call counts come from the emulator's request log (control API) and are absolute figures against the aims of the
 * RegistryGateway port: cold inspection = 1 Resource Graph query and nothing else; warm = at most 1 GET (none within
 * the snapshot TTL); 100 identical concurrent inspections = 1 query cold, 1 GET warm.
 *
 * Latency: a warm inspection (registry id and IP owner cached, snapshot TTL passed, so exactly one GET through the
 * SDK pipeline: bearer policy, retry policy, deserialisation, mapping) against a baseline measured in the same run:
 * one raw HTTPS GET of the same registry URL with Node's https module (keep-alive, same CA) and JSON.parse.
 * Both run sequentially in interleaved blocks after a warm-up; the loop is bounded in time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createAzureGateway, DEFAULT_TTLS } from '../src/adapters/azure/index.js';
import type { InspectTarget, RegistryGateway } from '../src/app/ports.js';
import { result, type BenchResult, type BenchSection } from './types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STATE = path.join(root, 'test/fixtures/states/sample.json');
const REGISTRY_ID =
  '/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/rg-registry-prod/providers/Microsoft.ContainerRegistry/registries/acmeprod';
const TARGET: InspectTarget = { loginServer: 'acmeprod.azurecr.io', registryName: null, ip: '20.61.14.37' };
const BLOCK = 50;
const MAX_SAMPLES = 600;
const LATENCY_BUDGET_MS = 12_000;

interface Emulator {
  url: string;
  caPath: string;
  child: ChildProcess;
}

function startEmulator(): Promise<Emulator> {
  const child = spawn(
    path.join(root, 'node_modules/.bin/tsx'),
    [path.join(root, 'tools/arm-emulator/cli.ts'), '--state', STATE, '--port', '0'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('ARM emulator did not start in 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`ARM emulator exited with ${code}`)));
    readline.createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      const m = /^ARM emulator listening on (\S+) \(ca: (.+)\)$/.exec(line);
      if (m) resolve({ url: m[1]!, caPath: m[2]!, child });
      else reject(new Error(`unexpected emulator output: ${line}`));
    });
  });
}

function stopEmulator(e: Emulator): Promise<void> {
  return new Promise((resolve) => {
    if (e.child.exitCode !== null) return resolve();
    const timer = setTimeout(() => {
      e.child.kill('SIGKILL');
      resolve();
    }, 5_000);
    e.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    e.child.kill('SIGTERM');
  });
}

function get(agent: https.Agent, url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { agent, method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        try {
          resolve(text ? JSON.parse(text) : null);
        } catch (err) {
          reject(err as Error);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

interface Logged {
  method: string;
  path: string;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timeBlock(samples: number[], fn: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < BLOCK; i++) {
    const t = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
}

async function run(): Promise<BenchResult[]> {
  const emu = await startEmulator();
  const agent = new https.Agent({ keepAlive: true, ca: fs.readFileSync(emu.caPath) });
  const control = {
    clear: () => get(agent, `${emu.url}/_emulator/requests`, {}, 'DELETE'),
    requests: async () => ((await get(agent, `${emu.url}/_emulator/requests`)) as { requests: Logged[] }).requests,
  };
  const count = (log: Logged[], pred: (r: Logged) => boolean = () => true): number => log.filter(pred).length;
  const isGraph = (r: Logged): boolean => r.path.toLowerCase().includes('microsoft.resourcegraph');
  const isRead = (r: Logged): boolean => r.method === 'GET';
  try {
    const azure = { subscriptionIds: null, resourceManagerEndpoint: emu.url, emulatorCaPath: emu.caPath };
    const clock = { t: Date.now(), now: () => new Date(clock.t) };
    const expireSnapshot = (): void => {
      clock.t += DEFAULT_TTLS.snapshotMs + 1;
    };
    const fresh = (): RegistryGateway => createAzureGateway({ azure, clock });
    const rows: BenchResult[] = [];

    // Calls per inspection.
    const gw = fresh();
    await control.clear();
    await gw.inspect(TARGET);
    let log = await control.requests();
    rows.push(
      result('arm: ARM calls, cold inspection', count(log), 'calls', null, 'aim 1: one Resource Graph query, no GET'),
    );
    rows.push(result('arm: Resource Graph calls, cold inspection', count(log, isGraph), 'calls', null, 'aim 1'));
    await control.clear();
    await gw.inspect(TARGET);
    rows.push(
      result(
        'arm: ARM calls, warm inspection within snapshot TTL',
        count(await control.requests()),
        'calls',
        null,
        'aim 0',
      ),
    );
    expireSnapshot();
    await control.clear();
    await gw.inspect(TARGET);
    log = await control.requests();
    rows.push(
      result(
        'arm: ARM calls, warm inspection (snapshot TTL passed)',
        count(log),
        'calls',
        null,
        `aim ≤ 1 read; ${count(log, isRead)} GET`,
      ),
    );

    const burst = fresh();
    await control.clear();
    await Promise.all(Array.from({ length: 100 }, () => burst.inspect(TARGET)));
    log = await control.requests();
    rows.push(
      result(
        'arm: ARM calls, 100 identical concurrent inspections (cold)',
        count(log),
        'calls',
        null,
        `aim 1; ${count(log, isGraph)} Resource Graph`,
      ),
    );
    expireSnapshot();
    await control.clear();
    await Promise.all(Array.from({ length: 100 }, () => burst.inspect(TARGET)));
    log = await control.requests();
    rows.push(
      result(
        'arm: ARM calls, 100 identical concurrent inspections (warm)',
        count(log),
        'calls',
        null,
        `aim ≤ 1 read; ${count(log, isRead)} GET`,
      ),
    );

    // Latency: warm inspection (one GET through the SDK) vs one raw HTTPS GET, interleaved.
    const url = `${emu.url}${REGISTRY_ID}?api-version=2025-11-01`;
    const raw = (): Promise<unknown> => get(agent, url, { Authorization: 'Bearer bench' });
    const warm = (): Promise<unknown> => {
      expireSnapshot();
      return gw.inspect(TARGET);
    };
    const ours: number[] = [];
    const base: number[] = [];
    await timeBlock([], warm);
    await timeBlock([], raw);
    const until = Date.now() + LATENCY_BUDGET_MS;
    while (Date.now() < until && ours.length < MAX_SAMPLES) {
      await timeBlock(ours, warm);
      await timeBlock(base, raw);
    }
    await control.clear();
    await warm();
    const perWarm = count(await control.requests());
    ours.sort((a, b) => a - b);
    base.sort((a, b) => a - b);
    const note = `baseline: one raw HTTPS GET of the registry (node https, keep-alive); ${ours.length} samples each; ${perWarm} ARM call per warm inspection`;
    rows.push(result('arm: warm inspection latency p50', percentile(ours, 50), 'ms', percentile(base, 50), note));
    rows.push(result('arm: warm inspection latency p99', percentile(ours, 99), 'ms', percentile(base, 99), note));
    return rows;
  } finally {
    agent.destroy();
    await stopEmulator(emu);
  }
}

export const section: BenchSection = {
  title: 'ARM: calls per inspection (aims from the gateway port) and warm-inspection latency vs a raw HTTPS GET',
  run,
};
