/**
 * Maps a registry onto the core's RegistrySnapshot, from either form we receive: the SDK's flattened model
 * (`Registry`, GET/list/LRO result, rule value in `iPAddressOrRange`) or ARM's wire JSON (Resource Graph rows,
 * `properties.networkRuleSet.ipRules[].value`). Defaults are ARM's documented ones (docs/azure.md, "The registry's
 * network settings").
 */
import type { PrivateEndpointConnection, Registry } from '@azure/arm-containerregistry';
import type { PrivateEndpointSummary, RegistrySnapshot } from '../../core/registry.js';
import { parseRegistryId } from '../../core/registry-ref.js';

interface Facts {
  id: string;
  name: string;
  location?: string | undefined;
  sku?: string | undefined;
  loginServer?: string | undefined;
  provisioningState?: string | undefined;
  publicNetworkAccess?: string | undefined;
  defaultAction?: string | undefined;
  ipRules: string[];
  bypass?: string | undefined;
  tasksBypass?: boolean | undefined;
  dataEndpointEnabled?: boolean | undefined;
  dataEndpointHostNames?: string[] | undefined;
  privateEndpoints: PrivateEndpointSummary[];
  endpointProtocol?: string | undefined;
}

function same(a: string | undefined, b: string): boolean {
  return a?.toLowerCase() === b.toLowerCase();
}

function fromFacts(f: Facts): RegistrySnapshot {
  const id = parseRegistryId(f.id);
  return {
    id: f.id,
    name: f.name,
    subscriptionId: id?.subscriptionId ?? '',
    resourceGroup: id?.resourceGroup ?? '',
    location: f.location ?? '',
    loginServer: (f.loginServer ?? '').toLowerCase(),
    sku: f.sku ?? 'Unknown',
    provisioningState: f.provisioningState ?? 'Unknown',
    publicNetworkAccess: same(f.publicNetworkAccess, 'Disabled') ? 'Disabled' : 'Enabled',
    defaultAction: same(f.defaultAction, 'Deny') ? 'Deny' : 'Allow',
    ipRules: f.ipRules,
    // ARM's default for networkRuleBypassOptions is AzureServices.
    trustedServicesBypass: f.bypass === undefined || same(f.bypass, 'AzureServices'),
    tasksBypass: f.tasksBypass === true,
    dataEndpointEnabled: f.dataEndpointEnabled === true,
    dataEndpointHostNames: f.dataEndpointHostNames ?? [],
    privateEndpoints: f.privateEndpoints,
    // Only a dual-stack registry carries it: an IPv4 registry's snapshot is unchanged.
    ...(same(f.endpointProtocol, 'IPv4AndIPv6') ? { endpointProtocol: 'IPv4AndIPv6' as const } : {}),
  };
}

export function privateEndpointFromModel(p: PrivateEndpointConnection): PrivateEndpointSummary {
  return {
    name: p.name ?? '',
    status: p.privateLinkServiceConnectionState?.status ?? 'Unknown',
    privateEndpointId: p.privateEndpoint?.id ?? null,
  };
}

export function snapshotFromModel(r: Registry): RegistrySnapshot {
  return fromFacts({
    id: r.id ?? '',
    name: r.name ?? '',
    location: r.location,
    sku: r.sku?.name,
    loginServer: r.loginServer,
    provisioningState: r.provisioningState,
    publicNetworkAccess: r.publicNetworkAccess,
    defaultAction: r.networkRuleSet?.defaultAction,
    ipRules: (r.networkRuleSet?.ipRules ?? [])
      .map((x) => x.iPAddressOrRange)
      .filter((v): v is string => typeof v === 'string'),
    bypass: r.networkRuleBypassOptions,
    tasksBypass: r.networkRuleBypassAllowedForTasks,
    dataEndpointEnabled: r.dataEndpointEnabled,
    dataEndpointHostNames: r.dataEndpointHostNames,
    privateEndpoints: (r.privateEndpointConnections ?? []).map(privateEndpointFromModel),
  });
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A registry in ARM's wire shape (as Resource Graph and the REST API return it). */
export function snapshotFromArm(resource: unknown): RegistrySnapshot {
  const r = obj(resource);
  const p = obj(r.properties);
  const set = obj(p.networkRuleSet);
  const rules = Array.isArray(set.ipRules) ? set.ipRules : [];
  const pecs = Array.isArray(p.privateEndpointConnections) ? p.privateEndpointConnections : [];
  return fromFacts({
    id: str(r.id) ?? '',
    name: str(r.name) ?? '',
    location: str(r.location),
    sku: str(obj(r.sku).name),
    loginServer: str(p.loginServer),
    provisioningState: str(p.provisioningState),
    publicNetworkAccess: str(p.publicNetworkAccess),
    defaultAction: str(set.defaultAction),
    ipRules: rules.map((x) => str(obj(x).value)).filter((v): v is string => v !== undefined),
    bypass: str(p.networkRuleBypassOptions),
    tasksBypass: p.networkRuleBypassAllowedForTasks === true,
    endpointProtocol: str(p.endpointProtocol),
    dataEndpointEnabled: p.dataEndpointEnabled === true,
    dataEndpointHostNames: Array.isArray(p.dataEndpointHostNames)
      ? p.dataEndpointHostNames.filter((h): h is string => typeof h === 'string')
      : [],
    privateEndpoints: pecs.map((x) => {
      const pe = obj(x);
      const props = obj(pe.properties);
      return {
        name: str(pe.name) ?? '',
        status: str(obj(props.privateLinkServiceConnectionState).status) ?? 'Unknown',
        privateEndpointId: str(obj(props.privateEndpoint).id) ?? null,
      };
    }),
  });
}
