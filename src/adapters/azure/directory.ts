/**
 * Where things are in Azure, shared by the registry resolver and the IP-owner lookup (which never import each
 * other): the cloud a registry lives in, the subscriptions the identity reads, the one Resource Graph search that
 * asks for a registry and an address together (so a cold inspection is one round trip), and, when Resource Graph
 * cannot be used, the listing of every registry. Also the adapter's one cache-key helper.
 */
import type { Logger } from 'pino';
import { AzureError } from '../../app/azure-error.js';
import type { Clock } from '../../app/ports.js';
import type { AzureConfig } from '../../config.js';
import { idKey, refKey, type RegistryRef } from '../../core/registry-ref.js';
import { TtlCache } from './cache.js';
import type { AzureClients } from './clients.js';
import { cloudForHost, cloudForUrl, defaultCloud, type Cloud } from './cloud.js';
import { graphQuery, listRegistries, listSubscriptionIds, type RegistryListing } from './resolve.js';
import type { CacheTtls } from './ttls.js';

/** A reference Resource Graph searches for: a host or a name (an id is read directly). */
export type SearchableRef = Exclude<RegistryRef, { kind: 'id' }>;

type Subject = RegistryRef | { kind: 'id'; id: string } | { kind: 'ip'; ip: string } | null;

/**
 * The one cache key: the cloud's ARM endpoint (`*` where an id already says where) and what was looked up, a
 * registry by core's `refKey`, an address as `ip:<text>`, nothing as `-`.
 */
export function cacheKey(cloud: Cloud | null, ...subjects: Subject[]): string {
  const parts = subjects.map((s) => (s === null ? '-' : s.kind === 'ip' ? `ip:${s.ip}` : refKey(s)));
  return [cloud?.armEndpoint ?? '*', ...parts].join('|');
}

export interface DirectoryOptions {
  clients: AzureClients;
  azure: AzureConfig;
  clock: Clock;
  ttl: CacheTtls;
  log: Logger | null;
}

export class AzureDirectory {
  private readonly subscriptionIds: TtlCache<string, string[]>;
  private readonly listings: TtlCache<string, RegistryListing>;
  /** Only single-flight: identical concurrent searches share one query; rows are never kept. */
  private readonly searches: TtlCache<string, unknown[] | null>;
  private readonly cloudOf = new Map<string, Cloud>();
  private readonly graphOffUntil = new Map<string, number>();

  constructor(private readonly o: DirectoryOptions) {
    this.subscriptionIds = new TtlCache(o.clock);
    this.listings = new TtlCache(o.clock);
    this.searches = new TtlCache(o.clock);
  }

  private get override(): string | null {
    return this.o.azure.resourceManagerEndpoint;
  }

  /** The cloud to search for a reference: a host's suffix says it, an id where it was found, else the default. */
  cloudFor(ref: RegistryRef | null): Cloud {
    if (ref?.kind === 'host') {
      const choice = cloudForHost(ref.host, this.override);
      if (!choice.knownSuffix) {
        this.o.log?.info(
          { host: ref.host, cloud: choice.cloud.name },
          'Azure: login server has no known ACR suffix (custom domain?); searching the default cloud only',
        );
      }
      return choice.cloud;
    }
    if (ref?.kind === 'id') return this.cloudOfRegistry(ref.id);
    return defaultCloud(this.override);
  }

  cloudOfRegistry(id: string): Cloud {
    return this.cloudOf.get(idKey(id)) ?? defaultCloud(this.override);
  }

  /** An operation URL names its cloud (it may come from a poller saved before a restart). */
  cloudOfUrl(url: string): Cloud {
    return cloudForUrl(url, this.override);
  }

  placeRegistry(id: string, cloud: Cloud): void {
    this.cloudOf.set(idKey(id), cloud);
  }

  /**
   * Rows of one Resource Graph query for whatever is asked (a registry, an address, or both), or null when Resource
   * Graph cannot be used (then the resolver lists registries instead). Identical concurrent searches share it.
   */
  search(cloud: Cloud, ref: SearchableRef | null, ip: string | null): Promise<unknown[] | null> {
    const key = cacheKey(cloud, ref, ip === null ? null : { kind: 'ip', ip });
    return this.searches.singleFlight(key, () =>
      this.graphRows(cloud, {
        ...(ref?.kind === 'host' ? { loginServers: ref.loginServers } : {}),
        ...(ref?.kind === 'name' ? { names: [ref.name] } : {}),
        ...(ip ? { ip } : {}),
      }),
    );
  }

  private async graphRows(cloud: Cloud, q: Parameters<typeof graphQuery>[2]): Promise<unknown[] | null> {
    const off = this.graphOffUntil.get(cacheKey(cloud));
    if (off !== undefined && off > this.o.clock.now().getTime()) return null;
    try {
      return await graphQuery(this.o.clients, cloud, q, this.o.azure.subscriptionIds);
    } catch (err) {
      if (!(err instanceof AzureError) || err.kind === 'throttled' || err.kind === 'unauthenticated') throw err;
      // Forbidden or not registered: stop asking for a while. Unavailable: fall back this time only.
      const backoff = err.kind === 'unavailable' ? 0 : this.o.ttl.graphBackoffMs;
      if (backoff > 0) this.graphOffUntil.set(cacheKey(cloud), this.o.clock.now().getTime() + backoff);
      this.o.log?.warn(
        { kind: err.kind, code: err.details.code, statusCode: err.details.statusCode },
        'Azure: Resource Graph unusable; listing registries per subscription instead',
      );
      return null;
    }
  }

  /** The configured subscriptions, else every one the identity sees (cached). */
  subscriptions(cloud: Cloud): Promise<string[]> {
    const configured = this.o.azure.subscriptionIds;
    if (configured) return Promise.resolve(configured);
    return this.subscriptionIds.get(cacheKey(cloud), this.o.ttl.resolutionMs, () =>
      listSubscriptionIds(this.o.clients, cloud),
    );
  }

  /** How many subscriptions a Resource Graph search covered, for "not found" answers (best effort). */
  async subscriptionCount(cloud: Cloud): Promise<number> {
    try {
      return (await this.subscriptions(cloud)).length;
    } catch (err) {
      this.o.log?.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'Azure: could not count subscriptions',
      );
      return 0;
    }
  }

  /** Every registry in the subscriptions searched, for when Resource Graph cannot be used (cached briefly). */
  listing(cloud: Cloud): Promise<RegistryListing> {
    return this.listings.get(cacheKey(cloud), this.o.ttl.directoryMs, async () => {
      const subs = await this.subscriptions(cloud);
      const listing = await listRegistries(this.o.clients, cloud, subs);
      if (subs.length > 0 && listing.forbidden.length === subs.length) {
        throw new AzureError(
          'forbidden',
          `The bot's identity may not list registries in any of the ${subs.length} subscription(s) it can see.`,
          { statusCode: 403 },
        );
      }
      return listing;
    });
  }
}
