/**
 * The Notifier port: how use cases speak outside a chat turn (approval cards in threads and approvers' channels,
 * in-place card updates, DMs to requesters and approvers). One router in front of the platform messengers, chosen by
 * the conversation's (or person's) platform. Posting to or updating on a platform that is off throws
 * PlatformUnavailableError; a DM there answers null, like a person who cannot be reached.
 */
import type { ConversationRef } from './chat.js';
import type { Reply } from '../core/reply.js';

/** Someone to DM. Teams: `userId` is the AAD object id (or a `29:` id); Slack: the user id. `email` lets an adapter look the person up. */
export interface PersonRef {
  platform: 'teams' | 'slack';
  userId: string | null;
  email: string | null;
}

/** Where a DM landed, so it can be updated in place later (store it as a card record). */
export interface Delivered {
  conversation: ConversationRef;
  messageId: string | null;
}

/** What each chat platform implements (TeamsMessenger, SlackMessenger). */
export interface PlatformMessenger {
  /** Post `reply` into the conversation (its thread when it has one); resolves with the new message id. */
  post(conversation: ConversationRef, reply: Reply): Promise<string | null>;
  /** Replace message `messageId` for everyone in the conversation. */
  update(conversation: ConversationRef, messageId: string, reply: Reply): Promise<void>;
  /**
   * Send `reply` to one person in a 1:1 chat with the bot. `via` is a conversation on the same platform the bot is
   * in (Teams needs its service URL and tenant to open a 1:1 chat). Null when the person cannot be found or reached.
   */
  direct?(person: PersonRef, reply: Reply, via: ConversationRef | null): Promise<Delivered | null>;
  /**
   * The display name the platform's directory has for a user (Teams: AAD object id, looked up in `via`'s roster;
   * Slack: user id, from users.info); null when it has none. Cached by the platform adapter.
   */
  displayName?(userId: string, via: ConversationRef | null): Promise<string | null>;
}

export interface Notifier {
  post(conversation: ConversationRef, reply: Reply): Promise<string | null>;
  update(conversation: ConversationRef, messageId: string, reply: Reply): Promise<void>;
  direct(person: PersonRef, reply: Reply, via: ConversationRef | null): Promise<Delivered | null>;
  /** A person's display name from their platform's directory; absent or null when it cannot say. */
  displayName?(platform: 'teams' | 'slack', userId: string, via: ConversationRef | null): Promise<string | null>;
}

export class PlatformUnavailableError extends Error {
  override readonly name = 'PlatformUnavailableError';
  constructor(readonly platform: string) {
    super(`${platform} is not enabled in this bot, so nothing can be sent there`);
  }
}

/** Routes by platform to the messengers the composition root attaches as each platform starts. */
export class NotifierRouter implements Notifier {
  private readonly messengers = new Map<'teams' | 'slack', PlatformMessenger>();

  attach(platform: 'teams' | 'slack', messenger: PlatformMessenger): void {
    this.messengers.set(platform, messenger);
  }

  private messenger(platform: 'teams' | 'slack'): PlatformMessenger {
    const m = this.messengers.get(platform);
    if (!m) throw new PlatformUnavailableError(platform);
    return m;
  }

  post(conversation: ConversationRef, reply: Reply): Promise<string | null> {
    return this.messenger(conversation.platform).post(conversation, reply);
  }

  update(conversation: ConversationRef, messageId: string, reply: Reply): Promise<void> {
    return this.messenger(conversation.platform).update(conversation, messageId, reply);
  }

  async direct(person: PersonRef, reply: Reply, via: ConversationRef | null): Promise<Delivered | null> {
    const m = this.messengers.get(person.platform);
    if (!m?.direct) return null;
    return m.direct(person, reply, via);
  }

  async displayName(platform: 'teams' | 'slack', userId: string, via: ConversationRef | null): Promise<string | null> {
    const m = this.messengers.get(platform);
    if (!m?.displayName) return null;
    return m.displayName(userId, via && via.platform === platform ? via : null);
  }
}
