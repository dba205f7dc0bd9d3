/**
 * Who in the tenant owns a public IP, in words, from Resource Graph rows of `Microsoft.Network/publicIPAddresses`
 * and `publicIPPrefixes` (full ARM `properties`). The attachment is read from the ids ARM puts on the resource:
 * `ipConfiguration.id` (a load balancer frontend, a NIC, a firewall, an application gateway…), `natGateway.id`,
 * and for AKS the `kubernetes` load balancer in the `MC_…` node resource group plus AKS's own tags.
 */
import type { IpOwner } from '../../core/diagnosis.js';
import { PUBLIC_IP_PREFIX_TYPE, PUBLIC_IP_TYPE } from './kql.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** `…/providers/Microsoft.Network/<type>/<name>/…` → { type, name } of the first resource after the provider. */
function resourceIn(id: string | undefined): { type: string; name: string; resourceGroup: string | null } | null {
  if (!id) return null;
  const m = /\/resourceGroups\/([^/]+)\/providers\/[^/]+\/([^/]+)\/([^/]+)/i.exec(id);
  return m ? { resourceGroup: m[1]!, type: m[2]!.toLowerCase(), name: m[3]! } : null;
}

function resourceGroupOf(id: string): string | null {
  return /\/resourceGroups\/([^/]+)/i.exec(id)?.[1] ?? null;
}

/**
 * The AKS cluster behind an `MC_<resource group>_<cluster>_<location>` node resource group. AKS tags its managed
 * outbound IPs with the cluster name; without the tag the name is read from the group name, which is only
 * unambiguous when the cluster name itself has no underscore.
 */
function aksCluster(row: Obj, resourceGroup: string | null): string | null {
  const tags = obj(row.tags);
  const tagged = str(tags['aks-managed-cluster-name']);
  if (tagged) return tagged;
  if (!resourceGroup || !/^MC_/i.test(resourceGroup)) return null;
  const location = str(row.location)?.toLowerCase();
  let rest = resourceGroup.slice(3);
  if (location && rest.toLowerCase().endsWith(`_${location}`)) rest = rest.slice(0, -(location.length + 1));
  const cut = rest.lastIndexOf('_');
  return cut > 0 ? rest.slice(cut + 1) : null;
}

/** The AKS cluster behind a load-balancer attachment, when the address is a cluster's outbound address. */
function clusterOf(row: Obj, attachedId: string | undefined): { aksCluster?: string } {
  const at = resourceIn(attachedId);
  if (at?.type !== 'loadbalancers') return {};
  const cluster = aksCluster(row, at.resourceGroup ?? resourceGroupOf(str(row.id) ?? ''));
  return cluster ? { aksCluster: cluster } : {};
}

function describeAttachment(row: Obj, attachedId: string | undefined, natGatewayId: string | undefined): string | null {
  const id = str(row.id) ?? '';
  const rg = resourceGroupOf(id);
  const nat = resourceIn(natGatewayId);
  if (nat) return `NAT gateway ${nat.name} (resource group ${nat.resourceGroup})`;
  const at = resourceIn(attachedId);
  if (!at) return null;
  switch (at.type) {
    case 'loadbalancers': {
      const cluster = aksCluster(row, at.resourceGroup ?? rg);
      if (cluster || /^kubernetes(-internal)?$/i.test(at.name)) {
        const where = at.resourceGroup ? ` in ${at.resourceGroup}` : '';
        return `outbound IP of AKS cluster ${cluster ?? '(name unknown)'} (load balancer ${at.name}${where})`;
      }
      return `load balancer ${at.name} (resource group ${at.resourceGroup})`;
    }
    case 'networkinterfaces':
      return `network interface ${at.name} (a VM or VM scale set, resource group ${at.resourceGroup})`;
    case 'virtualmachinescalesets':
      return `VM scale set ${at.name} (resource group ${at.resourceGroup})`;
    case 'azurefirewalls':
      return `Azure Firewall ${at.name} (resource group ${at.resourceGroup})`;
    case 'applicationgateways':
      return `application gateway ${at.name} (resource group ${at.resourceGroup})`;
    case 'virtualnetworkgateways':
      return `VPN/ExpressRoute gateway ${at.name} (resource group ${at.resourceGroup})`;
    case 'bastionhosts':
      return `Azure Bastion ${at.name} (resource group ${at.resourceGroup})`;
    default:
      return `${at.type} ${at.name} (resource group ${at.resourceGroup})`;
  }
}

function ownerFromPublicIp(row: Obj): IpOwner {
  const p = obj(row.properties);
  const id = str(row.id) ?? null;
  const name = str(row.name) ?? '';
  const used = describeAttachment(row, str(obj(p.ipConfiguration).id), str(obj(p.natGateway).id));
  const prefix = resourceIn(str(obj(p.publicIPPrefix).id));
  const parts = [used ?? `public IP ${name}, not attached to anything`];
  if (prefix) parts.push(`from prefix ${prefix.name}`);
  return {
    kind: 'public_ip',
    name,
    resourceId: id,
    detail: parts.join(', '),
    ...clusterOf(row, str(obj(p.ipConfiguration).id)),
  };
}

function ownerFromPrefix(row: Obj): IpOwner {
  const p = obj(row.properties);
  const name = str(row.name) ?? '';
  const range = str(p.ipPrefix);
  const used = describeAttachment(row, str(obj(p.loadBalancerFrontendIpConfiguration).id), str(obj(p.natGateway).id));
  const head = `public IP prefix ${name}${range ? ` (${range})` : ''}`;
  return {
    kind: 'public_ip_prefix',
    name,
    resourceId: str(row.id) ?? null,
    detail: used ? `${head}, used by ${used}` : head,
    ...clusterOf(row, str(obj(p.loadBalancerFrontendIpConfiguration).id)),
  };
}

/** The most specific owner among the rows: a public IP beats the prefix it was allocated from. */
export function ownerFromRows(rows: readonly unknown[]): IpOwner | null {
  const list = rows.map(obj);
  const ip = list.find((r) => str(r.type)?.toLowerCase() === PUBLIC_IP_TYPE);
  if (ip) return ownerFromPublicIp(ip);
  const prefixes = list.filter((r) => str(r.type)?.toLowerCase() === PUBLIC_IP_PREFIX_TYPE);
  // Narrowest prefix first.
  prefixes.sort((a, b) => Number(obj(b.properties).prefixLength ?? 0) - Number(obj(a.properties).prefixLength ?? 0));
  return prefixes[0] ? ownerFromPrefix(prefixes[0]) : null;
}
