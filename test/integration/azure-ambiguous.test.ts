import { refOf } from '../support/registry-ref.js';
/**
 * A bare registry name that several registries share (another subscription, a DNL `name-<hash>` host) is never
 * guessed: the gateway answers `ambiguous` with the candidates, commands say which login servers to use, and a
 * diagnosis explains it instead of reading the wrong registry's firewall.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatService } from '../../src/app/chat-service.js';
import { runCli } from '../../src/cli/main.js';
import type { IncomingMessage } from '../../src/app/chat.js';
import { SAMPLE, SAMPLE_STATE, startEmulator, type ArmEmulator } from '../support/emulator.js';
import { gatewayFor } from '../support/azure.js';
import type { StateFile } from '../../tools/arm-emulator/state.js';

const TWIN_ID = `/subscriptions/${SAMPLE.subB}/resourceGroups/rg-twin/providers/Microsoft.ContainerRegistry/registries/acmeprod`;
const TWIN_HOST = 'acmeprod-c4fxg7d2bha5h3ab.azurecr.io';

let emu: ArmEmulator;
beforeAll(async () => {
  const state = JSON.parse(fs.readFileSync(SAMPLE_STATE, 'utf8')) as StateFile;
  const original = state.registries.find((r) => r.name === 'acmeprod')!;
  // The same registry name in another subscription, with a DNL login server.
  const twin = structuredClone(original);
  twin.id = TWIN_ID;
  twin.properties = { ...twin.properties, loginServer: TWIN_HOST };
  state.registries.push(twin);
  emu = await startEmulator({ state });
});
afterAll(() => emu.close());

describe('a registry name two registries share', () => {
  it('is ambiguous by name, with both candidates; each login server still resolves', async () => {
    const gw = gatewayFor(emu);
    const byName = await gw.findRegistry(refOf('acmeprod'));
    expect(byName.status).toBe('ambiguous');
    expect(byName.status === 'ambiguous' && byName.candidates.map((c) => c.loginServer).sort()).toEqual([
      TWIN_HOST,
      'acmeprod.azurecr.io',
    ]);
    const one = await gw.findRegistry(refOf('acmeprod.azurecr.io'));
    expect(one.status === 'found' && one.registry.id).toBe(SAMPLE.acmeprod);
    const twin = await gw.findRegistry(refOf(TWIN_HOST));
    expect(twin.status === 'found' && twin.registry.id.toLowerCase()).toBe(TWIN_ID.toLowerCase());
  });

  it("`@bot acmeprod` answers with the login servers to use instead of one registry's firewall", async () => {
    const chat = createChatService({ gateway: gatewayFor(emu) });
    const message: IncomingMessage = {
      text: 'acmeprod',
      addressed: true,
      actor: { platform: 'slack', id: 'U0DEV', displayName: 'Dev', email: null },
      conversation: { platform: 'slack', kind: 'channel', conversationId: 'C0X', threadId: null, messageId: null },
    };
    const reply = await chat.onMessage(message);
    expect(reply).toMatchObject({ type: 'notice', title: 'Several registries have that name' });
    expect(reply?.type === 'notice' && reply.text).toContain(TWIN_HOST);
    const check = await chat.onMessage({ ...message, text: 'acmeprod 52.170.1.20' });
    expect(check?.type === 'diagnoses' && check.diagnoses[0]!.cause).toBe('registry_not_found');
    expect(check?.type === 'diagnoses' && check.diagnoses[0]!.summary).toMatch(/Several registries are named acmeprod/);
  });

  it('`acr-access check acmeprod [ip]` exits 2 (give the login server) with or without an address', async () => {
    const env = { AZURE_RESOURCE_MANAGER_ENDPOINT: emu.url, AZURE_EMULATOR_CA: emu.caPath };
    for (const args of [
      ['check', 'acmeprod'],
      ['check', 'acmeprod', '52.170.1.20', '--json'],
    ]) {
      let out = '';
      const code = await runCli(args, {
        stdout: (t) => {
          out += t;
        },
        stderr: (t) => {
          out += t;
        },
        stdin: async () => '',
        env,
        cwd: process.cwd(),
      });
      expect(code, args.join(' ')).toBe(2);
      expect(out).toContain(TWIN_HOST);
    }
  });
});
