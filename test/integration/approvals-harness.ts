/**
 * The approval engine on real parts, in-process, for the engine suite: the real chat service with the approvals
 * extension (through the ChatHandler interface, as Teams and Slack call it), the real Azure gateway against the ARM
 * emulator over HTTPS, a real store (SQLite file or PostgreSQL schema), the YAML policy parsed by the real loader,
 * a controllable clock, and a recording Notifier (the Notifier is an in-process port; the Teams and Slack tests
 * drive the real platforms).
 */
import type {
  ActionResult,
  ChatHandler,
  ConversationRef,
  IncomingAction,
  IncomingMessage,
} from '../../src/app/chat.js';
import { createChatService } from '../../src/app/chat-service.js';
import { createApprovals, type Approvals, type ApprovalSettings } from '../../src/app/approvals/index.js';
import type { Delivered, Notifier, PersonRef } from '../../src/app/notifier.js';
import type { Store } from '../../src/app/store.js';
import { parsePolicy } from '../../src/adapters/policy/load.js';
import type { Actor } from '../../src/core/actor.js';
import { builtInPolicy } from '../../src/core/policy/defaults.js';
import type { Reply } from '../../src/core/reply.js';
import { createLogger } from '../../src/log.js';
import { gatewayFor, testClock, type TestClock } from '../support/azure.js';
import type { ArmEmulator } from '../support/emulator.js';

export interface Sent {
  kind: 'post' | 'update' | 'direct';
  conversation: ConversationRef | null;
  person?: PersonRef;
  messageId: string | null;
  reply: Reply;
}

/** A Notifier that records what the use cases send, and answers like a platform would (message ids, DM conversations). */
export class RecordingNotifier implements Notifier {
  readonly sent: Sent[] = [];
  private seq = 0;
  /** Platforms whose DMs cannot be delivered (direct → null). */
  readonly unreachable = new Set<string>();

  async post(conversation: ConversationRef, reply: Reply): Promise<string | null> {
    const id = `msg-${++this.seq}`;
    this.sent.push({ kind: 'post', conversation, messageId: id, reply });
    return id;
  }

  async update(conversation: ConversationRef, messageId: string, reply: Reply): Promise<void> {
    this.sent.push({ kind: 'update', conversation, messageId, reply });
  }

  async direct(person: PersonRef, reply: Reply, _via: ConversationRef | null): Promise<Delivered | null> {
    if (this.unreachable.has(person.platform)) return null;
    const id = `dm-${++this.seq}`;
    const conversation: ConversationRef = {
      platform: person.platform,
      kind: 'personal',
      conversationId: `dm:${person.userId ?? person.email}`,
      threadId: null,
      messageId: null,
    };
    this.sent.push({ kind: 'direct', conversation, person, messageId: id, reply });
    return { conversation, messageId: id };
  }

  /** DMs to someone (by user id or email). */
  dmsTo(who: string): Sent[] {
    return this.sent.filter((s) => s.kind === 'direct' && (s.person?.userId === who || s.person?.email === who));
  }

  /** The last reply each posted message (or DM) shows now, after every update. */
  current(): Map<string, Reply> {
    const out = new Map<string, Reply>();
    for (const s of this.sent) if (s.messageId) out.set(s.messageId, s.reply);
    return out;
  }

  clear(): void {
    this.sent.length = 0;
  }
}

// ---- people and places ------------------------------------------------------------------------------------------

export const DANA: Actor = {
  platform: 'teams',
  id: '11111111-1111-4111-8111-111111111111',
  displayName: 'Dana Lee',
  email: 'dana@contoso.com',
};
export const FRANK: Actor = {
  platform: 'teams',
  id: '44444444-4444-4444-8444-444444444444',
  displayName: 'Frank Ng',
  email: 'frank@contoso.com',
};
export const CAROL: Actor = {
  platform: 'teams',
  id: '33333333-3333-4333-8333-333333333333',
  displayName: 'Carol Diaz',
  email: 'carol@contoso.com',
};
export const BOB: Actor = { platform: 'slack', id: 'U0BOB0001', displayName: 'Bob', email: 'bob@contoso.com' };
export const ERIN: Actor = { platform: 'slack', id: 'U0ERIN001', displayName: 'Erin', email: 'erin@contoso.com' };
export const EVE: Actor = {
  platform: 'teams',
  id: '55555555-5555-4555-8555-555555555555',
  displayName: 'Eve (not an approver)',
  email: 'eve@contoso.com',
};

export const DEV_CHANNEL: ConversationRef = {
  platform: 'teams',
  kind: 'channel',
  conversationId: '19:devteam@thread.tacv2;messageid=1700000000001',
  threadId: '1700000000001',
  messageId: '1700000000001',
  channelId: '19:devteam@thread.tacv2',
};
export const SLACK_CHANNEL: ConversationRef = {
  platform: 'slack',
  kind: 'channel',
  conversationId: 'C0ACRHELP',
  threadId: '1700000000.000100',
  messageId: '1700000000.000100',
  channelId: 'C0ACRHELP',
};
export const SLACK_DM = (user: string): ConversationRef => ({
  platform: 'slack',
  kind: 'personal',
  conversationId: `D${user.slice(1)}`,
  threadId: null,
  messageId: null,
  channelId: `D${user.slice(1)}`,
});

/** The test policy: approvers on both platforms, 2-of-N on acmehybrid, break-glass on globexapps, channel scopes. */
export const POLICY_YAML = `
version: 1
defaults:
  approvers:
    - carol@contoso.com
    - slack:U0BOB0001
    - slack:U0ERIN001
  minApprovals: 1
  duration:
    default: 4h
    max: 1d
  pendingTimeout: 1d
  reminderInterval: 4h
  notify:
    channels:
      - slack: C0APPROVERS
    directMessages: true
registries:
  - match: acmehybrid
    minApprovals: 2
  - match: globexapps
    breakGlass:
      enabled: true
      maxDuration: 1h
      allowedFor: requesters
channels:
  - teams: "19:devteam@thread.tacv2"
    registries: ["acme*"]
  - slack: C0ACRHELP
    registries: ["*"]
  - direct: true
    registries: ["*"]
`;

export const FAST: Partial<ApprovalSettings> = {
  debounceMs: 20,
  retryBaseMs: 10,
  retryMaxMs: 50,
  lockTimeoutMs: 20_000,
  stopTimeoutMs: 5_000,
};

export interface Engine {
  chat: ChatHandler;
  approvals: Approvals;
  store: Store;
  notifier: RecordingNotifier;
  clock: TestClock;
  logs: string[];
  /** A click as the platform adapters hand it over. */
  act(
    verb: string,
    data: Record<string, unknown>,
    actor: Actor,
    conversation?: ConversationRef,
    extra?: Partial<IncomingAction>,
  ): Promise<ActionResult>;
  say(text: string, actor: Actor, conversation?: ConversationRef, addressed?: boolean): Promise<Reply | null>;
  close(): Promise<void>;
}

export async function startEngine(opts: {
  emu: ArmEmulator;
  openStore: (clock: TestClock) => Promise<Store>;
  policy?: string | null;
  settings?: Partial<ApprovalSettings>;
  clock?: TestClock;
  gateway?: Parameters<typeof gatewayFor>[1];
  start?: boolean;
}): Promise<Engine> {
  const clock = opts.clock ?? testClock(Date.parse('2026-03-02T09:00:00Z'));
  const store = await opts.openStore(clock);
  const logs: string[] = [];
  const logger = createLogger('info', { write: (l: string) => void logs.push(l) });
  const gateway = gatewayFor(opts.emu, opts.gateway);
  const notifier = new RecordingNotifier();
  const policy = opts.policy === null ? builtInPolicy() : parsePolicy(opts.policy ?? POLICY_YAML, 'policy.yaml');
  const approvals = createApprovals({
    store,
    gateway,
    notifier,
    policy,
    clock,
    logger,
    settings: { ...FAST, ...opts.settings },
  });
  const chat = createChatService({ gateway, extensions: [approvals.extension] });
  if (opts.start !== false) await approvals.start();
  return {
    chat,
    approvals,
    store,
    notifier,
    clock,
    logs,
    act: async (verb, data, actor, conversation = DEV_CHANNEL, extra = {}) => {
      const out = await chat.onAction({ verb, data, actor, conversation, ...extra } satisfies IncomingAction);
      if (!out) throw new Error(`nobody handled ${verb}`);
      return out;
    },
    say: (text, actor, conversation = DEV_CHANNEL, addressed = true) =>
      chat.onMessage({ text, addressed, actor, conversation } satisfies IncomingMessage),
    close: async () => {
      await approvals.stop();
      await store.close();
    },
  };
}

export function denial(host: string, ip: string): string {
  return `Error response from daemon: Head "https://${host}/v2/web/manifests/v1": denied: client with IP '${ip}' is not allowed access. Refer https://aka.ms/acr/firewall to grant access.`;
}
