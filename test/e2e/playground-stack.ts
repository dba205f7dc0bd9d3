/**
 * The full stack the Playground end-to-end test talks to, as `npm run demo` runs it: the ARM emulator (its own
 * process, the sample registries under the demo's names) and the bot from the composition root (startBot: real
 * parser, diagnosis, Azure gateway, chat service, approval flow with the demo policy) in local anonymous mode on a
 * free loopback port.
 */
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
