/**
 * The stack the Playground end-to-end test talks to: the bot from the composition root (startBot) in local
 * anonymous mode on a free loopback port. The chat handler records what it received; until the use-case handler
 * and the ARM emulator land it answers from fixtures (a diagnosis of the pasted IP, the firewall for Show rules).
 */
import type { ChatHandler, IncomingMessage } from '../../src/app/chat.js';
import type { Reply } from '../../src/core/reply.js';
import { startBot } from '../../src/main.js';
import { BY_CAUSE, REPLIES, finding } from '../golden/teams/fixtures.js';

export interface E2eStack {
  botEndpoint: string;
  expect: { causeTitle: string; ip: string };
  messages(): IncomingMessage[];
  close(): Promise<void>;
}

export async function startE2eStack(): Promise<E2eStack> {
  const seen: IncomingMessage[] = [];
  const chat: ChatHandler = {
    async onMessage(m) {
      seen.push(m);
      const ip = /client with IP '([^']+)' is not allowed access/.exec(m.text)?.[1];
      if (!ip) return m.addressed ? { type: 'help' } : null;
      return { type: 'diagnoses', diagnoses: [{ ...BY_CAUSE.ip_not_allowed, summary: `${ip} is not in contosoprod's IP rules and the default action is Deny.`, finding: finding({ ip, excerpt: m.text }) }] } satisfies Reply;
    },
    async onAction(a) {
      return a.verb === 'show_rules' ? REPLIES.firewall! : null;
    },
  };
  const bot = await startBot({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' }, undefined, { chat });
  return {
    botEndpoint: `http://127.0.0.1:${bot.port}/api/messages`,
    expect: { causeTitle: 'Registry firewall: this IP is not allowed', ip: '198.51.100.23' },
    messages: () => seen,
    close: () => bot.stop(),
  };
}
