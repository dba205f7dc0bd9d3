/**
 * The people role of the store port: the display names the chat platforms told the bot, shared by every instance,
 * so a card names an approver its own instance never met. Names are as clean as core/people.ts makes them.
 */
import type { ChatPlatform } from '../../core/people.js';

export interface PersonName {
  platform: ChatPlatform;
  /** Teams AAD object id (lower-case) / Slack user id. */
  userId: string;
  displayName: string;
  /** When this name was first told (new, or changed since). */
  seenAt: string;
}

export interface PeopleStore {
  /** Keep `displayName` for the person; writes only when the name is new or changed. True when it wrote. */
  savePersonName(platform: ChatPlatform, userId: string, displayName: string): Promise<boolean>;
  /** The names known for these people (unknown ones are left out). */
  personNames(platform: ChatPlatform, userIds: readonly string[]): Promise<PersonName[]>;
}
