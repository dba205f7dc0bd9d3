/**
 * Azure service-tag ranges (ARM `GET /subscriptions/{sub}/providers/Microsoft.Network/locations/{location}/serviceTags`,
 * ServiceTagsListResult), so an IP of an Azure service — ACR Tasks agents, App Service, the platform at large —
 * is named as such: a documented fix beats an IP rule for those. The list is the same for every location and
 * changes weekly at most; the gateway caches it for 24 h and asks only when no tenant resource owns the IP.
 */
import { createRestError } from '@azure-rest/core-client';
import type { IpOwner } from '../../core/diagnosis.js';
import { ipv4Range, ipv4Value, rangeIncludes, type Ipv4Range } from '../../core/ip.js';
import type { AzureClients } from './clients.js';
import type { Cloud } from './cloud.js';
import { toAzureError } from './errors.js';

export const SERVICE_TAGS_API_VERSION = '2024-05-01';
/** Bound on nextLink pages (the public list is one page today). */
const MAX_PAGES = 20;

interface TagRange {
  tag: string;
  service: string;
  systemService: string;
  region: string;
  /** As listed: `20.61.0.0/16`. */
  prefix: string;
  range: Ipv4Range;
}

export interface ServiceTagIndex {
  ranges: TagRange[];
  changeNumber: string | null;
}

interface TagValue {
  name?: string;
  properties?: { systemService?: string; region?: string; addressPrefixes?: string[] };
}

export function indexServiceTags(values: TagValue[], changeNumber: string | null = null): ServiceTagIndex {
  const ranges: TagRange[] = [];
  for (const v of values) {
    const tag = v.name ?? '';
    for (const prefix of v.properties?.addressPrefixes ?? []) {
      // IPv6 ranges are listed too; registry IP rules and this lookup are IPv4 only.
      const range = prefix.includes('/') ? ipv4Range(prefix) : null;
      if (range === null) continue;
      ranges.push({
        tag,
        service: tag.split('.')[0] ?? tag,
        systemService: v.properties?.systemService ?? '',
        region: v.properties?.region ?? '',
        prefix,
        range,
      });
    }
  }
  return { ranges, changeNumber };
}

/**
 * The most telling tag for an IP: a named service beats the catch-all AzureCloud, then the narrowest range, then a
 * regional tag over a global one. Values have the Service Tag Discovery API's shape (docs/azure.md, "Service tags"):
 * `{name: "AzureCloud.westeurope", properties: {systemService: "", region, addressPrefixes: […]}}`, where a named
 * service carries its `systemService` (AzureContainerRegistry, AzureAppService, …).
 */
export function ownerFromServiceTags(index: ServiceTagIndex, ip: string): IpOwner | null {
  const n = ipv4Value(ip);
  if (n === null) return null;
  const hits = index.ranges.filter((r) => rangeIncludes(r.range, n));
  if (hits.length === 0) return null;
  const rank = (r: TagRange): [number, number, number] => [
    r.service === 'AzureCloud' ? 1 : 0,
    -r.range.prefixLength,
    r.region ? 0 : 1,
  ];
  hits.sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || a.tag.localeCompare(b.tag);
  });
  const best = hits[0]!;
  // AzureCloud is the catch-all: every customer's VMs, AKS egress, NAT gateways and hosted runners are in it, so it
  // says "an Azure address the bot cannot see", not "an Azure service".
  const catchAll = best.service === 'AzureCloud' && best.systemService === '';
  return {
    kind: catchAll ? 'azure_cloud' : 'azure_service',
    name: best.tag,
    resourceId: null,
    detail: catchAll
      ? `Azure address (${best.prefix}, service tag ${best.tag}) outside the subscriptions the bot can read`
      : `Azure service tag ${best.tag} (${best.prefix})`,
    service: best.systemService || best.service,
  };
}

/** Fetches and indexes the service-tag list. Throws AzureError. */
export async function fetchServiceTags(
  clients: AzureClients,
  cloud: Cloud,
  subscriptionId: string,
  location: string,
): Promise<ServiceTagIndex> {
  const client = clients.rest(cloud);
  const values: TagValue[] = [];
  let changeNumber: string | null = null;
  try {
    let res = await client
      .path(
        '/subscriptions/{subscriptionId}/providers/Microsoft.Network/locations/{location}/serviceTags',
        subscriptionId,
        location,
      )
      .get({ queryParameters: { 'api-version': SERVICE_TAGS_API_VERSION } });
    for (let page = 0; page < MAX_PAGES; page++) {
      // The same RestError the generated SDK operations throw for a non-2xx answer.
      if (!/^2\d\d$/.test(res.status)) throw createRestError(res);
      const body = res.body as { values?: TagValue[]; changeNumber?: string; nextLink?: string };
      values.push(...(body.values ?? []));
      changeNumber ??= body.changeNumber ?? null;
      if (!body.nextLink) break;
      res = await client.pathUnchecked(body.nextLink).get();
    }
  } catch (err) {
    throw toAzureError(err, 'reading Azure service tags');
  }
  return indexServiceTags(values, changeNumber);
}
