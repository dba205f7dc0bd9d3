/**
 * Every client class of the README's table, end to end against a realistic tenant (test/fixtures/states/tenant.json):
 * once through the CLI (`diagnose --json`, `check --json`, as built) and once through Slack (signed events, the real
 * chat handler, Azure gateway and ARM emulator, replies read from the Slack API double).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAzureGateway } from '../../src/adapters/azure/index.js';
import { createChatService } from '../../src/app/chat-service.js';
import type { Diagnosis } from '../../src/core/diagnosis.js';
import { azureConfigFor, startEmulator, type ArmEmulator } from '../support/emulator.js';
import { eventEnvelope, postSigned, userPost, type SlackApiCall } from '../support/slack-api.js';
import { ensureBuilt, runCli } from './cli-support.js';
import { SECRET, startHarness, type Harness } from './slack-harness.js';

const STATE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/states/tenant.json');
const denial = (host: string, ip: string) =>
  `Error response from daemon: Head "https://${host}/v2/shop/web/manifests/2.3.1": denied: client with IP '${ip}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.`;

/** One paste per class, with what its answer must say and whether it offers Request access. */
const CLASSES = [
  {
    name: 'in the tenant: a NAT gateway the bot can read, already allowed',
    paste: denial('wingtipprod.azurecr.io', '4.210.5.9'),
    clientClass: 'tenant',
    cause: 'ip_already_allowed',
    words: /4\.210\.5\.9 \(.*pip-natgw-wingtip|already allowed by the rule 4\.210\.5\.9/,
    request: false,
  },
  {
    name: "Azure-hosted outside what the bot reads: another subscription's AKS egress",
    paste: denial('wingtipprod.azurecr.io', '20.61.14.37'),
    clientClass: 'azure_hosted',
    cause: 'ip_not_allowed',
    words: /Azure address in a subscription or tenant the bot cannot see/,
    request: true,
  },
  {
    name: 'a named Azure service: an address in the AzureContainerRegistry tag',
    paste: denial('wingtipprod.azurecr.io', '20.61.97.140'),
    clientClass: 'azure_service',
    cause: 'azure_service_ip',
    words: /IP rule for 20\.61\.97\.140 is the wrong fix/,
    request: false,
  },
  {
    name: 'hosted CI: a GitHub Actions log from a hosted runner',
    paste: `Run docker/login-action@v3\n##[group]Logging into wingtipprod.azurecr.io\n${denial('wingtipprod.azurecr.io', '20.105.33.7')}\n##[error]Process completed with exit code 1.`,
    clientClass: 'hosted_ci',
    cause: 'ip_not_allowed',
    words: /GitHub Actions hosted runner leaves by a different address on every run/,
    request: true,
  },
  {
    name: 'IPv6 on a dual-stack registry',
    paste: denial('wingtipdual.azurecr.io', '2603:1020:201:10::5'),
    clientClass: 'ipv6',
    cause: 'ipv6_client',
    words: /answers on IPv6 as well as IPv4 \(dual stack\)/,
    request: false,
  },
  {
    name: 'a private address',
    paste: denial('wingtipprod.azurecr.io', '10.240.0.17'),
    clientClass: 'private',
    cause: 'private_ip',
    words: /private \(RFC 1918\) address/,
    request: false,
  },
] as const;

let emu: ArmEmulator;
let h: Harness;
let seq = 0;

beforeAll(async () => {
  emu = await startEmulator({ state: STATE });
  await ensureBuilt();
  h = await startHarness(createChatService({ gateway: createAzureGateway({ azure: azureConfigFor(emu) }) }));
});
afterAll(async () => {
  await h?.close();
  await emu?.close();
});

describe('client classes through the CLI', () => {
  it.each(CLASSES)('$name', async (c) => {
    const env = { AZURE_RESOURCE_MANAGER_ENDPOINT: emu.url, AZURE_EMULATOR_CA: emu.caPath };
    const r = await runCli(['diagnose', '--json'], { stdin: c.paste, env });
    expect(r.stderr).toBe('');
    const d = (JSON.parse(r.stdout) as { diagnoses: Diagnosis[] }).diagnoses[0]!;
    expect({ cause: d.cause, clientClass: d.evidence.clientClass }).toEqual({
      cause: c.cause,
      clientClass: c.clientClass,
    });
    expect(d.summary).toMatch(c.words);
    expect(d.fixes.some((f) => f.requestable)).toBe(c.request);
    if (c.clientClass === 'hosted_ci') expect(d.fixes[0]?.kind).toBe('use_static_egress');
  });

  it('check answers with a verdict for the AKS egress address, and the endpoint would take the request', async () => {
    const env = { AZURE_RESOURCE_MANAGER_ENDPOINT: emu.url, AZURE_EMULATOR_CA: emu.caPath };
    const r = await runCli(['check', 'wingtipprod', '20.61.14.37', '--json'], { env });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { diagnoses: Diagnosis[]; verdict: string };
    expect(out.verdict).toBe('refused');
    expect(out.diagnoses[0]!.summary).toMatch(/^20\.61\.14\.37 is refused by wingtipprod: no IP rule covers it/);
  });
});

describe('client classes through Slack', () => {
  it.each(CLASSES)('$name', async (c) => {
    const ts = `1720000${String(++seq).padStart(3, '0')}.000100`;
    expect(
      (
        await postSigned(h.url, eventEnvelope(userPost({ text: c.paste, ts }), `Ev${ts}`), 'application/json', {
          secret: SECRET,
        })
      ).status,
    ).toBe(200);
    await h.api.waitFor('chat.postMessage');
    await h.settled();
    const post = h.api.callsTo('chat.postMessage').find((p: SlackApiCall) => p.args.thread_ts === ts)!;
    const blocks = JSON.stringify(post.args.blocks ?? []);
    expect(blocks).toMatch(c.words);
    expect(blocks.includes('"action_id":"request_access"')).toBe(c.request);
  });
});
