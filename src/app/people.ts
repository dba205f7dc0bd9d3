/**
 * The people directory as the use cases see it: display names for platform ids, so cards say "Carol Diaz" where they
 * would show an AAD object id or a Slack user id. Names come from what the platforms tell the bot on paths that
 * already do work (the person who clicked, submitted or asked: `heard`), and for approvers the bot never met, from an
 * active lookup (the Teams roster, Slack users.info) through the `lookup` the composition root hands in.
 *
 * Kept in the store (PeopleStore), so every instance names the same people, and in memory here with a TTL, so drawing
 * a card is a map read: `names` answers synchronously from memory, and `prime` fills memory first (the store, then a
 * bounded lookup) on the paths that draw cards. A name is written only when it is new or changed, and chatter never
 * reaches this: nothing here runs for a message the bot does not answer. Failures leave the id on the card.
 */
import type { Actor } from '../core/actor.js';
import { cleanName, personKey, type ChatPlatform, type NameBook } from '../core/people.js';
import type { Logger } from '../log.js';
import type { ConversationRef } from './chat.js';
import type { Clock } from './ports.js';
import type { PeopleStore } from './store.js';

/** Asks a platform for a person's display name (Teams roster, Slack users.info); null when it does not know them. */
export type NameLookup = (
  platform: ChatPlatform,
  userId: string,
  via: ConversationRef | null,
) => Promise<string | null>;

export interface PersonId {
  platform: ChatPlatform;
  id: string;
}

export interface PeopleOptions {
  store: PeopleStore;
  lookup: NameLookup | null;
  clock: Clock;
  logger: Logger;
  /** How long a name (or "no name known") is trusted before the store is read again. */
  ttlMs?: number;
  maxEntries?: number;
}

interface Known {
  name: string | null;
  at: number;
}

export class People {
  private readonly known = new Map<string, Known>();
  private readonly looking = new Map<string, Promise<void>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(private readonly options: PeopleOptions) {
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
  }

  /** The name known in memory, however old (an old name reads better than an id); null when none. */
  readonly names: NameBook = (platform, userId) => this.known.get(personKey(platform, userId))?.name ?? null;

  /** What a platform said an actor is called, on a path that already does work: stored when new or changed. */
  async heard(actor: Pick<Actor, 'platform' | 'id' | 'displayName'>): Promise<void> {
    if (actor.platform !== 'teams' && actor.platform !== 'slack') return;
    const name = cleanName(actor.displayName);
    if (name === null || actor.id.trim() === '') return;
    const key = personKey(actor.platform, actor.id);
    const was = this.known.get(key);
    this.remember(key, name);
    if (was?.name === name) return;
    try {
      await this.options.store.savePersonName(actor.platform, key.slice(actor.platform.length + 1), name);
    } catch (err) {
      this.options.logger.warn({ err, platform: actor.platform }, 'could not keep a display name');
    }
  }

  /**
   * Names for `people` in memory before a card is drawn: the store's for those not known lately, then a platform
   * lookup (in `via`'s conversation) for those nobody has named yet. Waits at most `budgetMs` for lookups; slower
   * ones finish in the background and name the person on the next card.
   */
  async prime(people: readonly PersonId[], via: ConversationRef | null, budgetMs: number): Promise<void> {
    const now = this.now();
    const stale = new Map<string, PersonId>();
    for (const p of people) {
      if (p.id.trim() === '') continue;
      const key = personKey(p.platform, p.id);
      const k = this.known.get(key);
      if (!k || now - k.at >= this.ttlMs) stale.set(key, p);
    }
    if (stale.size === 0) return;
    for (const platform of ['teams', 'slack'] as const) {
      const ids = [...stale.values()].filter((p) => p.platform === platform).map((p) => p.id);
      if (ids.length === 0) continue;
      try {
        for (const row of await this.options.store.personNames(platform, ids)) {
          const key = personKey(platform, row.userId);
          this.remember(key, row.displayName);
          stale.delete(key);
        }
      } catch (err) {
        this.options.logger.warn({ err, platform }, 'could not read display names');
        return;
      }
    }
    const lookups = [...stale.entries()].map(([key, p]) => this.lookUp(key, p, via));
    if (lookups.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(lookups),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(0, budgetMs));
      }),
    ]);
    clearTimeout(timer);
  }

  /** One lookup per person at a time; "not known" is remembered like a name, so it is not asked again at once. */
  private lookUp(key: string, p: PersonId, via: ConversationRef | null): Promise<void> {
    const running = this.looking.get(key);
    if (running) return running;
    const lookup = this.options.lookup;
    if (!lookup) {
      this.remember(key, null);
      return Promise.resolve();
    }
    const work = lookup(p.platform, p.id, via)
      .then(async (raw) => {
        const name = cleanName(raw);
        if (name === null) this.remember(key, null);
        else await this.heard({ platform: p.platform, id: p.id, displayName: name });
      })
      .catch((err: unknown) => {
        // Not asked again before the TTL: a card drawn meanwhile shows the id.
        this.remember(key, null);
        this.options.logger.info(
          { platform: p.platform, err: err instanceof Error ? err.message.slice(0, 200) : String(err) },
          'display name lookup failed: the card shows the id',
        );
      })
      .finally(() => this.looking.delete(key));
    this.looking.set(key, work);
    return work;
  }

  private remember(key: string, name: string | null): void {
    // A name already known is not forgotten because a later lookup found none.
    const was = this.known.get(key);
    this.known.delete(key);
    this.known.set(key, { name: name ?? was?.name ?? null, at: this.now() });
    while (this.known.size > this.maxEntries) {
      const oldest = this.known.keys().next().value;
      if (oldest === undefined) break;
      this.known.delete(oldest);
    }
  }

  private now(): number {
    return this.options.clock.now().getTime();
  }
}
