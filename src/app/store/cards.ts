/**
 * The cards and conversations role of the store port: where people and channels can be reached later, and every
 * posted copy of a request's card, so each can be kept up to date in place.
 */
import type { ConversationRef } from '../chat.js';

/** Where a copy of a request's card was posted, so every copy can be kept up to date in place. */
export type CardPurpose =
  /** The card in the thread where the request was made. */
  | 'thread'
  /** The copy in an approvers' channel (policy notify.channels). */
  | 'approvers_channel'
  /** The copy DMed to one approver. */
  | 'approver_dm'
  /** A copy DMed to the requester. */
  | 'requester_dm'
  /** The card a click was answered on, where only the clicker sees it (a 1:1 chat with the bot). */
  | 'answer';

/** The person a personal copy is drawn for (their own buttons); null for a copy everyone in a conversation sees. */
export interface CardViewer {
  platform: 'teams' | 'slack';
  /** Teams AAD object id / Slack user id; empty when only the email is known (an approver named by email). */
  id: string;
  email: string | null;
  displayName: string | null;
  role: 'approver' | 'requester';
}

export interface CardRecord {
  requestId: string;
  purpose: CardPurpose;
  conversation: ConversationRef;
  /** The posted message to update in place: Teams activity id / Slack message ts. */
  messageId: string;
  viewer: CardViewer | null;
  updatedAt: string;
}

export interface CardStore {
  saveConversation(key: string, ref: ConversationRef): Promise<void>;
  getConversation(key: string): Promise<ConversationRef | null>;
  /** Upsert by (request, platform, conversation, message): one row per posted copy. */
  saveCard(card: Omit<CardRecord, 'updatedAt'>): Promise<void>;
  listCards(requestId: string): Promise<CardRecord[]>;
}

/** The conversation key for a user's 1:1 chat with the bot (for DMs to requesters and approvers). */
export function userConversationKey(platform: 'teams' | 'slack', userId: string): string {
  return `user:${platform}:${platform === 'teams' ? userId.toLowerCase() : userId}`;
}
