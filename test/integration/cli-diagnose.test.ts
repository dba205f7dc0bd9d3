/**
 * `acr-access diagnose --json` and `acr-access check --json`, the built CLI as a child process, talking to the ARM
 * emulator over HTTPS through the real SDK (AZURE_RESOURCE_MANAGER_ENDPOINT + AZURE_EMULATOR_CA, nothing mocked).
 * One test per cause (CAUSES in src/core/diagnosis.ts), each against the registry of test/fixtures/states/causes.json
 * in that state; then the exit codes: 3 when Azure refuses or is unreachable, 2 for usage errors.
 */
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../src/core/diagnosis.js';
import { startEmulator, type ArmEmulator } from '../support/emulator.js';
import { runCli as runCliInProcess } from '../../src/cli/main.js';
import { ensureBuilt, runCli, type CliResult } from './cli-support.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CAUSES = path.resolve(here, '../fixtures/states/causes.json');
const SUB_B = '22222222-2222-4222-8222-222222222222';
const ACRLOCKED = `/subscriptions/${SUB_B}/resourceGroups/rg-secure/providers/Microsoft.ContainerRegistry/registries/acrlocked`;

const denial = (host: string, ip: string) =>
  `Error response from daemon: Head "https://${host}/v2/web/manifests/v1": denied: client with IP '${ip}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.`;

let emu: ArmEmulator;

function env(): Record<string, string> {
  return { AZURE_RESOURCE_MANAGER_ENDPOINT: emu.url, AZURE_EMULATOR_CA: emu.caPath };
}

async function diagnoseJson(paste: string): Promise<Diagnosis[]> {
  const r = await runCli(['diagnose', '--json'], { stdin: paste, env: env() });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout) as { diagnoses: Diagnosis[] };
  expect(Object.keys(out)).toEqual(['diagnoses']);
  for (const d of out.diagnoses) {
    // The contract's shape, field by field (the README's "Diagnosing").
    expect(Object.keys(d)).toEqual(['finding', 'registry', 'cause', 'summary', 'evidence', 'fixes']);
    expect(Object.keys(d.finding).sort()).toEqual([
      'excerpt',
      'ip',
      'kind',
      'loginServer',
      'reference',
      'registryName',
      'repository',
      'tool',
    ]);
    if (d.registry)
      expect(d.registry).toMatchObject({
        id: expect.any(String),
        name: expect.any(String),
        loginServer: expect.any(String),
        sku: expect.any(String),
      });
    for (const f of d.fixes)
      expect(f).toMatchObject({
        kind: expect.any(String),
        title: expect.any(String),
        detail: expect.any(String),
        docsUrl: expect.stringMatching(/^https:\/\//),
        requestable: expect.any(Boolean),
      });
  }
  return out.diagnoses;
}

/** A CLI run of its own, for a paste with exactly one error. */
async function single(paste: string): Promise<Diagnosis> {
  const ds = await diagnoseJson(paste);
  expect(ds).toHaveLength(1);
  return ds[0]!;
}

beforeAll(async () => {
  await ensureBuilt();
  emu = await startEmulator({ state: CAUSES });
}, 180_000);

afterAll(async () => {
  await emu?.close();
});

beforeEach(() => {
  emu.reset();
});

describe('diagnose --json: one cause per registry state', () => {
  // One CLI run over a paste naming every registry state (one denial per registry): each test below checks its own
  // diagnosis. Spawning the CLI once instead of once per cause keeps this file fast; the cases that need a fault or a
  // different paste run on their own.
  const SHARED: Array<[host: string, ip: string]> = [
    ['acrdenied.azurecr.io', '52.170.1.20'],
    ['acrprivate.azurecr.io', '52.170.1.20'],
    ['acrstandard.azurecr.io', '52.170.1.20'],
    ['acrbasic.azurecr.io', '52.170.1.20'],
    ['acropen.azurecr.io', '52.170.1.20'],
    ['acrcovered.azurecr.io', '52.170.1.20'],
    ['acrfull.azurecr.io', '52.170.1.20'],
    ['acrvnet.azurecr.io', '10.1.2.3'],
    ['acripv6.azurecr.io', '2001:db8::7'],
    ['nosuchacr.azurecr.io', '52.170.1.20'],
  ];
  let shared: Diagnosis[] = [];
  beforeAll(async () => {
    shared = await diagnoseJson(SHARED.map(([host, ip]) => denial(host, ip)).join('\n'));
  });
  /** The shared run's diagnosis for `host` (the paste has exactly one denial per host). */
  function one(paste: string): Promise<Diagnosis> {
    const host = /https:\/\/([^/]+)\//.exec(paste)?.[1];
    const found = shared.filter((d) => d.finding.loginServer === host);
    expect(found, `one diagnosis for ${host}`).toHaveLength(1);
    return Promise.resolve(found[0]!);
  }

  it('the shared run: one diagnosis per pasted denial, in paste order', () => {
    expect(shared.map((d) => d.finding.loginServer)).toEqual(SHARED.map(([host]) => host));
  });
  it('ip_not_allowed: Premium, public access on, default Deny, the address not listed (owner named)', async () => {
    const d = await one(denial('acrdenied.azurecr.io', '52.170.1.20'));
    expect(d.cause).toBe('ip_not_allowed');
    expect(d.registry?.name).toBe('acrdenied');
    expect(d.evidence).toMatchObject({
      sku: 'Premium',
      publicNetworkAccess: 'Enabled',
      defaultAction: 'Deny',
      ipRuleCount: 2,
      ipRuleLimit: 200,
      matchingRule: null,
      nearRules: ['52.170.1.21'],
    });
    expect(d.evidence.ipOwner?.detail).toMatch(/AKS cluster aks-prod/);
    expect(d.fixes[0]).toMatchObject({ kind: 'add_ip_rule', rule: '52.170.1.20/32', requestable: true });
  });

  it('ip_not_allowed with the address redacted: says it is missing, offers no rule', async () => {
    const d = await single(denial('acrdenied.azurecr.io', 'xx.xx.xx.xx'));
    expect(d.cause).toBe('ip_not_allowed');
    expect(d.finding.ip).toBeNull();
    expect(d.fixes.some((f) => f.requestable)).toBe(false);
  });

  it('public_access_disabled: the public endpoint is off, private DNS first', async () => {
    const d = await one(denial('acrprivate.azurecr.io', '52.170.1.20'));
    expect(d.cause).toBe('public_access_disabled');
    expect(d.evidence.privateEndpoints).toEqual([{ name: 'pe-acrprivate', status: 'Approved' }]);
    expect(d.fixes[0]!.kind).toBe('fix_private_dns');
    expect(d.fixes.some((f) => f.requestable)).toBe(false);
  });

  it('sku_not_premium: a Standard registry whose rule set denies', async () => {
    const d = await one(denial('acrstandard.azurecr.io', '52.170.1.20'));
    expect(d.cause).toBe('sku_not_premium');
    expect(d.evidence.sku).toBe('Standard');
    expect(d.fixes[0]!.kind).toBe('upgrade_to_premium');
  });

  it('sku_not_premium: a Basic registry with the default Allow has no IP firewall at all', async () => {
    const basic = await one(denial('acrbasic.azurecr.io', '52.170.1.20'));
    expect(basic.cause).toBe('sku_not_premium');
    expect(basic.evidence.sku).toBe('Basic');
    expect(basic.summary).toMatch(/Basic SKU, which has no IP firewall/);
  });

  it('firewall_allows_all: Premium with default action Allow', async () => {
    const premium = await one(denial('acropen.azurecr.io', '52.170.1.20'));
    expect(premium.cause).toBe('firewall_allows_all');
    expect(premium.evidence.defaultAction).toBe('Allow');
  });

  it('ip_already_allowed: a rule already covers the address', async () => {
    const d = await one(denial('acrcovered.azurecr.io', '52.170.1.20'));
    expect(d.cause).toBe('ip_already_allowed');
    expect(d.evidence.matchingRule).toBe('52.170.1.0/24');
    expect(d.fixes[0]!.kind).toBe('wait_for_propagation');
  });

  it('rule_quota_full: 200 of 200 rules', async () => {
    const d = await one(denial('acrfull.azurecr.io', '52.170.1.20'));
    expect(d.cause).toBe('rule_quota_full');
    expect(d.evidence.ipRuleCount).toBe(200);
    expect(d.fixes[0]!.kind).toBe('consolidate_rules');
  });

  it('azure_service_ip: an ACR Tasks agent was denied (Tasks bypass off)', async () => {
    const paste = [
      '2025/06/03 10:01:02 Logging in to registry: acrtasks.azurecr.io',
      `failed to login, ran out of retries: failed to set docker credentials: Error response from daemon: Get "https://acrtasks.azurecr.io/v2/": denied: client with IP '20.61.3.4' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.`,
    ].join('\n');
    const d = await single(paste);
    expect(d.cause).toBe('azure_service_ip');
    expect(d.evidence.tasksBypass).toBe(false);
    expect(d.fixes.map((f) => f.kind)).toEqual(['enable_tasks_bypass', 'use_agent_pool']);
  });

  it('private_ip: the registry saw a private client address', async () => {
    const d = await one(denial('acrvnet.azurecr.io', '10.1.2.3'));
    expect(d.cause).toBe('private_ip');
    expect(d.evidence.ipClass).toBe('private');
  });

  it('ipv6_client: an IPv6 client can never match an IPv4 rule', async () => {
    const d = await one(denial('acripv6.azurecr.io', '2001:db8::7'));
    expect(d.cause).toBe('ipv6_client');
    expect(d.evidence.ipClass).toBe('ipv6');
  });

  it('registry_not_found: no readable subscription holds it; says how many were searched', async () => {
    const d = await one(denial('nosuchacr.azurecr.io', '52.170.1.20'));
    expect(d.cause).toBe('registry_not_found');
    expect(d.registry).toBeNull();
    expect(d.evidence.searchedSubscriptions).toBe(2);
  });

  it('no_access_to_registry: the registry exists but reading it is refused (check by resource id)', async () => {
    emu.faults.add({ method: 'GET', path: '/registries/acrlocked', status: 403, times: null });
    const r = await runCli(['check', ACRLOCKED, '52.170.1.20', '--json'], { env: env() });
    // The same exit code as without an address: Azure refused the read.
    expect(r.code).toBe(3);
    const d = (JSON.parse(r.stdout) as { diagnoses: Diagnosis[] }).diagnoses[0]!;
    expect(d.cause).toBe('no_access_to_registry');
    expect(d.fixes[0]).toMatchObject({ kind: 'grant_bot_reader' });
  });

  it('not_a_firewall_error: a 401 is about credentials, and needs no registry read', async () => {
    const d = await single(
      'Error response from daemon: Head "https://acrdenied.azurecr.io/v2/web/manifests/v1": unauthorized: authentication required, visit https://aka.ms/acr/authorization for more information.',
    );
    expect(d.cause).toBe('not_a_firewall_error');
    expect(d.finding.kind).toBe('unauthorized');
    expect(d.fixes[0]!.kind).toBe('authenticate');
  });

  it('several errors in one paste: one diagnosis each, in order', async () => {
    const ds = await diagnoseJson(
      [denial('acrdenied.azurecr.io', '52.170.1.20'), denial('acrprivate.azurecr.io', '52.170.1.20')].join('\n'),
    );
    expect(ds.map((d) => d.cause)).toEqual(['ip_not_allowed', 'public_access_disabled']);
  });

  it('text with no ACR error: {"diagnoses":[]} and exit 0, without any Azure call', async () => {
    const r = await runCli(['diagnose', '--json'], { stdin: 'all green today', env: env() });
    expect(r).toMatchObject({ code: 0, stdout: '{"diagnoses":[]}\n' });
    expect(emu.requests()).toHaveLength(0);
  });

  it('reads a FILE argument and prints text without --json', async () => {
    const r = await runCli(['diagnose', path.resolve(here, '../fixtures/states/causes.json')], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No Azure Container Registry error/);
    const t = await runCli(['diagnose', '-'], { stdin: denial('acrdenied.azurecr.io', '52.170.1.20'), env: env() });
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^ip_not_allowed: /);
    expect(t.stdout).toContain('$ az acr network-rule add --name acrdenied');
  });
});

describe('check', () => {
  it('--json without an address: the registry, the quota and what an unlisted client meets', async () => {
    const r = await runCli(['check', 'acrdenied.azurecr.io', '--json'], { env: env() });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['registry', 'ipRuleLimit', 'unlistedClients']);
    expect(out).toMatchObject({
      registry: { name: 'acrdenied', defaultAction: 'Deny', ipRules: ['198.51.100.0/24', '52.170.1.21'] },
      ipRuleLimit: 200,
      unlistedClients: 'denied',
    });
  });

  it('with an address: the diagnose shape for that address', async () => {
    const r = await runCli(['check', 'acrcovered', '52.170.1.20', '--json'], { env: env() });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { diagnoses: Diagnosis[]; verdict: string };
    expect(Object.keys(out)).toEqual(['diagnoses', 'verdict']);
    expect(out.verdict).toBe('allowed');
    expect(out.diagnoses[0]!.cause).toBe('ip_already_allowed');
    expect(out.diagnoses[0]!.summary).toMatch(/^52\.170\.1\.20 can reach acrcovered: rule \S+ covers it\./);
  });

  it('with an address, as text: the verdict leads in the present tense, and there is no "Error" row', async () => {
    const r = await runCli(['check', 'acrcovered', '52.170.1.20'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^allowed: 52\.170\.1\.20 can reach acrcovered/);
    expect(r.stdout).not.toMatch(/check acrcovered|Error/);
  });

  it('text output names the verdict', async () => {
    const r = await runCli(['check', 'acrprivate'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Public network access is disabled/);
  });

  it('a registry nobody can see: exit 1 and why, on stderr', async () => {
    const r = await runCli(['check', 'nosuchacr'], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/No registry nosuchacr is visible in the 2 subscriptions/);
  });

  it('a registry nobody can see, with an address: the same exit 1, after its diagnosis', async () => {
    const r = await runCli(['check', 'nosuchacr', '203.0.113.7', '--json'], { env: env() });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { diagnoses: Diagnosis[]; verdict?: string };
    expect(out.diagnoses[0]?.cause).toBe('registry_not_found');
    expect(out.verdict).toBeUndefined();
  });

  it('a range or a malformed address is a usage error that says what is accepted', async () => {
    const range = await runCli(['check', 'acmeprod', '0.0.0.0/0'], { env: env() });
    expect(range.code).toBe(2);
    expect(range.stderr).toMatch(/is a range: check takes one IPv4 or IPv6 address, like 203\.0\.113\.7/);
    const bad = await runCli(['check', 'acmeprod', '1.2.3'], { env: env() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/is not an IP address: check takes one IPv4 or IPv6 address/);
  });
});

describe('exit codes', () => {
  const paste = denial('acrdenied.azurecr.io', '52.170.1.20');

  it.each([
    [403, /forbidden/],
    [429, /throttled/],
    [500, /unavailable/],
    [503, /unavailable/],
  ])('3 when ARM answers %i, with the reason on stderr and nothing on stdout', async (status, reason) => {
    emu.faults.add({ status, times: null, ...(status === 429 ? { retryAfterSeconds: 1 } : {}) });
    const r: CliResult = await runCli(['diagnose', '--json'], { stdin: paste, env: env() });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(reason);
    const c = await runCli(['check', 'acrdenied', '--json'], { env: env() });
    expect(c.code).toBe(3);
  });

  it('3 when ARM is down', async () => {
    const closed = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = srv.address() as net.AddressInfo;
        srv.close(() => resolve(port));
      });
    });
    const r = await runCli(['diagnose', '--json'], {
      stdin: paste,
      env: { ...env(), AZURE_RESOURCE_MANAGER_ENDPOINT: `https://127.0.0.1:${closed}` },
    });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/unavailable/);
  });

  it.each([
    [['diagnose', '--yaml']],
    [['diagnose', 'a.txt', 'b.txt']],
    [['diagnose', '/no/such/file']],
    [['check']],
    [['check', 'acrdenied', '999.1.1.1']],
    [['check', 'not/a/registry']],
    [['check', 'acrdenied', '52.170.1.20', 'extra']],
    [['check', 'acrdenied', '--bogus']],
    [['frobnicate']],
  ])('2 for the usage error %j, with a message on stderr', async (args) => {
    // In-process through the CLI's own entry (runCli of src/cli/main.ts): the logic the binary runs, without a
    // process start per case; the child-process test below proves the built binary does the same.
    let stdout = '';
    let stderr = '';
    const code = await runCliInProcess(args, {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
      stdin: async () => '',
      env: env(),
      cwd: process.cwd(),
    });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).not.toBe('');
    expect(emu.requests()).toHaveLength(0);
  });

  it('2 for a usage error from the built binary too', async () => {
    const r = await runCli(['check', 'acrdenied', '999.1.1.1'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/999\.1\.1\.1/);
    expect(emu.requests()).toHaveLength(0);
  });

  it('2 when the configuration is unusable (AZURE_EMULATOR_CA without an endpoint)', async () => {
    const r = await runCli(['check', 'acrdenied'], { env: { AZURE_EMULATOR_CA: emu.caPath } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/AZURE_RESOURCE_MANAGER_ENDPOINT/);
  });
});
