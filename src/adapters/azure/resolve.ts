/**
 * Finding registries and IP owners across the subscriptions the identity can read: one Resource Graph query
 * (rows carry full `properties`), or — when Resource Graph is forbidden or unavailable — listing registries per
 * subscription (configured ids, else every subscription the identity sees). No caching here: directory.ts and the resolver cache.
 */
import type { RegistrySnapshot } from '../../core/registry.js';
import { AzureError } from '../../app/azure-error.js';
import type { AzureClients } from './clients.js';
import type { Cloud } from './cloud.js';
import { toAzureError } from './errors.js';
import { registryServesHost, type RegistryRef } from '../../core/registry-ref.js';
import { lookupQuery, REGISTRY_TYPE, type LookupQuery } from './kql.js';
import { withRetry } from './retry.js';
import { snapshotFromArm, snapshotFromModel } from './snapshot.js';

/** Rows of one Resource Graph query. Throws AzureError. */
export async function graphQuery(
  clients: AzureClients,
  cloud: Cloud,
  q: LookupQuery,
  subscriptionIds: string[] | null,
): Promise<unknown[]> {
  const query = lookupQuery(q);
  if (query === null) return [];
  const client = clients.graph(cloud);
  try {
    const res = await withRetry(
      () =>
        client.resources(
          {
            query,
            ...(subscriptionIds ? { subscriptions: subscriptionIds } : {}),
            options: { resultFormat: 'objectArray' },
          },
          { timeout: clients.settings.requestTimeoutMs },
        ),
      (err) => {
        const e = err as {
          statusCode?: number;
          code?: string;
          response?: { headers?: { get(n: string): string | undefined } };
        };
        const ra = e.response?.headers?.get('retry-after');
        return {
          status: e.statusCode,
          errorCode: e.code,
          retryAfterMs: ra && /^\d+$/.test(ra) ? Number(ra) * 1000 : null,
        };
      },
      clients.settings.retry,
    );
    return Array.isArray(res.data) ? (res.data as unknown[]) : [];
  } catch (err) {
    throw toAzureError(err, 'querying Azure Resource Graph');
  }
}

export function isRegistryRow(row: unknown): boolean {
  return String((row as { type?: unknown }).type ?? '').toLowerCase() === REGISTRY_TYPE;
}

/** The registries among `candidates` the reference names, best match first (stable by id). */
export function matchRegistries(candidates: RegistrySnapshot[], ref: RegistryRef): RegistrySnapshot[] {
  const hits = candidates.filter((r) => {
    if (ref.kind === 'host') return registryServesHost(r, ref);
    if (ref.kind === 'name') return r.name.toLowerCase() === ref.name.toLowerCase();
    return r.id.toLowerCase() === ref.id.toLowerCase();
  });
  return hits.sort((a, b) => a.id.localeCompare(b.id));
}

export function registriesFromRows(rows: unknown[]): RegistrySnapshot[] {
  return rows.filter(isRegistryRow).map(snapshotFromArm);
}

/** Subscription ids the identity can see (enabled or warned; not disabled or deleted). */
export async function listSubscriptionIds(clients: AzureClients, cloud: Cloud): Promise<string[]> {
  try {
    const ids: string[] = [];
    for await (const s of clients.subscriptions(cloud).subscriptions.list()) {
      const state = (s.state ?? 'Enabled').toLowerCase();
      if (s.subscriptionId && state !== 'disabled' && state !== 'deleted') ids.push(s.subscriptionId);
    }
    return ids;
  } catch (err) {
    throw toAzureError(err, 'listing subscriptions');
  }
}

export interface RegistryListing {
  registries: RegistrySnapshot[];
  searchedSubscriptions: number;
  /** Subscriptions whose registries the identity may not list. */
  forbidden: string[];
}

/** Every registry in the given subscriptions (registries.list() per subscription, nextLink paging by the SDK). */
export async function listRegistries(
  clients: AzureClients,
  cloud: Cloud,
  subscriptionIds: string[],
  concurrency = 4,
): Promise<RegistryListing> {
  const registries: RegistrySnapshot[] = [];
  const forbidden: string[] = [];
  const queue = [...subscriptionIds];
  const worker = async (): Promise<void> => {
    for (let sub = queue.shift(); sub !== undefined; sub = queue.shift()) {
      try {
        for await (const r of clients.registries(cloud, sub).registries.list()) registries.push(snapshotFromModel(r));
      } catch (err) {
        const e = toAzureError(err, `listing registries in subscription ${sub}`);
        // One subscription we may not read does not hide the others.
        if (e instanceof AzureError && (e.kind === 'forbidden' || e.kind === 'not_found')) forbidden.push(sub);
        else throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(1, subscriptionIds.length)) }, worker));
  return { registries, searchedSubscriptions: subscriptionIds.length - forbidden.length, forbidden };
}
