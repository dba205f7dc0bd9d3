/**
 * RegistryGateway over ARM + Resource Graph. Call budget (the port's promise):
 * - cold `inspect`: one Resource Graph query that finds the registry AND the IP's owner; the rows carry full
 *   `properties`, so the snapshot comes from it with no GET;
 * - warm `inspect`: the registry id and the owner are cached, so at most one GET of the registry, shared by
 *   concurrent identical inspections (single-flight) and reused for a few seconds (snapshot TTL);
 * - `readRegistry`: always a fresh GET; `submitNetworkRules` / `waitForUpdate`: the LRO (lro.ts).
 * Resource Graph forbidden or unavailable → resolution falls back to listing registries per subscription.
 */
import ipaddr from 'ipaddr.js';
import type { Logger } from 'pino';
import { AzureError } from '../../app/azure-error.js';
import {
  systemClock,
  type Clock,
  type Inspection,
  type InspectTarget,
  type RegistryGateway,
  type RegistryLookup,
  type RegistryWrite,
  type SubmittedUpdate,
} from '../../app/ports.js';
import type { IpOwner } from '../../core/diagnosis.js';
import type { RegistrySnapshot } from '../../core/registry.js';
import { idKey, parseRegistryId, parseRegistryRef, refKey, type RegistryRef } from '../../core/registry-ref.js';
import type { AzureConfig } from '../../config.js';
import { readRegistryWrites } from './activity-log.js';
import { TtlCache } from './cache.js';
import { AzureClients, DEFAULT_CLIENT_SETTINGS } from './clients.js';
import { cloudForHost, cloudForUrl, defaultCloud, type Cloud } from './cloud.js';
import { ownerFromRows } from './ip-owner.js';
import { parseOperationState, submitPatch, waitForOperation, type NetworkRuleChange } from './lro.js';
import { fetchServiceTags, ownerFromServiceTags, type ServiceTagIndex } from './service-tags.js';
import { getRegistry } from './read.js';
import {
  graphQuery,
  listRegistries,
  listSubscriptionIds,
  matchRegistries,
  registriesFromRows,
  type Directory,
} from './resolve.js';
import { DEFAULT_RETRY, type RetrySettings } from './retry.js';

export interface CacheTtls {
  /** Login server / name → registry id. */
  resolutionMs: number;
  /** A "not found" answer, kept short so a registry created a minute ago is found. */
  notFoundMs: number;
  /** Registry snapshot reused by concurrent and back-to-back inspections (never by readRegistry). */
  snapshotMs: number;
  /** IP → owner in the tenant (or "none"). */
  ipOwnerMs: number;
  /** The full registry list of the listing fallback. */
  directoryMs: number;
  /** How long to skip Resource Graph after it refused (403) or was missing (404). */
  graphBackoffMs: number;
  /** Azure service-tag ranges (they change weekly at most). */
  serviceTagsMs: number;
}

export const DEFAULT_TTLS: CacheTtls = {
  resolutionMs: 10 * 60_000,
  notFoundMs: 30_000,
  snapshotMs: 5_000,
  ipOwnerMs: 10 * 60_000,
  directoryMs: 60_000,
  graphBackoffMs: 10 * 60_000,
  serviceTagsMs: 24 * 3600_000,
};

export interface AzureGatewayOptions {
  azure: AzureConfig;
  logger?: Logger;
  clock?: Clock;
  ttl?: Partial<CacheTtls>;
  /** Per HTTP request (default 30 s). */
  requestTimeoutMs?: number;
  retry?: Partial<RetrySettings>;
  /** LRO poll interval when ARM sends no Retry-After (default 2 s, the SDK's). */
  pollIntervalMs?: number;
  /** Upper bound on one waitForUpdate (default 5 min). */
  updateTimeoutMs?: number;
}

type Resolution =
  | { status: 'found'; id: string }
  | { status: 'not_found'; searchedSubscriptions: number }
  | { status: 'ambiguous'; candidates: Array<{ id: string; loginServer: string }> };

/** A public IPv4 worth looking up; private, CGNAT, reserved and IPv6 addresses are never a tenant's public IP. */
function publicIpv4(ip: string | null): string | null {
  if (!ip || !ipaddr.IPv4.isValidFourPartDecimal(ip.trim())) return null;
  const addr = ipaddr.IPv4.parse(ip.trim());
  return addr.range() === 'unicast' ? addr.toString() : null;
}

export class AzureGateway implements RegistryGateway {
  private readonly clients: AzureClients;
  private readonly log: Logger | null;
  private readonly ttl: CacheTtls;
  private readonly pollIntervalMs: number;
  private readonly updateTimeoutMs: number;
  private readonly resolutions: TtlCache<string, Resolution>;
  private readonly snapshots: TtlCache<string, RegistrySnapshot>;
  private readonly owners: TtlCache<string, IpOwner | null>;
  private readonly directories: TtlCache<string, Directory>;
  private readonly subscriptionIds: TtlCache<string, string[]>;
  private readonly lookups: TtlCache<string, LookupOutcome>;
  private readonly serviceTags: TtlCache<string, { index: ServiceTagIndex | null; ttlMs: number }>;
  private readonly cloudOf = new Map<string, Cloud>();
  private readonly graphOffUntil = new Map<string, number>();
  private readonly clock: Clock;

  constructor(private readonly options: AzureGatewayOptions) {
    const clock = options.clock ?? systemClock;
    this.clock = clock;
    this.clients = new AzureClients(options.azure, {
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_CLIENT_SETTINGS.requestTimeoutMs,
      retry: { ...DEFAULT_RETRY, ...options.retry },
    });
    this.log = options.logger?.child({ component: 'azure' }) ?? null;
    this.ttl = { ...DEFAULT_TTLS, ...options.ttl };
    this.pollIntervalMs = options.pollIntervalMs ?? 2_000;
    this.updateTimeoutMs = options.updateTimeoutMs ?? 5 * 60_000;
    this.resolutions = new TtlCache(clock);
    this.snapshots = new TtlCache(clock);
    this.owners = new TtlCache(clock);
    this.directories = new TtlCache(clock);
    this.subscriptionIds = new TtlCache(clock);
    this.lookups = new TtlCache(clock);
    this.serviceTags = new TtlCache(clock);
    if (options.azure.emulatorCaPath)
      this.log?.info(
        { endpoint: options.azure.resourceManagerEndpoint },
        'Azure: using the ARM emulator (static token, emulator certificate trusted)',
      );
  }

  private get override(): string | null {
    return this.options.azure.resourceManagerEndpoint;
  }

  // ---- inspect / findRegistry -------------------------------------------------------------------------------

  async inspect(target: InspectTarget): Promise<Inspection> {
    const ref =
      (target.loginServer ? parseRegistryRef(target.loginServer) : null) ??
      (target.registryName ? parseRegistryRef(target.registryName) : null);
    const named = target.loginServer !== null || target.registryName !== null;
    const ip = publicIpv4(target.ip);
    const cloud = this.cloudFor(ref);

    const needRegistry =
      ref !== null && ref.kind !== 'id' && this.resolutions.peek(`${cloud.armEndpoint}|${refKey(ref)}`) === undefined;
    const needOwner = ip !== null && this.owners.peek(`${cloud.armEndpoint}|${ip}`) === undefined;
    const looked =
      needRegistry || needOwner ? await this.lookup(cloud, needRegistry ? ref : null, needOwner ? ip : null) : null;

    const registry: RegistryLookup | null = ref
      ? await this.registryLookup(cloud, ref)
      : named
        ? { status: 'not_found', searchedSubscriptions: 0 }
        : null;
    const ipOwner =
      ip === null
        ? null
        : looked?.owner !== undefined
          ? looked.owner
          : (this.owners.peek(`${cloud.armEndpoint}|${ip}`) ?? null);
    return { registry, ipOwner };
  }

  async findRegistry(ref: RegistryRef): Promise<RegistryLookup> {
    const cloud = this.cloudFor(ref);
    return this.registryLookup(cloud, ref);
  }

  private cloudFor(ref: RegistryRef | null): Cloud {
    if (ref?.kind === 'host') {
      const choice = cloudForHost(ref.host, this.override);
      if (!choice.knownSuffix) {
        this.log?.info(
          { host: ref.host, cloud: choice.cloud.name },
          'Azure: login server has no known ACR suffix (custom domain?); searching the default cloud only',
        );
      }
      return choice.cloud;
    }
    if (ref?.kind === 'id') return this.cloudOf.get(idKey(ref.id)) ?? defaultCloud(this.override);
    return defaultCloud(this.override);
  }

  /** Registry by reference, from the caches when fresh; resolution and snapshot each single-flight. */
  private async registryLookup(cloud: Cloud, ref: RegistryRef): Promise<RegistryLookup> {
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
      this.resolutions.delete(`${cloud.armEndpoint}|${refKey(ref)}`);
      const again = await this.resolve(cloud, ref);
      if (again.status !== 'found') return again;
      return { status: 'found', registry: await this.snapshot(cloud, again.id) };
    }
  }

  private snapshot(cloud: Cloud, id: string): Promise<RegistrySnapshot> {
    const parsed = parseRegistryId(id);
    if (!parsed)
      return Promise.reject(new AzureError('bad_request', `"${id}" is not a container registry resource id.`));
    return this.snapshots.get(idKey(id), this.ttl.snapshotMs, () => getRegistry(this.clients, cloud, parsed));
  }

  private async resolve(cloud: Cloud, ref: Exclude<RegistryRef, { kind: 'id' }>): Promise<Resolution> {
    const key = `${cloud.armEndpoint}|${refKey(ref)}`;
    const hit = this.resolutions.peek(key);
    if (hit) return hit;
    const out = await this.lookup(cloud, ref, null);
    return out.resolution ?? { status: 'not_found', searchedSubscriptions: 0 };
  }

  /**
   * One round trip for whatever is missing: the registry behind `ref` and/or the owner of `ip`. Fills the caches
   * (resolution, snapshot from the row, owner). Identical concurrent lookups share one query.
   */
  private lookup(
    cloud: Cloud,
    ref: Exclude<RegistryRef, { kind: 'id' }> | null,
    ip: string | null,
  ): Promise<LookupOutcome> {
    const key = `${cloud.armEndpoint}|${ref ? refKey(ref) : '-'}|${ip ?? '-'}`;
    return this.lookups.singleFlight(key, () => this.runLookup(cloud, ref, ip));
  }

  private async runLookup(
    cloud: Cloud,
    ref: Exclude<RegistryRef, { kind: 'id' }> | null,
    ip: string | null,
  ): Promise<LookupOutcome> {
    const out: LookupOutcome = {};
    const rows = await this.graphRows(cloud, {
      ...(ref?.kind === 'host' ? { loginServers: ref.loginServers } : {}),
      ...(ref?.kind === 'name' ? { names: [ref.name] } : {}),
      ...(ip ? { ip } : {}),
    });
    const registryMatch = ref && rows !== null ? matchRegistries(registriesFromRows(rows), ref)[0] : undefined;
    if (ip && rows !== null) {
      out.owner = ownerFromRows(rows) ?? (await this.serviceTagOwner(cloud, ip, registryMatch));
      this.owners.set(
        `${cloud.armEndpoint}|${ip}`,
        out.owner,
        out.owner ? this.ttl.ipOwnerMs : Math.min(this.ttl.ipOwnerMs, 2 * 60_000),
      );
    }
    if (!ref) return out;
    let candidates: RegistrySnapshot[];
    let searched: () => Promise<number>;
    if (rows !== null) {
      candidates = registriesFromRows(rows);
      searched = () => this.subscriptionCount(cloud);
    } else {
      const dir = await this.directory(cloud);
      candidates = dir.registries;
      searched = () => Promise.resolve(dir.searchedSubscriptions);
    }
    const matches = matchRegistries(candidates, ref);
    const key = `${cloud.armEndpoint}|${refKey(ref)}`;
    if (matches.length === 0) {
      out.resolution = { status: 'not_found', searchedSubscriptions: await searched() };
      this.resolutions.set(key, out.resolution, this.ttl.notFoundMs);
      return out;
    }
    if (matches.length > 1 && ref.kind === 'name') {
      // A bare name several registries share (other subscriptions, DNL `name-<hash>` hosts): never guess.
      out.resolution = {
        status: 'ambiguous',
        candidates: matches.map((m) => ({ id: m.id, loginServer: m.loginServer })),
      };
      this.resolutions.set(key, out.resolution, this.ttl.notFoundMs);
      return out;
    }
    if (matches.length > 1) {
      // Login servers are globally unique; two rows for one host mean a stale copy. Take the first, say so.
      this.log?.warn(
        { ref: refKey(ref), ids: matches.map((m) => m.id) },
        'Azure: several registries match one login server; using the first',
      );
    }
    const hit = matches[0]!;
    out.resolution = { status: 'found', id: hit.id };
    this.resolutions.set(key, out.resolution, this.ttl.resolutionMs);
    this.snapshots.set(idKey(hit.id), hit, this.ttl.snapshotMs);
    this.cloudOf.set(idKey(hit.id), cloud);
    return out;
  }

  /**
   * An Azure service tag covering the IP, asked only when no public IP or prefix of the tenant has it. Never fails
   * the inspection: a refusal is remembered for an hour, a transient failure only skips this answer.
   */
  private async serviceTagOwner(cloud: Cloud, ip: string, near: RegistrySnapshot | undefined): Promise<IpOwner | null> {
    const entry = await this.serviceTags.get(
      cloud.armEndpoint,
      (v) => v.ttlMs,
      async () => {
        try {
          const sub = near?.subscriptionId || (await this.subscriptionsToSearch(cloud))[0];
          if (!sub) return { index: null, ttlMs: 0 };
          return {
            index: await fetchServiceTags(this.clients, cloud, sub, near?.location || 'westus'),
            ttlMs: this.ttl.serviceTagsMs,
          };
        } catch (err) {
          if (!(err instanceof AzureError)) throw err;
          this.log?.warn(
            { kind: err.kind, code: err.details.code },
            'Azure: service tags unavailable; IPs of Azure services will not be named',
          );
          return { index: null, ttlMs: err.retryable ? 0 : 3600_000 };
        }
      },
    );
    return entry.index ? ownerFromServiceTags(entry.index, ip) : null;
  }

  /** Rows from Resource Graph, or null when it cannot be used (then the caller lists registries instead). */
  private async graphRows(cloud: Cloud, q: Parameters<typeof graphQuery>[2]): Promise<unknown[] | null> {
    const off = this.graphOffUntil.get(cloud.armEndpoint);
    if (off !== undefined && off > this.clock.now().getTime()) return null;
    try {
      return await graphQuery(this.clients, cloud, q, this.options.azure.subscriptionIds);
    } catch (err) {
      if (!(err instanceof AzureError) || err.kind === 'throttled' || err.kind === 'unauthenticated') throw err;
      // Forbidden or not registered: stop asking for a while. Unavailable: fall back this time only.
      const backoff = err.kind === 'unavailable' ? 0 : this.ttl.graphBackoffMs;
      if (backoff > 0) this.graphOffUntil.set(cloud.armEndpoint, this.clock.now().getTime() + backoff);
      this.log?.warn(
        { kind: err.kind, code: err.details.code, statusCode: err.details.statusCode },
        'Azure: Resource Graph unusable; listing registries per subscription instead',
      );
      return null;
    }
  }

  private subscriptionsToSearch(cloud: Cloud): Promise<string[]> {
    const configured = this.options.azure.subscriptionIds;
    if (configured) return Promise.resolve(configured);
    return this.subscriptionIds.get(cloud.armEndpoint, this.ttl.resolutionMs, () =>
      listSubscriptionIds(this.clients, cloud),
    );
  }

  /** How many subscriptions a Resource Graph search covered, for "not found" answers (best effort). */
  private async subscriptionCount(cloud: Cloud): Promise<number> {
    try {
      return (await this.subscriptionsToSearch(cloud)).length;
    } catch (err) {
      this.log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'Azure: could not count subscriptions');
      return 0;
    }
  }

  private directory(cloud: Cloud): Promise<Directory> {
    return this.directories.get(cloud.armEndpoint, this.ttl.directoryMs, async () => {
      const subs = await this.subscriptionsToSearch(cloud);
      const dir = await listRegistries(this.clients, cloud, subs);
      if (subs.length > 0 && dir.forbidden.length === subs.length) {
        throw new AzureError(
          'forbidden',
          `The bot's identity may not list registries in any of the ${subs.length} subscription(s) it can see.`,
          { statusCode: 403 },
        );
      }
      return dir;
    });
  }

  // ---- reads and writes ------------------------------------------------------------------------------------

  async readRegistry(registryId: string): Promise<RegistrySnapshot> {
    const id = parseRegistryId(registryId);
    if (!id) throw new AzureError('bad_request', `"${registryId}" is not a container registry resource id.`);
    const snap = await getRegistry(
      this.clients,
      this.cloudOf.get(idKey(registryId)) ?? defaultCloud(this.override),
      id,
    );
    this.snapshots.set(idKey(registryId), snap, this.ttl.snapshotMs);
    return snap;
  }

  async submitNetworkRules(registryId: string, change: NetworkRuleChange): Promise<SubmittedUpdate> {
    const id = parseRegistryId(registryId);
    if (!id) throw new AzureError('bad_request', `"${registryId}" is not a container registry resource id.`);
    if (change.defaultAction !== 'Allow' && change.defaultAction !== 'Deny')
      throw new AzureError('bad_request', `defaultAction must be Allow or Deny.`);
    if (!Array.isArray(change.ipRules) || change.ipRules.some((r) => typeof r !== 'string'))
      throw new AzureError('bad_request', 'ipRules must be a list of strings.');
    const cloud = this.cloudOf.get(idKey(registryId)) ?? defaultCloud(this.override);
    // The cached snapshot is about to be wrong.
    this.snapshots.delete(idKey(registryId));
    const submitted = await submitPatch(
      this.clients,
      cloud,
      registryId,
      id,
      { ipRules: [...change.ipRules], defaultAction: change.defaultAction },
      this.pollIntervalMs,
    );
    this.log?.info(
      {
        registryId,
        rules: change.ipRules.length,
        defaultAction: change.defaultAction,
        correlationId: submitted.correlationId,
      },
      'Azure: firewall change submitted',
    );
    return submitted;
  }

  registryWrites(registryId: string, window: { from: Date; to: Date }): Promise<RegistryWrite[]> {
    return readRegistryWrites(
      this.clients,
      this.cloudOf.get(idKey(registryId)) ?? defaultCloud(this.override),
      registryId,
      window,
    );
  }

  async waitForUpdate(update: SubmittedUpdate): Promise<RegistrySnapshot> {
    const id = parseRegistryId(update.registryId);
    if (!id) throw new AzureError('bad_request', `"${update.registryId}" is not a container registry resource id.`);
    const url = parseOperationState(update.operationState)?.config?.operationLocation;
    const cloud = url
      ? cloudForUrl(url, this.override)
      : (this.cloudOf.get(idKey(update.registryId)) ?? defaultCloud(this.override));
    const done = await waitForOperation(
      this.clients,
      cloud,
      id,
      update.operationState,
      this.pollIntervalMs,
      this.updateTimeoutMs,
    );
    const snap = done ?? (await this.readRegistry(update.registryId));
    this.snapshots.delete(idKey(update.registryId));
    return snap;
  }
}

interface LookupOutcome {
  resolution?: Resolution;
  /** Present when the owner was looked up: null = no public IP or prefix of the tenant has it. */
  owner?: IpOwner | null;
}
