/**
 * The registry as the core sees it: the network-relevant subset of an ARM `Microsoft.ContainerRegistry/registries`
 * resource (api-version 2025-11-01), flattened. The Azure adapter maps the SDK model onto this; nothing here knows ARM.
 */
export type SkuName = 'Basic' | 'Standard' | 'Premium' | 'Classic';

export interface PrivateEndpointSummary {
  name: string;
  /** Approved | Pending | Rejected | Disconnected */
  status: string;
  privateEndpointId: string | null;
}

export interface RegistrySnapshot {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  loginServer: string;
  sku: SkuName | string;
  provisioningState: string;
  /** `Enabled` unless ARM says `Disabled`; Disabled overrides every IP rule. */
  publicNetworkAccess: 'Enabled' | 'Disabled';
  /** `Allow` when ARM omits the rule set (its documented default). */
  defaultAction: 'Allow' | 'Deny';
  /** IP rule values exactly as ARM returns them (`1.2.3.4` or `1.2.3.0/24`); action is always Allow. */
  ipRules: string[];
  /** networkRuleBypassOptions === 'AzureServices' ("allow trusted Microsoft services"). */
  trustedServicesBypass: boolean;
  /** networkRuleBypassAllowedForTasks (ACR Tasks with a system-assigned identity). */
  tasksBypass: boolean;
  dataEndpointEnabled: boolean;
  dataEndpointHostNames: string[];
  privateEndpoints: PrivateEndpointSummary[];
  /** `IPv4AndIPv6` when the public endpoints are dual stack (preview); absent or `IPv4` otherwise. */
  endpointProtocol?: 'IPv4' | 'IPv4AndIPv6';
}

/** ACR's documented maximum number of IP rules per registry; it cannot be raised by support. */
export const MAX_IP_RULES = 200;
