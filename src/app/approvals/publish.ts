/**
 * Where a request's cards and messages go: the card in the thread where it was asked, copies
 * in the approvers' channels and DMs that policy names, DMs to the requester at each step; and keeping every copy
 * up to date in place. Runs after the state change committed; a platform that fails is logged and skipped, never
 * allowed to undo or block the decision.
 */
import type { ApproverEntry, ChannelSelector } from '../../core/policy/types.js';
import { policyFor } from '../../core/policy/evaluate.js';
import { describeApprover, samePerson } from '../../core/policy/identity.js';
import { chatPlatformOf, type AccessRequest, type Party } from '../../core/requests/index.js';
import type { Reply } from '../../core/reply.js';
import type { ConversationRef } from '../chat.js';
import type { PersonRef } from '../notifier.js';
import type { CardPurpose, CardRecord } from '../store.js';
import type { Ctx } from './deps.js';
import { nameEveryone } from './names.js';
import { unreachedNotice } from './unreached.js';
import { copyView } from './copies.js';
import { conversationView, requestReply, roleView } from './views.js';

/** The store key under which a channel's conversation reference may be kept (Teams needs one to post proactively). */
export function channelConversationKey(platform: 'teams' | 'slack', id: string): string {
  return `channel:${platform}:${platform === 'teams' ? id.toLowerCase() : id}`;
}

function personOf(p: Party): PersonRef | null {
  const platform = chatPlatformOf(p);
  return platform ? { platform, userId: p.id, email: p.email } : null;
}

function approverPerson(e: ApproverEntry, fallback: 'teams' | 'slack'): PersonRef | null {
  switch (e.kind) {
    case 'teams':
      return { platform: 'teams', userId: e.value, email: null };
    case 'slack':
      return { platform: 'slack', userId: e.value, email: null };
    case 'email':
      return { platform: fallback, userId: null, email: e.value };
    case 'group':
      return null; // a group has no DM; its members see the channel copies
  }
}

function isRequester(r: AccessRequest, person: PersonRef): boolean {
  return samePerson(r.requester, { platform: person.platform, id: person.userId ?? '', email: person.email });
}

export class Publisher {
  constructor(private readonly ctx: Ctx) {}

  private get log() {
    return this.ctx.logger;
  }

  private named(r: AccessRequest, via: ConversationRef | null): Promise<void> {
    return nameEveryone(this.ctx, r, via);
  }

  private async save(
    requestId: string,
    purpose: CardPurpose,
    conversation: ConversationRef,
    messageId: string | null,
  ): Promise<void> {
    if (messageId === null) {
      this.log.warn({ requestId, purpose }, 'a card was posted without a message id; it cannot be updated in place');
      return;
    }
    try {
      await this.ctx.store.saveCard({ requestId, purpose, conversation, messageId, viewer: null });
    } catch (err) {
      this.log.warn({ err, requestId, purpose }, 'could not record a card; it will not be updated in place');
    }
  }

  private async post(
    conversation: ConversationRef,
    reply: Reply,
    requestId: string,
    purpose: CardPurpose,
  ): Promise<boolean> {
    try {
      const id = await this.ctx.notifier.post(conversation, reply);
      await this.save(requestId, purpose, conversation, id);
      return true;
    } catch (err) {
      this.log.warn({ err, requestId, purpose, platform: conversation.platform }, 'could not post a request card');
      return false;
    }
  }

  private async dm(
    person: PersonRef,
    reply: Reply,
    via: ConversationRef | null,
    requestId: string,
    purpose: CardPurpose,
  ): Promise<boolean> {
    try {
      const delivered = await this.ctx.notifier.direct(person, reply, via);
      if (delivered === null) {
        this.log.info(
          { requestId, purpose, platform: person.platform },
          'direct message not delivered: the person could not be reached on that platform',
        );
        return false;
      }
      await this.save(requestId, purpose, delivered.conversation, delivered.messageId);
      return true;
    } catch (err) {
      this.log.warn({ err, requestId, purpose, platform: person.platform }, 'could not send a direct message');
      return false;
    }
  }

  /** Where policy's notify channels are. Slack needs only the id; Teams needs a stored conversation reference. */
  private async channelConversation(s: Exclude<ChannelSelector, { kind: 'direct' }>): Promise<ConversationRef | null> {
    const stored = await this.ctx.store.getConversation(channelConversationKey(s.kind, s.id)).catch(() => null);
    if (stored) return stored;
    if (s.kind === 'slack')
      return {
        platform: 'slack',
        kind: 'channel',
        conversationId: s.id,
        threadId: null,
        messageId: null,
        channelId: s.id,
      };
    this.log.warn(
      { channel: s.id },
      'no conversation reference for a Teams notify channel: add the bot to it (its first message there records one)',
    );
    return null;
  }

  /** The thread card's conversation: where replies about the request belong, and the `via` for DMs. */
  async threadOf(requestId: string): Promise<ConversationRef | null> {
    const cards = await this.ctx.store.listCards(requestId).catch(() => [] as CardRecord[]);
    return cards.find((c) => c.purpose === 'thread')?.conversation ?? cards[0]?.conversation ?? null;
  }

  /** A new request: the thread card, the approvers' channels and DMs (all of them, loudly, for break-glass). */
  async announce(
    r: AccessRequest,
    thread: ConversationRef | null,
    opts: { loud?: boolean; banner?: string | null } = {},
  ): Promise<void> {
    const p = this.ctx.policy.configured ? policyFor(this.ctx.policy, r.registry) : null;
    await this.named(r, thread);
    const card = requestReply(conversationView(this.ctx, r, opts.banner ?? null));
    if (thread) await this.post(thread, card, r.id, 'thread');
    if (!p) return;
    // How many places an approver hears about it from: notify channels (the thread itself when it is one) and DMs.
    let heard = 0;
    for (const s of p.notify.channels) {
      if (s.kind === 'direct') continue;
      const c = await this.channelConversation(s);
      if (c && thread && c.platform === thread.platform && c.conversationId === thread.conversationId) heard += 1;
      else if (c && (await this.post(c, card, r.id, 'approvers_channel'))) heard += 1;
    }
    if (p.notify.directMessages || opts.loud)
      heard += await this.tellApprovers(r, opts.banner ?? null, { via: thread });
    // A decision may have landed while the cards were being posted (a quick cancel, an approver on another copy):
    // the cards just posted show the older state, so bring them up to date.
    const now = await this.ctx.store.getRequest(r.id).catch(() => null);
    const latest = now ?? r;
    if (heard === 0 && latest.status === 'pending') return this.nobodyHeard(latest, p.approvers, thread);
    if (now && now.version !== r.version) await this.refresh(now);
  }

  /**
   * A pending request no approver heard of: recorded on the request, so every copy of its card says who could not
   * be reached (on any instance, however often it is drawn again); the requester is told.
   */
  private async nobodyHeard(r: AccessRequest, approvers: ApproverEntry[], thread: ConversationRef | null) {
    this.log.warn(
      { requestId: r.id, registry: r.registry.name, approvers: approvers.map(describeApprover) },
      'no approver could be reached for a new request: no direct message delivered, no notify channel',
    );
    const noted = await this.ctx.store.transition(r.id, { type: 'note_unreached', approvers }).catch((err: unknown) => {
      this.log.warn({ err, requestId: r.id }, 'could not record that no approver was reached');
      return null;
    });
    await this.refresh(noted?.ok ? noted.request : ((await this.ctx.store.getRequest(r.id).catch(() => null)) ?? r));
    const told = unreachedNotice(approvers, this.ctx.people.names);
    if (thread) {
      try {
        await this.ctx.notifier.post(thread, told);
        return;
      } catch (err) {
        this.log.warn({ err, requestId: r.id }, 'could not tell the requester in the thread that nobody was reached');
      }
    }
    await this.tellRequester(r, null, told);
  }

  /** DM every individual approver (never the requester) their personal card. */
  async tellApprovers(
    r: AccessRequest,
    banner: string | null,
    opts: { via?: ConversationRef | null; reply?: Reply } = {},
  ): Promise<number> {
    if (!this.ctx.policy.configured) return 0;
    const p = policyFor(this.ctx.policy, r.registry);
    const via = opts.via ?? (await this.threadOf(r.id));
    await this.named(r, via);
    const fallback = chatPlatformOf(r.requester) ?? via?.platform ?? 'teams';
    let sent = 0;
    for (const entry of p.approvers) {
      const person = approverPerson(entry, fallback);
      if (!person || isRequester(r, person)) continue;
      const reply = opts.reply ?? requestReply(roleView(this.ctx, r, 'approver', banner));
      const sameVia = via && via.platform === person.platform ? via : null;
      if (await this.dm(person, reply, sameVia, r.id, 'approver_dm')) sent += 1;
    }
    return sent;
  }

  /** Post into policy's notify channels (break-glass, drift): every approver sees it even without DMs. */
  async tellApproverChannels(r: AccessRequest, reply: Reply): Promise<void> {
    if (!this.ctx.policy.configured) return;
    for (const s of policyFor(this.ctx.policy, r.registry).notify.channels) {
      if (s.kind === 'direct') continue;
      const c = await this.channelConversation(s);
      if (!c) continue;
      try {
        await this.ctx.notifier.post(c, reply);
      } catch (err) {
        this.log.warn({ err, requestId: r.id }, 'could not post to a notify channel');
      }
    }
  }

  /** DM the requester what happened (their card, with the banner). */
  async tellRequester(r: AccessRequest, banner: string | null, reply?: Reply): Promise<boolean> {
    const person = personOf(r.requester);
    if (!person) return false;
    const via = await this.threadOf(r.id);
    await this.named(r, via);
    return this.dm(
      person,
      reply ?? requestReply(roleView(this.ctx, r, 'requester', banner)),
      via && via.platform === person.platform ? via : null,
      r.id,
      'requester_dm',
    );
  }

  /** Update every recorded copy of the request's card in place. */
  async refresh(r: AccessRequest, banner: string | null = null): Promise<void> {
    let cards: CardRecord[];
    try {
      cards = await this.ctx.store.listCards(r.id);
    } catch (err) {
      this.log.warn({ err, requestId: r.id }, 'could not list the cards of a request');
      return;
    }
    if (cards.length > 0) await this.named(r, cards.find((c) => c.purpose === 'thread')?.conversation ?? null);
    for (const card of cards) {
      const v = copyView(this.ctx, card, r, banner);
      try {
        await this.ctx.notifier.update(card.conversation, card.messageId, requestReply(v));
      } catch (err) {
        this.log.warn(
          { err, requestId: r.id, purpose: card.purpose, platform: card.conversation.platform },
          'could not update a card in place',
        );
      }
    }
  }

  /** Post a message into the request's thread (reminders when approvers get no DMs). */
  async postInThread(r: AccessRequest, reply: Reply): Promise<boolean> {
    const thread = await this.threadOf(r.id);
    if (!thread) return false;
    try {
      await this.ctx.notifier.post(thread, reply);
      return true;
    } catch (err) {
      this.log.warn({ err, requestId: r.id }, 'could not post in the request thread');
      return false;
    }
  }
}
