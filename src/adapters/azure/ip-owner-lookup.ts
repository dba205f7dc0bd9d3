/**
 * Who owns a public address, as far as Azure tells the bot: a public IP or prefix in the tenant (from the
 * directory's search rows), else the service tag that covers it (a named service, or only the catch-all AzureCloud).
 * Answers are kept for minutes; "nobody in the tenant" more briefly. The service-tag list is fetched only when no
 * tenant resource owns the address, and kept for a day.
 */
import type { Logger } from 'pino';
import { AzureError } from '../../app/azure-error.js';
import type { Clock } from '../../app/ports.js';
import type { IpOwner } from '../../core/diagnosis.js';
import { TtlCache } from './cache.js';
import type { AzureClients } from './clients.js';
import type { Cloud } from './cloud.js';
import { cacheKey, type AzureDirectory } from './directory.js';
import { ownerFromRows } from './ip-owner.js';
import { fetchServiceTags, ownerFromServiceTags, type ServiceTagIndex } from './service-tags.js';
import type { CacheTtls } from './ttls.js';

export interface OwnerLookupOptions {
  clients: AzureClients;
  clock: Clock;
  ttl: CacheTtls;
  log: Logger | null;
}

/** Where to ask for service tags: the registry in question's subscription and region, when known. */
export interface NearRegistry {
  subscriptionId: string;
  location: string;
}

/** Unowned answers are re-asked sooner: a public IP created a minute ago should be found. */
const UNOWNED_MS = 2 * 60_000;

export class IpOwnerLookup {
  private readonly owners: TtlCache<string, IpOwner | null>;
  private readonly serviceTags: TtlCache<string, { index: ServiceTagIndex | null; ttlMs: number }>;

  constructor(
    private readonly directory: AzureDirectory,
    private readonly o: OwnerLookupOptions,
  ) {
    this.owners = new TtlCache(o.clock);
    this.serviceTags = new TtlCache(o.clock);
  }

  needsSearch(cloud: Cloud, ip: string): boolean {
    return this.owners.peek(cacheKey(cloud, { kind: 'ip', ip })) === undefined;
  }

  /** The owner known for the address; null when nobody owns it or it was never looked up. */
  cached(cloud: Cloud, ip: string): IpOwner | null {
    return this.owners.peek(cacheKey(cloud, { kind: 'ip', ip })) ?? null;
  }

  /** Read one search's rows for the address's owner, asking the service tags when no tenant resource has it. */
  async absorb(cloud: Cloud, ip: string, rows: readonly unknown[], near: NearRegistry | null): Promise<IpOwner | null> {
    const owner = ownerFromRows(rows) ?? (await this.serviceTagOwner(cloud, ip, near));
    const ttl = owner ? this.o.ttl.ipOwnerMs : Math.min(this.o.ttl.ipOwnerMs, UNOWNED_MS);
    this.owners.set(cacheKey(cloud, { kind: 'ip', ip }), owner, ttl);
    return owner;
  }

  /**
   * The service tag covering the address. Never fails the inspection: a refusal is remembered for an hour, a
   * transient failure only skips this answer.
   */
  private async serviceTagOwner(cloud: Cloud, ip: string, near: NearRegistry | null): Promise<IpOwner | null> {
    const entry = await this.serviceTags.get(
      cacheKey(cloud),
      (v) => v.ttlMs,
      async () => {
        try {
          const sub = near?.subscriptionId || (await this.directory.subscriptions(cloud))[0];
          if (!sub) return { index: null, ttlMs: 0 };
          return {
            index: await fetchServiceTags(this.o.clients, cloud, sub, near?.location || 'westus'),
            ttlMs: this.o.ttl.serviceTagsMs,
          };
        } catch (err) {
          if (!(err instanceof AzureError)) throw err;
          this.o.log?.warn(
            { kind: err.kind, code: err.details.code },
            'Azure: service tags unavailable; IPs of Azure services will not be named',
          );
          return { index: null, ttlMs: err.retryable ? 0 : 3600_000 };
        }
      },
    );
    return entry.index ? ownerFromServiceTags(entry.index, ip) : null;
  }
}
