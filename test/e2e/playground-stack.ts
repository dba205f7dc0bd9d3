/**
 * The full stack the Playground end-to-end test talks to, as `npm run demo` runs it: the ARM emulator (its own
 * process, the sample registries under the demo's names) and the bot from the composition root (startBot: real
 * parser, diagnosis, Azure gateway, chat service, approval flow with the demo policy) in local anonymous mode on a
 * free loopback port.
 */
import fs from 'node:fs';
import https from 'node:https';
import type { AccessRequest } from '../../src/core/requests/index.js';
import type { Logger } from '../../src/log.js';
import { startBot } from '../../src/main.js';
import { DEMO_POLICY_FILE, SAMPLE_STATE_FILE, startEmulatorProcess } from '../../tools/demo.js';

export interface E2eStack {
  botEndpoint: string;
  /** What to paste and what the card must then say. */
  paste: string;
  expect: {
    causeTitle: string;
    ip: string;
    firewallTitle: string;
    formTitle: string;
    pendingTitle: string;
    approvers: RegExp;
  };
  /** Pending requests in the bot's store. */
  pendingRequests(): Promise<number>;
  /** The newest request in the bot's store for this rule (`20.61.14.37/32`), or null. */
  requestFor(rule: string): Promise<AccessRequest | null>;
  /** The IP rules of a registry as the ARM emulator holds them now (its control API, GET /_emulator/state). */
  ipRules(registry: string): Promise<string[]>;
  close(): Promise<void>;
}

/** `logger`: where the bot logs (default: stdout at `warn`, as `npm run demo`). */
export async function startE2eStack(logger?: Logger): Promise<E2eStack> {
  const emulator = await startEmulatorProcess(SAMPLE_STATE_FILE);
  try {
    const bot = await startBot(
      {
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        AZURE_RESOURCE_MANAGER_ENDPOINT: emulator.url,
        AZURE_EMULATOR_CA: emulator.caPath,
        DATABASE_URL: 'sqlite::memory:',
        // The policy `npm run demo` uses: the Playground's user may request; its approvers are named on the card.
        POLICY_FILE: DEMO_POLICY_FILE,
      },
      logger,
    );
    return {
      botEndpoint: `http://127.0.0.1:${bot.port}/api/messages`,
      // acmeprod is the sample's acmeprod; 20.61.14.37 is its AKS cluster's egress IP, one off a listed rule.
      paste:
        'Error response from daemon: Head "https://acmeprod.azurecr.io/v2/payments/api/manifests/1.42.0": denied: client with IP \'20.61.14.37\' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.',
      expect: {
        causeTitle: 'Registry firewall: this IP is not allowed',
        ip: '20.61.14.37',
        firewallTitle: 'Firewall of acmeprod',
        formTitle: 'Request access to acmeprod',
        pendingTitle: 'Waiting for approval',
        // The Approvers fact of the card, from the demo policy.
        approvers: /approvals? from /,
      },
      pendingRequests: async () => (await bot.store.listRequests({ status: 'pending' })).length,
      requestFor: async (rule) => (await bot.store.listRequests({ rule, limit: 1 }))[0] ?? null,
      ipRules: async (registry) => {
        const state = (await getJson(`${emulator.url}/_emulator/state`, emulator.caPath)) as {
          registries: Array<{ name: string; properties: { networkRuleSet?: { ipRules?: Array<{ value: string }> } } }>;
        };
        const r = state.registries.find((x) => x.name === registry);
        return (r?.properties.networkRuleSet?.ipRules ?? []).map((x) => x.value);
      },
      close: async () => {
        await bot.stop();
        await emulator.stop();
      },
    };
  } catch (err) {
    await emulator.stop();
    throw err;
  }
}

function getJson(url: string, caPath: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca: fs.readFileSync(caPath), timeout: 10_000 }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => {
          try {
            resolve(JSON.parse(body));
          } catch (err) {
            reject(err);
          }
        });
      })
      .on('error', reject);
  });
}
