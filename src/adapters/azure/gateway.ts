/**
 * RegistryGateway over ARM + Resource Graph: a thin facade over the registry resolver and the IP-owner lookup,
 * which share the directory (directory.ts) and never import each other. Call budget (the port's promise):
 * - cold `inspect`: one Resource Graph query that finds the registry AND the address's owner; the rows carry full
 *   `properties`, so the snapshot comes from it with no GET;
 * - warm `inspect`: the registry id and the owner are cached, so at most one GET of the registry, shared by
 *   concurrent identical inspections (single-flight) and reused for a few seconds (snapshot TTL);
 * - `readRegistry`: always a fresh GET; `submitNetworkRules` / `waitForUpdate`: the LRO (lro.ts); `registryWrites`:
 *   the Activity Log (activity-log.ts).
 * Resource Graph forbidden or unavailable → resolution falls back to listing registries per subscription.
 */
import type { Logger } from 'pino';
import { AzureError } from '../../app/azure-error.js';
import {
  systemClock,
  type Clock,
  type Inspection,
  type InspectTarget,
  type ReadOptions,
  type RegistryGateway,
  type RegistryLookup,
  type RegistryWrite,
  type SubmittedUpdate,
} from '../../app/ports.js';
import type { IpOwner } from '../../core/diagnosis.js';
import { classifyIp, parseIp } from '../../core/ip.js';
import type { RegistrySnapshot } from '../../core/registry.js';
import { parseRegistryId, parseRegistryRef, type RegistryId, type RegistryRef } from '../../core/registry-ref.js';
import type { AzureConfig } from '../../config.js';
import { readRegistryWrites } from './activity-log.js';
import { AzureClients, DEFAULT_CLIENT_SETTINGS } from './clients.js';
import { AzureDirectory } from './directory.js';
import { IpOwnerLookup } from './ip-owner-lookup.js';
import { parseOperationState, submitPatch, waitForOperation, type NetworkRuleChange } from './lro.js';
import { RegistryResolver } from './registry-resolver.js';
import { DEFAULT_RETRY, type RetrySettings } from './retry.js';
import { DEFAULT_TTLS, type CacheTtls } from './ttls.js';
import type { Telemetry } from '../../app/telemetry/port.js';

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
  /** Counts and traces every ARM request. */
  telemetry?: Telemetry;
}

/** Only a public IPv4 can be a tenant's public IP or sit in a service tag (core's classification decides). */
function publicIpv4(ip: string | null): string | null {
  return ip !== null && classifyIp(ip) === 'public' ? (parseIp(ip)?.text ?? null) : null;
}

function registryId(text: string): RegistryId {
  const id = parseRegistryId(text);
  if (!id) throw new AzureError('bad_request', `"${text}" is not a container registry resource id.`);
  return id;
}

export class AzureGateway implements RegistryGateway {
  private readonly clients: AzureClients;
  private readonly log: Logger | null;
  private readonly pollIntervalMs: number;
  private readonly updateTimeoutMs: number;
  private readonly directory: AzureDirectory;
  private readonly registries: RegistryResolver;
  private readonly owners: IpOwnerLookup;

  constructor(options: AzureGatewayOptions) {
    const clock = options.clock ?? systemClock;
    this.clients = new AzureClients(
      options.azure,
      {
        requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_CLIENT_SETTINGS.requestTimeoutMs,
        retry: { ...DEFAULT_RETRY, ...options.retry },
      },
      options.telemetry ?? null,
    );
    this.log = options.logger?.child({ component: 'azure' }) ?? null;
    this.pollIntervalMs = options.pollIntervalMs ?? 2_000;
    this.updateTimeoutMs = options.updateTimeoutMs ?? 5 * 60_000;
    const shared = { clients: this.clients, clock, ttl: { ...DEFAULT_TTLS, ...options.ttl }, log: this.log };
    this.directory = new AzureDirectory({ ...shared, azure: options.azure });
    this.registries = new RegistryResolver(this.directory, shared);
    this.owners = new IpOwnerLookup(this.directory, shared);
    if (options.azure.emulatorCaPath)
      this.log?.info(
        { endpoint: options.azure.resourceManagerEndpoint },
        'Azure: using the ARM emulator (static token, emulator certificate trusted)',
      );
  }

  async inspect(target: InspectTarget): Promise<Inspection> {
    const ref =
      (target.loginServer ? parseRegistryRef(target.loginServer) : null) ??
      (target.registryName ? parseRegistryRef(target.registryName) : null);
    const named = target.loginServer !== null || target.registryName !== null;
    const ip = publicIpv4(target.ip);
    const cloud = this.directory.cloudFor(ref);

    // Whatever is not cached yet is asked in one search: the registry, the owner, or both.
    const searchRef = ref !== null && this.registries.needsSearch(cloud, ref) ? ref : null;
    const searchIp = ip !== null && this.owners.needsSearch(cloud, ip) ? ip : null;
    let owner: IpOwner | null | undefined;
    if (searchRef !== null || searchIp !== null) {
      const rows = await this.directory.search(cloud, searchRef, searchIp);
      const found = searchRef ? await this.registries.absorb(cloud, searchRef, rows) : null;
      if (searchIp !== null && rows !== null)
        owner = await this.owners.absorb(cloud, searchIp, rows, found?.registry ?? null);
    }

    const registry: RegistryLookup | null = ref
      ? await this.registries.lookup(cloud, ref)
      : named
        ? { status: 'not_found', searchedSubscriptions: 0 }
        : null;
    const ipOwner = ip === null ? null : owner !== undefined ? owner : this.owners.cached(cloud, ip);
    return { registry, ipOwner };
  }

  findRegistry(ref: RegistryRef): Promise<RegistryLookup> {
    return this.registries.lookup(this.directory.cloudFor(ref), ref);
  }

  async readRegistry(id: string, options: ReadOptions = {}): Promise<RegistrySnapshot> {
    return options.shareInFlight ? this.registries.readShared(registryId(id)) : this.registries.read(registryId(id));
  }

  async submitNetworkRules(id: string, change: NetworkRuleChange): Promise<SubmittedUpdate> {
    const parsed = registryId(id);
    if (change.defaultAction !== 'Allow' && change.defaultAction !== 'Deny')
      throw new AzureError('bad_request', `defaultAction must be Allow or Deny.`);
    if (!Array.isArray(change.ipRules) || change.ipRules.some((r) => typeof r !== 'string'))
      throw new AzureError('bad_request', 'ipRules must be a list of strings.');
    // The cached snapshot is about to be wrong.
    this.registries.forget(id);
    const submitted = await submitPatch(
      this.clients,
      this.directory.cloudOfRegistry(id),
      id,
      parsed,
      { ipRules: [...change.ipRules], defaultAction: change.defaultAction },
      this.pollIntervalMs,
    );
    this.log?.info(
      {
        registryId: id,
        rules: change.ipRules.length,
        defaultAction: change.defaultAction,
        correlationId: submitted.correlationId,
      },
      'Azure: firewall change submitted',
    );
    return submitted;
  }

  registryWrites(registryId: string, window: { from: Date; to: Date }): Promise<RegistryWrite[]> {
    return readRegistryWrites(this.clients, this.directory.cloudOfRegistry(registryId), registryId, window);
  }

  async waitForUpdate(update: SubmittedUpdate): Promise<RegistrySnapshot> {
    const id = registryId(update.registryId);
    const url = parseOperationState(update.operationState)?.config?.operationLocation;
    const cloud = url ? this.directory.cloudOfUrl(url) : this.directory.cloudOfRegistry(update.registryId);
    const done = await waitForOperation(
      this.clients,
      cloud,
      id,
      update.operationState,
      this.pollIntervalMs,
      this.updateTimeoutMs,
    );
    const snap = done ?? (await this.readRegistry(update.registryId));
    this.registries.forget(update.registryId);
    return snap;
  }
}
