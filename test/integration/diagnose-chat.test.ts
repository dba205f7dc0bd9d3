/**
 * ChatService through its interface (ChatHandler), with the real Azure gateway over HTTPS against the ARM emulator
 * serving test/fixtures/states/causes.json. What the Teams and Slack adapters will see: quiet on chatter, help,
 * commands, pastes in channels, Show rules read fresh, and Azure failures as notices rather than crashes.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAzureGateway } from '../../src/adapters/azure/index.js';
import type { ChatHandler, IncomingAction, IncomingMessage } from '../../src/app/chat.js';
import { createChatService } from '../../src/app/chat-service.js';
import type { Reply } from '../../src/core/reply.js';
import { azureConfigFor, startEmulator, type ArmEmulator } from '../support/emulator.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CAUSES = path.resolve(here, '../fixtures/states/causes.json');
const SUB_A = '11111111-1111-4111-8111-111111111111';
const ACRDENIED = `/subscriptions/${SUB_A}/resourceGroups/rg-registries/providers/Microsoft.ContainerRegistry/registries/acrdenied`;

const DENIAL = (host: string, ip: string) =>
  `Error response from daemon: Head "https://${host}/v2/web/manifests/v1": denied: client with IP '${ip}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.`;

let emu: ArmEmulator;
let chat: ChatHandler;
/** The Reply of a card action (these actions all answer privately). */
async function act(a: IncomingAction): Promise<Reply | null> {
  const result = await chat.onAction(a);
  if (result) expect(result.delivery).toBe('private');
  return result?.reply ?? null;
}

function message(text: string, addressed = false): IncomingMessage {
  return {
    text,
    addressed,
    actor: { platform: 'teams', id: 'aad-user-1', displayName: 'Dev One', email: 'dev1@contoso.example' },
    conversation: {
      platform: 'teams',
      kind: 'channel',
      conversationId: '19:channel@thread.tacv2',
      threadId: null,
      messageId: '1700000000000',
    },
  };
}

function action(verb: string, data: Record<string, unknown>): IncomingAction {
  const m = message('');
  return { verb, data, actor: m.actor, conversation: m.conversation };
}

function expectType<T extends Reply['type']>(reply: Reply | null, type: T): Extract<Reply, { type: T }> {
  expect(reply?.type).toBe(type);
  return reply as Extract<Reply, { type: T }>;
}

beforeAll(async () => {
  emu = await startEmulator({ state: CAUSES });
});

afterAll(async () => {
  await emu?.close();
});

beforeEach(() => {
  emu.reset();
  // A fresh gateway per test: no cache carries over, so call counts and faults mean what they say.
  chat = createChatService({
    gateway: createAzureGateway({ azure: azureConfigFor(emu), retry: { baseDelayMs: 10, maxDelayMs: 50 } }),
  });
});

describe('messages', () => {
  it('stays quiet on chatter that is not addressed, and asks Azure nothing', async () => {
    for (const text of ['good morning', 'the build is red again', 'acrdenied 52.170.1.20', '']) {
      expect(await chat.onMessage(message(text))).toBeNull();
    }
    expect(emu.requests()).toHaveLength(0);
  });

  it('answers a paste in a channel without a mention, with the live cause and a requestable /32', async () => {
    const reply = expectType(await chat.onMessage(message(DENIAL('acrdenied.azurecr.io', '52.170.1.20'))), 'diagnoses');
    expect(reply.diagnoses).toHaveLength(1);
    const d = reply.diagnoses[0]!;
    expect(d.cause).toBe('ip_not_allowed');
    expect(d.registry?.id).toBe(ACRDENIED);
    expect(d.evidence.nearRules).toEqual(['52.170.1.21']);
    expect(d.fixes.find((f) => f.requestable)?.rule).toBe('52.170.1.20/32');
    // The address belongs to the AKS cluster in the fixture's tenant: the summary says so.
    expect(d.summary).toContain('aks-prod');
  });

  it('diagnoses each distinct error of a paste, looking each registry up once', async () => {
    const paste = [
      DENIAL('acrdenied.azurecr.io', '52.170.1.20'),
      DENIAL('acrprivate.azurecr.io', '52.170.1.20'),
      DENIAL('acrdenied.azurecr.io', '52.170.1.20'),
    ].join('\n');
    const reply = expectType(await chat.onMessage(message(paste)), 'diagnoses');
    expect(reply.diagnoses.map((d) => d.cause).sort()).toEqual(['ip_not_allowed', 'public_access_disabled']);
    // One Resource Graph query per distinct registry at most; the rows carry the settings, so no GET is needed.
    expect(emu.requests({ path: '/providers/Microsoft.ResourceGraph/resources' }).length).toBeLessThanOrEqual(2);
    expect(emu.requests({ method: 'GET', path: '/registries/' })).toHaveLength(0);
  });

  it('a paste of a non-network error is explained without asking Azure', async () => {
    const paste =
      'Error response from daemon: manifest for acrdenied.azurecr.io/web:v9 not found: manifest unknown: manifest tagged by "v9" is not found';
    const reply = expectType(await chat.onMessage(message(paste)), 'diagnoses');
    expect(reply.diagnoses[0]).toMatchObject({
      cause: 'not_a_firewall_error',
      registry: null,
      finding: { kind: 'manifest_unknown' },
    });
    expect(emu.requests()).toHaveLength(0);
  });

  it('help, and a short pointer to help for commands it does not know', async () => {
    expect(await chat.onMessage(message('help', true))).toEqual({ type: 'help' });
    expect(await chat.onMessage(message('', true))).toEqual({ type: 'help' });
    const unknown = expectType(
      await chat.onMessage(message('can you look at our build for me please', true)),
      'notice',
    );
    expect(unknown.text).toMatch(/help/);
    expect(unknown.text).not.toContain('build for me');
    expect(emu.requests()).toHaveLength(0);
  });

  it('`@bot <registry>` shows the firewall as ARM has it now', async () => {
    const reply = expectType(await chat.onMessage(message('acrdenied.azurecr.io', true)), 'firewall');
    expect(reply.registry).toMatchObject({
      id: ACRDENIED,
      defaultAction: 'Deny',
      ipRules: ['198.51.100.0/24', '52.170.1.21'],
    });
    const byId = expectType(await chat.onMessage(message(ACRDENIED, true)), 'firewall');
    expect(byId.registry.name).toBe('acrdenied');
  });

  it('`@bot <registry> <ip>` diagnoses that address against that registry', async () => {
    const covered = expectType(await chat.onMessage(message('acrcovered 52.170.1.20', true)), 'diagnoses');
    expect(covered.diagnoses[0]).toMatchObject({
      cause: 'ip_already_allowed',
      evidence: { matchingRule: '52.170.1.0/24' },
    });
    const open = expectType(
      await chat.onMessage(message('<p>check acropen.azurecr.io 52.170.1.20</p>', true)),
      'diagnoses',
    );
    expect(open.diagnoses[0]!.cause).toBe('firewall_allows_all');
  });

  it('a registry nobody can see is a notice naming how many subscriptions were searched', async () => {
    const reply = expectType(await chat.onMessage(message('nosuchacr', true)), 'notice');
    expect(reply.title).toBe('Registry not found');
    expect(reply.text).toContain('2 subscriptions');
  });

  it('reserved verbs answer politely until the approval flow registers them', async () => {
    const reply = expectType(await chat.onMessage(message('requests', true)), 'notice');
    expect(reply.text).toMatch(/not enabled/);
  });
});

describe('Azure failures', () => {
  it('Azure unavailable: a retryable notice, not a crash and not a made-up diagnosis', async () => {
    emu.faults.add({ status: 503, times: null });
    const reply = expectType(await chat.onMessage(message(DENIAL('acrdenied.azurecr.io', '52.170.1.20'))), 'notice');
    expect(reply.retryable).toBe(true);
    expect(reply.text).toMatch(/did not answer/);
  });

  it('Azure throttling: a retryable notice that says so', async () => {
    emu.faults.add({ status: 429, times: null, retryAfterSeconds: 1 });
    const reply = expectType(await chat.onMessage(message('acrdenied 52.170.1.20', true)), 'notice');
    expect(reply).toMatchObject({ retryable: true });
    expect(reply.text).toMatch(/throttling/);
  });
});

describe('actions', () => {
  it('show_rules reads the registry fresh (a rule added out of band shows up)', async () => {
    expectType(await act(action('show_rules', { registryId: ACRDENIED })), 'firewall');
    const state = emu.state.get();
    const reg = state.registries.find((r) => r.name === 'acrdenied')!;
    (reg.properties!.networkRuleSet as { ipRules: unknown[] }).ipRules.push({ action: 'Allow', value: '52.170.1.20' });
    emu.state.replace(state);
    const reply = expectType(await act(action('show_rules', { registryId: ACRDENIED })), 'firewall');
    expect(reply.registry.ipRules).toContain('52.170.1.20');
    expect(emu.requests({ method: 'GET', path: '/registries/acrdenied' }).length).toBe(2);
  });

  it('show_rules refuses data that is not a registry id, without asking Azure', async () => {
    for (const data of [
      {},
      { registryId: 42 },
      { registryId: '/subscriptions/x/../../etc' },
      { registryId: `${ACRDENIED}/extra` },
    ]) {
      expectType(await act(action('show_rules', data)), 'notice');
    }
    expect(emu.requests()).toHaveLength(0);
  });

  it('show_rules on a registry the bot may not read is a notice', async () => {
    emu.faults.add({ method: 'GET', path: '/registries/acrdenied', status: 403, times: null });
    const reply = expectType(await act(action('show_rules', { registryId: ACRDENIED })), 'notice');
    expect(reply.retryable).toBe(false);
    expect(reply.text).toMatch(/permission/);
  });

  it('request_access belongs to the approval flow: a chat service without it changes nothing', async () => {
    const reply = expectType(
      await act(action('request_access', { registryId: ACRDENIED, rule: '52.170.1.20/32', ip: '52.170.1.20' })),
      'notice',
    );
    expect(reply.title).toBe('Unknown action');
    expect(emu.requests({ method: 'PATCH' })).toHaveLength(0);
  });

  it('an unknown verb is a notice, never a throw', async () => {
    expectType(await act(action('launch_missiles', {})), 'notice');
  });
});
