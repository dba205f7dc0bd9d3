/**
 * The registry's writes as the Azure Activity Log records them: `GET /subscriptions/{id}/providers/
 * Microsoft.Insights/eventtypes/management/values` (api-version 2015-04-01) with a `$filter` on eventTimestamp and
 * resourceUri, paged by nextLink (docs/azure.md, "The Activity Log"). Only the registry's own write events are kept;
 * every other event (reads are not logged; list-keys actions, role assignments) is dropped here.
 */
import { createRestError } from '@azure-rest/core-client';
import { AzureError } from '../../app/azure-error.js';
import type { RegistryWrite } from '../../app/ports.js';
import { idKey, parseRegistryId } from '../../core/registry-ref.js';
import type { AzureClients } from './clients.js';
import type { Cloud } from './cloud.js';
import { toAzureError } from './errors.js';

const API_VERSION = '2015-04-01';
const MAX_PAGES = 10;
const REGISTRY_WRITE = 'microsoft.containerregistry/registries/write';

/** The fields of an Activity Log event this adapter reads (the REST API's EventData, in part). */
interface EventData {
  caller?: string;
  correlationId?: string;
  eventTimestamp?: string;
  resourceId?: string;
  operationName?: { value?: string };
  status?: { value?: string };
}

export function toRegistryWrite(registryId: string, e: EventData): RegistryWrite | null {
  const operation = e.operationName?.value ?? '';
  if (operation.toLowerCase() !== REGISTRY_WRITE) return null;
  if (e.resourceId !== undefined && idKey(e.resourceId) !== idKey(registryId)) return null;
  if (typeof e.eventTimestamp !== 'string') return null;
  return {
    at: e.eventTimestamp,
    caller: e.caller?.trim() || null,
    operation,
    status: e.status?.value ?? 'Unknown',
    correlationId: e.correlationId ?? null,
  };
}

export async function readRegistryWrites(
  clients: AzureClients,
  cloud: Cloud,
  registryId: string,
  window: { from: Date; to: Date },
): Promise<RegistryWrite[]> {
  const id = parseRegistryId(registryId);
  if (!id) throw new AzureError('bad_request', `"${registryId}" is not a container registry resource id.`);
  const filter = `eventTimestamp ge '${window.from.toISOString()}' and eventTimestamp le '${window.to.toISOString()}' and resourceUri eq '${registryId}'`;
  const client = clients.rest(cloud);
  const writes: RegistryWrite[] = [];
  try {
    let res = await client
      .path(
        '/subscriptions/{subscriptionId}/providers/Microsoft.Insights/eventtypes/management/values',
        id.subscriptionId,
      )
      .get({
        queryParameters: {
          'api-version': API_VERSION,
          $filter: filter,
          $select: 'caller,correlationId,eventTimestamp,operationName,resourceId,status',
        },
      });
    for (let page = 0; page < MAX_PAGES; page++) {
      if (!/^2\d\d$/.test(res.status)) throw createRestError(res);
      const body = res.body as { value?: EventData[]; nextLink?: string };
      for (const e of body.value ?? []) {
        const w = toRegistryWrite(registryId, e);
        if (w) writes.push(w);
      }
      if (!body.nextLink) break;
      res = await client.pathUnchecked(body.nextLink).get();
    }
  } catch (err) {
    throw toAzureError(err, `reading the Activity Log of registry ${id.name}`);
  }
  return writes.sort((a, b) => a.at.localeCompare(b.at));
}
