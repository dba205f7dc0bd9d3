/**
 * Which registry a reference names, and that registry as it is: a host or name resolves to an id (kept for minutes;
 * "not found" and "ambiguous" only briefly, so a registry created a minute ago is found), and a snapshot is kept a
 * few seconds for concurrent and back-to-back inspections, single-flight. A fresh read always goes to ARM.
 * The searching itself is the directory's; this module only reads its rows.
 */
import type { Logger } from 'pino';
import { AzureError } from '../../app/azure-error.js';
import { Pacer } from '../../app/pace.js';
import type { Clock, RegistryLookup } from '../../app/ports.js';
import type { RegistrySnapshot } from '../../core/registry.js';
import { parseRegistryId, type RegistryId, type RegistryRef } from '../../core/registry-ref.js';
import { TtlCache } from './cache.js';
import type { AzureClients } from './clients.js';
import type { Cloud } from './cloud.js';
import { cacheKey, type AzureDirectory, type SearchableRef } from './directory.js';
import { RegistryReader } from './read.js';
import { matchRegistries, registriesFromRows } from './resolve.js';
import type { CacheTtls } from './ttls.js';

type Resolution =
  | { status: 'found'; id: string }
  | { status: 'not_found'; searchedSubscriptions: number }
  | { status: 'ambiguous'; candidates: Array<{ id: string; loginServer: string }> };

export interface ResolverOptions {
  clients: AzureClients;
  clock: Clock;
  ttl: CacheTtls;
  log: Logger | null;
}

const snapshotKey = (id: string): string => cacheKey(null, { kind: 'id', id });

export class RegistryResolver {
  private readonly resolutions: TtlCache<string, Resolution>;
  private readonly snapshots: TtlCache<string, RegistrySnapshot>;
  /** Fresh reads on their way that a reader who only shows the result may join (nothing is kept after). */
  private readonly shownReads: TtlCache<string, RegistrySnapshot>;
  /** Sharers of one read resume one per loop turn. */
  private readonly sharers = new Pacer();
  private readonly reader: RegistryReader;

  constructor(
    private readonly directory: AzureDirectory,
    private readonly o: ResolverOptions,
  ) {
    this.resolutions = new TtlCache(o.clock);
    this.snapshots = new TtlCache(o.clock);
    this.shownReads = new TtlCache(o.clock);
    this.reader = new RegistryReader(o.clients);
  }

  /** Does this reference need a search (a host or name with no fresh resolution)? */
  needsSearch(cloud: Cloud, ref: RegistryRef): ref is SearchableRef {
    return ref.kind !== 'id' && this.resolutions.peek(cacheKey(cloud, ref)) === undefined;
  }

  /**
   * Read one search's rows for `ref` (null rows: Resource Graph could not be used, so every registry is listed) and
   * keep the answer. A registry found in the rows is cached as a snapshot too: the rows carry full `properties`.
   */
  async absorb(
    cloud: Cloud,
    ref: SearchableRef,
    rows: unknown[] | null,
  ): Promise<{ resolution: Resolution; registry: RegistrySnapshot | null }> {
    const key = cacheKey(cloud, ref);
    const listing = rows === null ? await this.directory.listing(cloud) : null;
    const matches = matchRegistries(listing?.registries ?? registriesFromRows(rows ?? []), ref);
    if (matches.length === 0) {
      const searched = listing?.searchedSubscriptions ?? (await this.directory.subscriptionCount(cloud));
      const resolution: Resolution = { status: 'not_found', searchedSubscriptions: searched };
      this.resolutions.set(key, resolution, this.o.ttl.notFoundMs);
      return { resolution, registry: null };
    }
    if (matches.length > 1 && ref.kind === 'name') {
      // A bare name several registries share (other subscriptions, DNL `name-<hash>` hosts): never guess.
      const candidates = matches.map((m) => ({ id: m.id, loginServer: m.loginServer }));
      const resolution: Resolution = { status: 'ambiguous', candidates };
      this.resolutions.set(key, resolution, this.o.ttl.notFoundMs);
      return { resolution, registry: null };
    }
    if (matches.length > 1) {
      // Login servers are globally unique; two rows for one host mean a stale copy. Take the first, say so.
      this.o.log?.warn(
        { ref: cacheKey(cloud, ref), ids: matches.map((m) => m.id) },
        'Azure: several registries match one login server; using the first',
      );
    }
    const hit = matches[0]!;
    const resolution: Resolution = { status: 'found', id: hit.id };
    this.resolutions.set(key, resolution, this.o.ttl.resolutionMs);
    this.snapshots.set(snapshotKey(hit.id), hit, this.o.ttl.snapshotMs);
    this.directory.placeRegistry(hit.id, cloud);
    return { resolution, registry: hit };
  }

  /** The registry a reference names, from the caches when fresh. Throws AzureError for Azure failures. */
  async lookup(cloud: Cloud, ref: RegistryRef): Promise<RegistryLookup> {
    let id: string;
    if (ref.kind === 'id') id = ref.id;
    else {
      const res = await this.resolve(cloud, ref);
      if (res.status !== 'found') return res;
      id = res.id;
    }
    try {
      return { status: 'found', registry: await this.snapshot(cloud, id) };
    } catch (err) {
      if (!(err instanceof AzureError)) throw err;
      if (err.kind === 'forbidden') return { status: 'no_access', registryId: id, message: err.message };
      if (err.kind !== 'not_found') throw err;
      if (ref.kind === 'id') return { status: 'not_found', searchedSubscriptions: 1 };
      // Deleted (or recreated elsewhere) since we resolved it: resolve once more.
      this.resolutions.delete(cacheKey(cloud, ref));
      const again = await this.resolve(cloud, ref);
      if (again.status !== 'found') return again;
      return { status: 'found', registry: await this.snapshot(cloud, again.id) };
    }
  }

  /** A fresh GET, bypassing the snapshot cache (and refilling it). */
  async read(id: RegistryId): Promise<RegistrySnapshot> {
    const snap = await this.reader.get(this.directory.cloudOfRegistry(id.id), id);
    this.snapshots.set(snapshotKey(id.id), snap, this.o.ttl.snapshotMs);
    return snap;
  }

  /**
   * A fresh GET, or the one already on its way for this registry (for reads only shown, never written back). Its
   * sharers resume one per event-loop turn (app/pace.ts), so a slow read that returns to hundreds of waiting clicks
   * does not hold the loop while each builds and sends its answer.
   */
  async readShared(id: RegistryId): Promise<RegistrySnapshot> {
    try {
      return await this.shownReads.singleFlight(snapshotKey(id.id), () => this.read(id));
    } finally {
      await this.sharers.turn();
    }
  }

  /** The registry is about to change (or just did): drop its cached snapshot. */
  forget(id: string): void {
    this.snapshots.delete(snapshotKey(id));
  }

  private async resolve(cloud: Cloud, ref: SearchableRef): Promise<Resolution> {
    const hit = this.resolutions.peek(cacheKey(cloud, ref));
    if (hit) return hit;
    return (await this.absorb(cloud, ref, await this.directory.search(cloud, ref, null))).resolution;
  }

  private snapshot(cloud: Cloud, id: string): Promise<RegistrySnapshot> {
    const parsed = parseRegistryId(id);
    if (!parsed)
      return Promise.reject(new AzureError('bad_request', `"${id}" is not a container registry resource id.`));
    return this.snapshots.get(snapshotKey(id), this.o.ttl.snapshotMs, () => this.reader.get(cloud, parsed));
  }
}
