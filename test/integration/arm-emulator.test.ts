/**
 * The emulator itself: the CLI contract (one line, `ARM emulator listening on https://127.0.0.1:PORT
 * (ca: PATH)`), the REST contract as @azure/arm-containerregistry 12 sees it, and the HTTP control API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import readline from 'node:readline';
import { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StaticTokenCredential } from '../../src/adapters/azure/credential.js';
import { SAMPLE, SAMPLE_STATE, startEmulator, type ArmEmulator } from '../support/emulator.js';

const TSX = path.resolve('node_modules/.bin/tsx');
const CLI = path.resolve('tools/arm-emulator/cli.ts');

/** A raw HTTPS call trusting only the emulator's certificate. */
function call(
  url: string,
  caPath: string,
  init: { method?: string; body?: unknown; auth?: boolean } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: any }> {
  return new Promise((resolve, reject) => {
    const data = init.body === undefined ? undefined : JSON.stringify(init.body);
    const req = https.request(
      url,
      {
        method: init.method ?? 'GET',
        ca: fs.readFileSync(caPath),
        headers: {
          ...(init.auth === false ? {} : { Authorization: 'Bearer t' }),
          ...(data ? { 'Content-Type': 'application/json' } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined }),
        );
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

function firstLine(child: ChildProcess, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no output from the emulator CLI in time')), timeoutMs);
    readline.createInterface({ input: child.stdout! }).once('line', (l) => {
      clearTimeout(timer);
      resolve(l);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
}

describe('npm run emulator (CLI)', () => {
  it('prints exactly one line with the URL and the CA file, serves HTTPS with that CA, stops on SIGTERM', async () => {
    const child = spawn(TSX, [CLI, '--state', SAMPLE_STATE, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let extra = '';
    try {
      const line = await firstLine(child);
      const m = /^ARM emulator listening on (https:\/\/127\.0\.0\.1:(\d+)) \(ca: (.+)\)$/.exec(line);
      expect(m, line).not.toBeNull();
      const [, url, port, caPath] = m!;
      expect(Number(port)).toBeGreaterThan(0);
      expect(fs.readFileSync(caPath!, 'utf8')).toContain('BEGIN CERTIFICATE');
      child.stdout!.on('data', (c: Buffer) => (extra += c.toString()));
      const r = await call(`${url}/subscriptions?api-version=2022-12-01`, caPath!);
      expect(r.status).toBe(200);
      expect(r.body.value.map((s: { subscriptionId: string }) => s.subscriptionId)).toEqual([SAMPLE.subA, SAMPLE.subB]);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    expect(extra).toBe('');
  });

  it('exits 2 with usage on bad arguments', async () => {
    const child = spawn(TSX, [CLI, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(2);
    expect(err).toContain('--state FILE is required');
  });
});

describe('REST contract', () => {
  let emu: ArmEmulator;
  let client: ContainerRegistryManagementClient;
  beforeAll(async () => {
    emu = await startEmulator({ pageSize: 2 });
    client = new ContainerRegistryManagementClient(new StaticTokenCredential(), SAMPLE.subA, {
      endpoint: emu.url,
      tlsOptions: { ca: fs.readFileSync(emu.caPath) },
    });
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  it('pages registry lists with nextLink, by subscription and by resource group', async () => {
    const names: string[] = [];
    for await (const r of client.registries.list()) names.push(r.name!);
    expect(names).toEqual(['acmeprod', 'acmeprivate', 'acmehybrid', 'acmefull', 'acmeopen']);
    expect(emu.countRequests({ path: /registries$/ })).toBe(3);
    const pages = [];
    for await (const page of client.registries.listByResourceGroup('RG-REGISTRY-PROD').byPage())
      pages.push(page.map((r) => r.name));
    expect(pages).toEqual([
      ['acmeprod', 'acmeprivate'],
      ['acmehybrid', 'acmefull'],
    ]);
  });

  it('serves private endpoint connections and private link resources', async () => {
    const pecs = [];
    for await (const p of client.privateEndpointConnections.list('rg-registry-prod', 'acmehybrid'))
      pecs.push(p.privateLinkServiceConnectionState?.status);
    expect(pecs).toEqual(['Approved', 'Pending']);
    const one = await client.privateEndpointConnections.get(
      'rg-registry-prod',
      'acmehybrid',
      'acmehybrid.77aa-pe-partner',
    );
    expect(one.privateEndpoint?.id).toContain('pe-acmehybrid-partner');
    const links = [];
    for await (const l of client.registries.listPrivateLinkResources('rg-registry-prod', 'acmeprod')) links.push(l);
    expect(links[0]).toMatchObject({
      name: 'registry',
      properties: { groupId: 'registry', requiredZoneNames: ['privatelink.azurecr.io'] },
    });
  });

  it('matches paths case-insensitively, checks api-version and the bearer token', async () => {
    const base = `${emu.url}/SUBSCRIPTIONS/${SAMPLE.subA}/resourcegroups/rg-registry-prod/providers/microsoft.containerregistry/REGISTRIES/AcmeProd`;
    expect((await call(`${base}?api-version=2025-11-01`, emu.caPath)).body.name).toBe('acmeprod');
    expect((await call(base, emu.caPath)).body.error.code).toBe('MissingApiVersionParameter');
    expect((await call(`${base}?api-version=2030-01-01`, emu.caPath)).body.error.code).toBe(
      'NoRegisteredProviderFound',
    );
    const noAuth = await call(`${base}?api-version=2025-11-01`, emu.caPath, { auth: false });
    expect(noAuth.status).toBe(401);
    expect(noAuth.body.error.code).toBe('AuthenticationFailed');
  });

  it('answers Resource Graph queries within the requested subscriptions, and rejects unsupported KQL clearly', async () => {
    const rg = `${emu.url}/providers/Microsoft.ResourceGraph/resources?api-version=2021-03-01`;
    const q = "resources | where type =~ 'microsoft.containerregistry/registries' | project name";
    const all = await call(rg, emu.caPath, { method: 'POST', body: { query: q } });
    expect(all.body).toMatchObject({ totalRecords: 8, count: 8, resultTruncated: 'false' });
    const subB = await call(rg, emu.caPath, { method: 'POST', body: { query: q, subscriptions: [SAMPLE.subB] } });
    expect(subB.body.data.map((r: { name: string }) => r.name)).toEqual(['acmebasic', 'acmestandard', 'globexapps']);
    const bad = await call(rg, emu.caPath, {
      method: 'POST',
      body: { query: 'resources | summarize count() by type' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[1].message).toContain("operator 'summarize' is not supported");
  });
});

describe('control API over HTTP', () => {
  let emu: ArmEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());

  it('injects faults, holds operations, edits out of band and reports the request log', async () => {
    const ctl = (p: string, method = 'GET', body?: unknown) =>
      call(`${emu.url}/_emulator/${p}`, emu.caPath, { method, body, auth: false });
    const reg = `${emu.url}${SAMPLE.acmeprod}?api-version=2025-11-01`;
    expect(
      (
        await ctl('faults', 'POST', {
          method: 'GET',
          path: '/registries/acmeprod',
          status: 429,
          retryAfterSeconds: 7,
          times: 2,
        })
      ).status,
    ).toBe(201);
    const throttled = await call(reg, emu.caPath);
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('7');
    expect((await call(reg, emu.caPath)).status).toBe(429);
    expect((await call(reg, emu.caPath)).status).toBe(200);

    await ctl('edits', 'POST', { registry: 'acmeprod', afterGets: 1, addIpRules: ['9.9.9.9'] });
    await call(reg, emu.caPath);
    expect((await call(reg, emu.caPath)).body.properties.networkRuleSet.ipRules).toContainEqual({
      action: 'Allow',
      value: '9.9.9.9',
    });

    await ctl('operations/hold', 'POST', {});
    const patch = await call(reg, emu.caPath, {
      method: 'PATCH',
      body: { properties: { networkRuleSet: { defaultAction: 'Deny', ipRules: [] } } },
    });
    expect(patch.status).toBe(201);
    const ops = await ctl('operations');
    expect(ops.body.operations[0]).toMatchObject({ status: 'InProgress', held: true });
    await ctl('operations/release', 'POST', {});

    const log = await ctl(`requests?method=GET&path=${encodeURIComponent('/registries/acmeprod')}`);
    expect(log.body.requests.map((r: { status: number }) => r.status)).toEqual([429, 429, 200, 200, 200]);
    await ctl('reset', 'POST');
    expect((await ctl('requests')).body.requests).toEqual([]);
    expect((await call(reg, emu.caPath)).body.properties.networkRuleSet.ipRules).not.toContainEqual({
      action: 'Allow',
      value: '9.9.9.9',
    });
  });
});
