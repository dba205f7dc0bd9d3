/**
 * Teams user ids (`29:…`) for people the policy names by Azure AD object id or UPN/email. Cards need them for
 * `refresh.userIds` (who gets a per-user view) and DMs need them to open a 1:1 chat. Resolution asks the Bot
 * Connector for one member of a conversation (GET /v3/conversations/{id}/members/{AAD id or UPN}, what
 * TeamsInfo.getMember does), in the card's conversation: the team for a channel, else the chat.
 *
 * Cached: a `29:` id is the same for one user in every conversation with this bot, so hits (and the senders of
 * inbound activities, learned as they arrive) are kept per person; misses are kept per conversation, since the
 * same person may be in one team and not another. Bounded in size and age; one process.
 */
import type { ChannelAccount, TurnContext } from 'botbuilder';
import { TeamsInfo } from './sdk.js';
import type { Logger } from '../../log.js';

export interface RosterMember {
  /** Teams user id, `29:…` (in local tools, whatever id the client uses). */
  id: string;
  aadObjectId: string | null;
  upn: string | null;
  name: string | null;
}

/** Who to look for: an Azure AD object id or a UPN/email (case-insensitive). */
export type PersonKey = string;

interface Entry<T> {
  value: T;
  at: number;
}

export interface RosterOptions {
  logger: Logger;
  /** How long a resolved id is trusted. */
  ttlMs?: number;
  /** How long "not a member here" is remembered. */
  missTtlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

const norm = (key: string): string => key.trim().toLowerCase();

/** The roster a conversation's cards are resolved in: the team for a channel (thread suffix dropped), else the chat. */
export function rosterScope(conversationId: string, teamId: string | null | undefined): string {
  if (teamId) return teamId;
  const at = conversationId.indexOf(';messageid=');
  return at < 0 ? conversationId : conversationId.slice(0, at);
}

function statusOf(err: unknown): number | null {
  const s = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof s === 'number' ? s : null;
}

export class TeamsRoster {
  private readonly known = new Map<string, Entry<RosterMember>>();
  private readonly misses = new Map<string, Entry<true>>();
  private readonly inFlight = new Map<string, Promise<RosterMember | null>>();
  private readonly ttlMs: number;
  private readonly missTtlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private lookups = 0;

  constructor(private readonly options: RosterOptions) {
    this.ttlMs = options.ttlMs ?? 60 * 60_000;
    this.missTtlMs = options.missTtlMs ?? 10 * 60_000;
    this.maxEntries = options.maxEntries ?? 5000;
    this.now = options.now ?? Date.now;
  }

  /** Connector member lookups made so far (for tests and logs). */
  get lookupCount(): number {
    return this.lookups;
  }

  /** Remember an account Teams vouched for (the sender of an authenticated activity, a member lookup's answer). */
  learn(
    account: (ChannelAccount & { userPrincipalName?: unknown; email?: unknown }) | null | undefined,
  ): RosterMember | null {
    if (!account || typeof account.id !== 'string' || account.id === '') return null;
    const upn =
      [account.userPrincipalName, account.email].find((v): v is string => typeof v === 'string' && v.includes('@')) ??
      null;
    const member: RosterMember = {
      id: account.id,
      aadObjectId:
        typeof account.aadObjectId === 'string' && account.aadObjectId !== '' ? norm(account.aadObjectId) : null,
      upn: upn ? norm(upn) : null,
      name: typeof account.name === 'string' ? account.name : null,
    };
    if (!member.aadObjectId && !member.upn) return member;
    const entry = { value: member, at: this.now() };
    if (member.aadObjectId) this.set(this.known, member.aadObjectId, entry);
    if (member.upn) this.set(this.known, member.upn, entry);
    return member;
  }

  /** A cached member, without asking anyone. */
  cached(key: PersonKey): RosterMember | null {
    const hit = this.known.get(norm(key));
    return hit && this.now() - hit.at < this.ttlMs ? hit.value : null;
  }

  /**
   * The member `key` names, looked up in conversation `scope` through `context`'s connector when not cached.
   * Null when Teams says there is no such member there (remembered a while) or the lookup failed (not remembered).
   */
  async resolve(context: TurnContext, scope: string, key: PersonKey): Promise<RosterMember | null> {
    const k = norm(key);
    if (k === '') return null;
    if (k.startsWith('29:')) return { id: key.trim(), aadObjectId: null, upn: null, name: null };
    const hit = this.cached(k);
    if (hit) return hit;
    const missKey = `${scope}|${k}`;
    const miss = this.misses.get(missKey);
    if (miss && this.now() - miss.at < this.missTtlMs) return null;
    const running = this.inFlight.get(missKey);
    if (running) return running;
    const lookup = this.lookup(context, scope, k, missKey).finally(() => this.inFlight.delete(missKey));
    this.inFlight.set(missKey, lookup);
    return lookup;
  }

  /**
   * Teams ids for `keys` (each person once, in order), within `budgetMs`: lookups still running when the budget
   * ends are left to finish and fill the cache for the next card, and their people are left out of this one.
   */
  async resolveMany(
    context: TurnContext,
    scope: string,
    keys: readonly PersonKey[][],
    budgetMs: number,
  ): Promise<string[]> {
    const results: Array<string | null> = keys.map(() => null);
    const work = keys.map(async (alternatives, i) => {
      for (const key of alternatives) {
        const m = await this.resolve(context, scope, key);
        if (m) {
          results[i] = m.id;
          return;
        }
      }
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      Promise.all(work).then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), Math.max(0, budgetMs));
      }),
    ]);
    clearTimeout(timer);
    if (timedOut)
      this.options.logger.warn(
        { scope, people: keys.length, budgetMs },
        'Teams roster lookups took too long; the card goes out with the ids resolved so far',
      );
    return [...new Set(results.filter((id): id is string => id !== null))];
  }

  private async lookup(
    context: TurnContext,
    scope: string,
    key: string,
    missKey: string,
  ): Promise<RosterMember | null> {
    this.lookups += 1;
    try {
      // TeamsInfo.getTeamMember(context, id, user) is GET /v3/conversations/{id}/members/{user} for any conversation
      // id (team, group chat, 1:1); Teams accepts the AAD object id or the UPN as {user}.
      const account = await TeamsInfo.getTeamMember(context, scope, key);
      const member = this.learn(account);
      if (member) return member;
      this.set(this.misses, missKey, { value: true, at: this.now() });
      return null;
    } catch (err) {
      const status = statusOf(err);
      if (status === 404 || status === 400 || status === 403) {
        this.set(this.misses, missKey, { value: true, at: this.now() });
        this.options.logger.info({ scope, status }, 'person not found in the Teams roster of this conversation');
      } else {
        this.options.logger.warn(
          { scope, status, err: err instanceof Error ? err.message.slice(0, 200) : String(err) },
          'Teams roster lookup failed',
        );
      }
      return null;
    }
  }

  private set<T>(map: Map<string, Entry<T>>, key: string, entry: Entry<T>): void {
    map.delete(key);
    map.set(key, entry);
    while (map.size > this.maxEntries) {
      const oldest = map.keys().next().value;
      if (oldest === undefined) break;
      map.delete(oldest);
    }
  }
}
