/**
 * The Actor behind a Slack user id: the id itself (what policy matches first) plus name and email from
 * `users.info` (needs `users:read` and `users:read.email`). Cached with a TTL and single-flight, so a busy channel
 * costs one Web API call per person per hour. A failed lookup never blocks the answer: the actor then has no email
 * (and policy, which fails closed, treats it as unknown) and the failure is retried after a minute. The same cache
 * names approvers on cards (`displayName`), so drawing a card does not call the Web API each time.
 */
import type { Actor } from '../../core/actor.js';
import type { Logger } from '../../log.js';

interface UsersInfoResult {
  ok?: boolean;
  user?: {
    name?: string;
    real_name?: string;
    deleted?: boolean;
    profile?: { email?: string; display_name?: string; real_name?: string };
  };
}

/** The one Web API method this needs (Bolt's WebClient satisfies it). */
export interface UsersInfoClient {
  users: { info(args: { user: string }): Promise<UsersInfoResult> };
}

interface Profile {
  displayName: string | null;
  email: string | null;
}

const USER_ID = /^[UW][A-Z0-9]{2,30}$/;

export class SlackActors {
  private readonly cache = new Map<string, { until: number; profile: Promise<Profile> }>();

  constructor(
    private readonly client: UsersInfoClient,
    private readonly logger: Logger,
    private readonly options: { ttlMs?: number; failureTtlMs?: number; maxEntries?: number; now?: () => number } = {},
  ) {}

  async actor(userId: string): Promise<Actor> {
    const profile = USER_ID.test(userId) ? await this.profile(userId) : { displayName: null, email: null };
    return {
      platform: 'slack',
      id: userId,
      platformUserId: userId,
      displayName: profile.displayName,
      email: profile.email,
    };
  }

  /** The name a card shows for a user: their profile's display name, else their real name; null when unknown. */
  async displayName(userId: string): Promise<string | null> {
    return USER_ID.test(userId) ? (await this.profile(userId)).displayName : null;
  }

  private profile(userId: string): Promise<Profile> {
    const now = (this.options.now ?? Date.now)();
    const hit = this.cache.get(userId);
    if (hit && hit.until > now) return hit.profile;
    const ttl = this.options.ttlMs ?? 60 * 60 * 1000;
    const entry = { until: now + ttl, profile: this.lookup(userId, now) };
    this.cache.delete(userId);
    this.cache.set(userId, entry);
    const max = this.options.maxEntries ?? 10_000;
    for (const k of this.cache.keys()) {
      if (this.cache.size <= max) break;
      this.cache.delete(k);
    }
    return entry.profile;
  }

  private async lookup(userId: string, now: number): Promise<Profile> {
    try {
      const res = await this.client.users.info({ user: userId });
      const u = res.user;
      const email = u?.profile?.email?.trim().toLowerCase() || null;
      const displayName = u?.profile?.display_name || u?.real_name || u?.profile?.real_name || u?.name || null;
      return { displayName, email };
    } catch (err) {
      this.logger.warn(
        { err: err instanceof Error ? err.message : String(err), userId },
        'slack users.info failed: actor has no email',
      );
      const entry = this.cache.get(userId);
      if (entry) entry.until = Math.min(entry.until, now + (this.options.failureTtlMs ?? 60_000));
      return { displayName: null, email: null };
    }
  }
}
