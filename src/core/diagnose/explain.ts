/**
 * For the decided cause: the one-sentence summary and the fixes, smallest safe change first. The only requestable
 * fix is one IP rule, and only when it would actually help (Premium, public access Enabled, default action Deny,
 * quota not full, a public IPv4 address not already covered); everything else is advice with its documented page.
 */
import type { Cause, Fix } from '../diagnosis.js';
import type { FindingKind } from '../finding.js';
import type { RegistrySnapshot } from '../registry.js';
import type { DecisionFacts } from './decide.js';
import { isPremium } from './decide.js';
import { DOCS } from './docs.js';
import * as fx from './fixes.js';
import { SERVICE_LABEL, isKubernetesClient, type AzureService } from './services.js';
import { CLASS_WORDS, clientPhrase, isAcrHost, nameFromId, pastedHost, plural } from './wording.js';

export interface Explanation {
  summary: string;
  fixes: Fix[];
  notes: string[];
}

type Found = DecisionFacts & { registry: RegistrySnapshot };

function approvedEndpoints(r: RegistrySnapshot): number {
  return r.privateEndpoints.filter((p) => p.status.toLowerCase() === 'approved').length;
}

/** The smallest rule for one address. Only ever called for a public (or documentation) IPv4 address. */
function ruleFor(address: string): string {
  return `${address}/32`;
}

function target(f: DecisionFacts) {
  const registry = f.lookup?.status === 'found' ? f.lookup.registry : null;
  return fx.targetOf(registry, { registryName: f.finding.registryName, loginServer: f.finding.loginServer });
}

function dnsDetail(r: RegistrySnapshot): string {
  const n = approvedEndpoints(r);
  return n > 0
    ? `The registry has ${plural(n, 'approved private endpoint')}. Inside a linked virtual network ${r.loginServer} resolves through ${r.name.toLowerCase()}.privatelink.azurecr.io to a private address; this client resolved the public address instead. Link the privatelink.azurecr.io zone to the client's virtual network (records for the registry and each <registry>.<region>.data endpoint), or forward custom DNS to 168.63.129.16.`
    : 'Check what the registry name resolves to from the client: inside a virtual network with a private endpoint it must resolve through privatelink.azurecr.io to a private address; custom DNS servers must forward to 168.63.129.16.';
}

// ---------------------------------------------------------------- Azure services

function serviceFixes(f: Found, service: AzureService): Fix[] {
  const t = target(f);
  const r = f.registry;
  switch (service) {
    case 'acr_tasks':
      return r.publicNetworkAccess === 'Disabled'
        ? [fx.useAgentPool(t)]
        : [fx.enableTasksBypass(t, r.tasksBypass), fx.useAgentPool(t)];
    case 'acr_import':
      return [
        fx.enableTrustedServices(
          t,
          r.trustedServicesBypass
            ? 'Trusted services are already allowed; import bypasses the network rules only when the target registry authenticates to the source with its managed identity.'
            : 'Importing between registries is a trusted-service operation: with "allow trusted Microsoft services" on, ACR import passes a network-restricted source registry.',
        ),
      ];
    case 'machine_learning':
      return [
        fx.enableTrustedServices(
          t,
          r.trustedServicesBypass
            ? 'Trusted services are already allowed, but Machine Learning is trusted only when the workspace reaches the registry with its managed identity; image builds that run on ACR Tasks also need networkRuleBypassAllowedForTasks or a compute cluster for builds.'
            : 'Azure Machine Learning using its workspace managed identity is a trusted service: allow trusted Microsoft services instead of its changing address.',
        ),
        fx.usePrivateEndpoint(
          t,
          'Or connect the workspace and the registry through private endpoints in one virtual network.',
        ),
      ];
    case 'container_instances':
      return [
        fx.enableTrustedServices(
          t,
          r.trustedServicesBypass
            ? 'Trusted services are already allowed, but Container Instances is trusted only when the container group pulls with a managed identity that has AcrPull on the registry; use one instead of a password.'
            : 'Azure Container Instances pulling with a managed identity (with AcrPull) is a trusted service: allow trusted Microsoft services instead of chasing its changing address.',
        ),
        fx.usePrivateEndpoint(
          t,
          'Or deploy the container group into a virtual network and reach the registry through a private endpoint.',
        ),
      ];
    case 'app_service':
      return [
        fx.usePrivateEndpoint(
          t,
          'App Service is not a trusted service for ACR. Integrate the app with a virtual network and pull through a private endpoint (with vnetImagePullEnabled), so the registry firewall never sees the shared outbound address.',
        ),
        {
          ...fx.addIpRule(t, '<each outbound address>', { requestable: false }),
          title: 'Or allow every possible outbound address of the app',
          detail:
            'The app can leave by any of its possible outbound addresses, which are shared with other apps in the same scale unit: allowing them admits those apps too.',
          command:
            'az webapp show --name <app> --resource-group <resource-group> --query possibleOutboundIpAddresses --output tsv',
          rule: undefined,
        },
      ];
    case 'container_apps':
      return [
        fx.usePrivateEndpoint(
          t,
          'Container Apps is not a trusted service for ACR. Run the environment in your own virtual network and pull through a private endpoint of the registry.',
        ),
        {
          ...fx.useNatGateway(
            'Or give a workload-profiles environment a NAT gateway, so its apps leave by one static address you can allow once.',
          ),
          title: 'Give the environment a fixed egress address',
          docsUrl: DOCS.containerAppsNetworking,
          command: undefined,
        },
      ];
    case 'other':
      return [
        fx.usePrivateEndpoint(
          t,
          'The address belongs to an Azure platform range shared by many customers; allowing it would admit all of them. Reach the registry privately instead.',
        ),
        ...(r.trustedServicesBypass
          ? []
          : [
              fx.enableTrustedServices(
                t,
                'If the client is a trusted service (Container Instances with a managed identity, Defender for Cloud, Machine Learning, ACR import), allow trusted Microsoft services.',
              ),
            ]),
      ];
  }
}

// ---------------------------------------------------------------- non-firewall kinds

const KIND_SUMMARY: Record<FindingKind, string> = {
  firewall_denied: 'The registry refused the client.',
  registry_forbidden: 'The registry refused the request with 403.',
  unauthorized: 'The registry asked for authentication (401): this is about credentials, not the firewall.',
  access_denied:
    'The identity was refused permission on the registry or repository: this is about roles, not the firewall.',
  dns_failure:
    'The client could not resolve or reach the registry host name, so the request never got as far as the registry firewall.',
  network_timeout:
    'The connection timed out before the registry answered; the registry firewall refuses with a 403 rather than dropping traffic, so something on the network path is blocking port 443.',
  data_endpoint_blocked:
    'The client could not download layers from the registry data endpoint or storage, which a client-side firewall or proxy blocks, not the registry firewall.',
  throttled: 'The registry throttled the client (429 Too Many Requests): this is about request rate, not the firewall.',
  manifest_unknown: 'The image or tag does not exist in the registry: this is not a network problem.',
  operation_disallowed:
    'The registry refused a write to a locked image or repository, or it is over its storage limit: this is not a network problem.',
};

function kindFixes(f: DecisionFacts): Fix[] {
  const t = target(f);
  const r = f.lookup?.status === 'found' ? f.lookup.registry : null;
  const { finding } = f;
  switch (finding.kind) {
    case 'unauthorized':
      return [
        fx.authenticate(t),
        fx.grantPullRole(
          t,
          'If login works but pulls still fail, the identity lacks a pull role: AcrPull (or Container Registry Repository Reader on registries with ABAC repository permissions).',
        ),
      ];
    case 'access_denied':
      return [
        fx.grantPullRole(
          t,
          'Give the identity the role the operation needs on the registry: AcrPull to pull, AcrPush to push (on ABAC registries, the Container Registry Repository roles).',
        ),
        fx.fixImageReference(t, finding.repository),
      ];
    case 'throttled':
      return [fx.backOff()];
    case 'manifest_unknown':
      return [fx.fixImageReference(t, finding.repository)];
    case 'operation_disallowed':
      return [fx.unlockImage(t, finding.repository, finding.reference)];
    case 'dns_failure':
      return [
        ...(r && r.privateEndpoints.length > 0 ? [fx.fixPrivateDns(t, dnsDetail(r))] : []),
        fx.checkRegistryName(
          t,
          'A host that does not resolve is often a typo, a deleted registry, or a login server of another cloud (.azurecr.io, .azurecr.cn, .azurecr.us).',
        ),
        ...(r && r.privateEndpoints.length > 0
          ? []
          : [
              fx.fixPrivateDns(
                t,
                'If the client is in a virtual network with custom DNS, make sure it forwards to 168.63.129.16 and that any privatelink.azurecr.io zone is linked to that network.',
              ),
            ]),
      ];
    case 'network_timeout':
      return [
        fx.clientSideNetwork(
          t,
          'Open outbound TCP 443 to the login server (and the data endpoints) in the client firewall, NSG, route table or proxy; the AzureContainerRegistry service tag covers the registry addresses.',
        ),
        ...(r && r.privateEndpoints.length > 0
          ? [
              fx.fixPrivateDns(
                t,
                `${dnsDetail(r)} A timeout to a private address means the private endpoint is not reachable from the client (peering, firewall, routes).`,
              ),
            ]
          : []),
      ];
    case 'data_endpoint_blocked':
      return [
        fx.allowDataEndpoint(t, r?.dataEndpointEnabled ? r.dataEndpointHostNames : []),
        fx.clientSideNetwork(
          t,
          'Layer downloads go to a different host than the login server, on port 443; allow that host in the client firewall or proxy.',
        ),
      ];
    case 'firewall_denied':
    case 'registry_forbidden':
      return [];
  }
}

// ---------------------------------------------------------------- the causes

export function explain(cause: Cause, f: DecisionFacts): Explanation {
  const notes: string[] = [];
  const t = target(f);
  const client = clientPhrase(f.ip, f.owner);

  if (cause === 'not_a_firewall_error') {
    return { summary: KIND_SUMMARY[f.finding.kind], fixes: kindFixes(f), notes };
  }

  if (cause === 'registry_not_found') {
    const host = pastedHost(f.finding);
    if (f.lookup?.status === 'not_found') {
      const n = f.lookup.searchedSubscriptions;
      const where = `in the ${plural(n, 'subscription')} the bot can read`;
      const custom = host?.includes('.') && !isAcrHost(host);
      const summary = custom
        ? `No registry with the login server ${host} is visible ${where}, and ${host} is not an Azure Container Registry host name, so it may be a custom domain in front of a registry.`
        : `No registry ${host ? `with the login server ${host} ` : ''}is visible ${where}.`;
      if (custom)
        notes.push(
          'Custom domains (for example an Application Gateway in front of the registry) hide the registry name: ask with the registry name or its *.azurecr.io login server.',
        );
      return {
        summary,
        fixes: [
          fx.checkRegistryName(
            t,
            custom
              ? 'Find the registry behind the custom domain and ask again with its name or *.azurecr.io login server.'
              : 'Check the spelling and the cloud suffix; the registry may also have been deleted or live in a subscription the bot cannot see.',
          ),
          fx.grantBotReader(null),
        ],
        notes,
      };
    }
    if (f.lookup?.status === 'ambiguous') {
      const servers = f.lookup.candidates.map((c) => c.loginServer);
      return {
        summary: `Several registries are named ${f.finding.registryName ?? 'like this'} (${servers.join(', ')}), so the bot does not guess which one refused the client.`,
        fixes: [
          fx.checkRegistryName(t, `Ask again with the login server of the registry you use: ${servers.join(' or ')}.`),
        ],
        notes,
      };
    }
    // The paste names no registry (redacted): nothing to read.
    notes.push('The registry name is missing or redacted in the paste.');
    return {
      summary: 'The error does not name the registry (it looks redacted), so the bot cannot read its firewall.',
      fixes: [
        fx.checkRegistryName(
          t,
          'Paste the error with the registry host name, or ask the bot directly with the registry name and the client address.',
        ),
      ],
      notes,
    };
  }

  if (cause === 'no_access_to_registry') {
    const id = f.lookup?.status === 'no_access' ? f.lookup.registryId : null;
    return {
      summary: `The bot's identity is not allowed to read ${id ? nameFromId(id) : 'the registry'}, so it cannot check the registry firewall.`,
      fixes: [fx.grantBotReader(id)],
      notes,
    };
  }

  // Causes decided from the address alone when the registry is unknown.
  if (f.lookup === null || f.lookup.status !== 'found') {
    notes.push('The registry name is missing or redacted in the paste, so its settings were not read.');
    return addressOnly(cause, f, notes);
  }

  const r = f.lookup.registry;
  const found: Found = { ...f, registry: r };
  const rules = plural(r.ipRules.length, 'IP rule');
  if (r.provisioningState && r.provisioningState !== 'Succeeded') {
    notes.push(`The registry is in provisioning state ${r.provisioningState}: a change may be in progress.`);
  }

  switch (cause) {
    case 'public_access_disabled': {
      const fixes: Fix[] = [];
      if (approvedEndpoints(r) > 0) fixes.push(fx.fixPrivateDns(t, dnsDetail(r)));
      fixes.push(
        fx.usePrivateEndpoint(
          t,
          approvedEndpoints(r) > 0
            ? "Or, from a network without one, add a private endpoint in the client's virtual network."
            : "Add a private endpoint in the client's virtual network (with the privatelink.azurecr.io DNS zone), so the client reaches the registry privately.",
        ),
      );
      if (
        f.service === 'container_instances' ||
        f.service === 'acr_import' ||
        f.service === 'acr_tasks' ||
        f.service === 'machine_learning'
      )
        fixes.push(...serviceFixes(found, f.service));
      if (!isPremium(r)) notes.push(`Private endpoints need the Premium SKU; this registry is ${r.sku}.`);
      fixes.push(fx.enablePublicAccess(t));
      return {
        summary: `${r.name} has public network access disabled, so it refuses every client on its public endpoint and no IP rule can help.`,
        fixes,
        notes,
      };
    }
    case 'sku_not_premium': {
      if (r.defaultAction === 'Deny') {
        return {
          summary: `${r.name} is on the ${r.sku} SKU, which has no IP rules, yet its network rule set denies by default, so no rule can be added for ${client}.`,
          fixes: [
            fx.upgradeToPremium(t),
            fx.usePrivateEndpoint(
              t,
              'With Premium, a private endpoint is the alternative to IP rules for clients in Azure virtual networks.',
            ),
          ],
          notes,
        };
      }
      // Basic and Standard have no IP firewall and accept every address: the refusal came from somewhere else.
      return {
        summary: `${r.name} is on the ${r.sku} SKU, which has no IP firewall and accepts every address, so its own firewall did not refuse ${client} and no IP rule can be added.`,
        fixes: [
          fx.checkRegistryName(
            t,
            'Make sure the host in the error is this registry (geo-replicas, custom domains and registries with similar names in other subscriptions are easy to mix up).',
          ),
          fx.clientSideNetwork(
            t,
            'Something between the client and the registry refused the request: an HTTPS proxy, a corporate firewall, or an Application Gateway or front door in front of a custom domain. Test the login server directly from the client.',
          ),
          fx.upgradeToPremium(t),
        ],
        notes,
      };
    }
    case 'firewall_allows_all': {
      const summary = `${r.name} accepts every address on its public endpoint (default action Allow), so its firewall did not refuse ${client}.`;
      const fixes: Fix[] = [
        fx.clientSideNetwork(
          t,
          'Something between the client and the registry refused the request: an HTTPS proxy, a corporate firewall, or an Application Gateway or front door in front of a custom domain. Test the login server directly from the client.',
        ),
        fx.fixPrivateDns(
          t,
          `The name may resolve to another registry's private endpoint or to an address of a different registry. ${dnsDetail(r)}`,
        ),
        fx.checkRegistryName(
          t,
          'Make sure the host in the error is this registry (geo-replicas, custom domains and registries with similar names in other subscriptions are easy to mix up).',
        ),
        fx.waitForPropagation(t),
      ];
      notes.push(
        'If the default action was changed to Allow in the last few minutes, the old rules may still be enforced.',
      );
      return { summary, fixes, notes };
    }
    case 'ipv6_client':
      return {
        summary: `${r.name} has IPv4-only IP rules and the client reached it over IPv6 (${f.ip?.address ?? 'unknown'}), so no rule can admit it.`,
        fixes: [
          fx.clientSideNetwork(
            t,
            'Make the client reach the registry over IPv4 (an IPv4-only route, proxy or NAT for the registry host); then allow its IPv4 egress address.',
          ),
          fx.checkEgressIp('Find the IPv4 address the client uses once IPv6 is out of the way.'),
          fx.usePrivateEndpoint(t, 'Or reach the registry through a private endpoint, where IP rules do not apply.'),
        ],
        notes,
      };
    case 'private_ip': {
      const cls = f.ip ? CLASS_WORDS[f.ip.ipClass] : 'private';
      const fixes: Fix[] = [];
      if (approvedEndpoints(r) > 0) fixes.push(fx.fixPrivateDns(t, dnsDetail(r)));
      else
        fixes.push(
          fx.usePrivateEndpoint(
            t,
            'The client is inside a private network: a private endpoint for the registry in that virtual network (with the privatelink.azurecr.io DNS zone) is the documented path; IP rules only ever match public addresses.',
          ),
        );
      if (approvedEndpoints(r) > 0)
        fixes.push(
          fx.usePrivateEndpoint(
            t,
            'If the client is in a virtual network without a private endpoint of this registry, add one there.',
          ),
        );
      fixes.push(
        fx.checkEgressIp(
          'A private address in the error means the registry saw the client on a private path (a service endpoint or a private link); if the client should leave through a public address, find it.',
        ),
      );
      return {
        summary: `${client} is a ${cls} address, so the request reached ${r.name} over a private network path where IP rules do not apply.`,
        fixes,
        notes,
      };
    }
    case 'ip_already_allowed': {
      const fixes: Fix[] = [
        fx.waitForPropagation(t),
        fx.checkEgressIp('The rule admits the address in the error, so the next attempt may leave by a different one.'),
      ];
      if (isKubernetesClient(f.finding, f.owner))
        fixes.push(
          fx.useNatGateway(
            'Nodes without a fixed egress can leave by different addresses; a NAT gateway or a static outbound IP gives the cluster one address to allow.',
          ),
        );
      return {
        summary: `${client} is already allowed by the rule ${f.ip?.matchingRule ?? ''} of ${r.name}, so either the rule was added in the last few minutes and is not enforced yet, or the client now leaves by another address.`,
        fixes,
        notes,
      };
    }
    case 'azure_service_ip': {
      const service = f.service ?? 'other';
      const what =
        service === 'acr_tasks'
          ? 'an ACR Tasks agent, whose address changes from run to run'
          : service === 'other'
            ? 'an Azure platform range shared by many customers'
            : `${SERVICE_LABEL[service]}, whose outbound address is shared and can change`;
      return {
        summary: `The request to ${r.name} came from ${what}, so an IP rule${f.ip ? ` for ${f.ip.address}` : ''} is the wrong fix: ${serviceRemedy(service, r)} instead.`,
        fixes: serviceFixes(found, service),
        notes,
      };
    }
    case 'rule_quota_full':
      return {
        summary: `${r.name} already holds ${r.ipRules.length} of ${f.ipRuleLimit} IP rules, the maximum, so no rule can be added for ${client} until others are merged or removed.`,
        fixes: [
          fx.consolidateRules(t, r.ipRules.length, f.ipRuleLimit),
          fx.usePrivateEndpoint(
            t,
            'Clients in Azure virtual networks can use a private endpoint instead of an IP rule each.',
          ),
        ],
        notes,
      };
    case 'ip_not_allowed':
      return ipNotAllowed(found, rules, notes);
    default:
      return addressOnly(cause, f, notes);
  }
}

/** The documented fix for a service, as a phrase for the summary (the first fix says it in full). */
function serviceRemedy(service: AzureService, r: RegistrySnapshot | null): string {
  switch (service) {
    case 'acr_tasks':
      return r?.tasksBypass
        ? 'run the task with its system-assigned identity or in a dedicated agent pool'
        : 'turn on networkRuleBypassAllowedForTasks or use a dedicated agent pool';
    case 'acr_import':
      return 'allow trusted Microsoft services';
    case 'container_instances':
      return 'pull with a managed identity and allow trusted Microsoft services';
    case 'machine_learning':
      return 'use the workspace managed identity and allow trusted Microsoft services';
    case 'app_service':
      return 'pull through a private endpoint from a virtual-network-integrated app';
    case 'container_apps':
      return 'pull through a private endpoint or from a fixed egress address';
    case 'other':
      return 'reach the registry through a private endpoint';
  }
}

function ipNotAllowed(f: Found, rules: string, notes: string[]): Explanation {
  const r = f.registry;
  const t = target(f);
  const fixes: Fix[] = [];
  const k8s = isKubernetesClient(f.finding, f.owner);
  if (f.ip === null) {
    const forbidden = f.finding.kind === 'registry_forbidden';
    fixes.push(fx.checkEgressIp('The error does not show the client address, so the rule to add is not known yet.'));
    if (forbidden && r.privateEndpoints.length > 0)
      fixes.push(
        fx.fixPrivateDns(
          t,
          `${dnsDetail(r)} A 403 without an address from a cluster is often this: the node resolved the public endpoint.`,
        ),
      );
    if (k8s)
      fixes.push(
        fx.useNatGateway(
          "Kubernetes nodes leave by the cluster's outbound address; a NAT gateway or static outbound IP gives one address to allow.",
        ),
      );
    fixes.push(
      fx.usePrivateEndpoint(
        t,
        'Clients in Azure virtual networks can reach the registry through a private endpoint instead of an IP rule.',
      ),
    );
    return {
      summary: forbidden
        ? `${r.name} denies every address outside its ${rules} (default action Deny), and the 403 in the error does not say which address was refused.`
        : `${r.name} denies every address outside its ${rules} (default action Deny), and the address it refused is missing from the paste.`,
      fixes,
      notes,
    };
  }
  const rule = ruleFor(f.ip.address);
  let note: string | undefined;
  if (f.ip.ipClass === 'documentation') {
    note = 'This is a documentation-range address (a placeholder in docs and demos), not a real client.';
    notes.push(note);
  }
  if (f.owner?.kind === 'public_ip_prefix')
    notes.push(
      `The address is part of the public IP prefix ${f.owner.name}; request the whole prefix only if every address in it needs access.`,
    );
  fixes.push(fx.addIpRule(t, rule, { requestable: true, note }));
  if (k8s)
    fixes.push(
      fx.useNatGateway(
        "Nodes leave by the cluster's outbound address; with a NAT gateway or a static outbound IP that address stays the same, so one rule keeps working.",
      ),
    );
  fixes.push(
    fx.usePrivateEndpoint(
      t,
      'Clients in Azure virtual networks can reach the registry through a private endpoint instead of an IP rule.',
    ),
  );
  const near =
    f.ip.nearRules.length > 0
      ? `; the nearby rule${f.ip.nearRules.length === 1 ? '' : 's'} ${f.ip.nearRules.slice(0, 3).join(', ')} do${f.ip.nearRules.length === 1 ? 'es' : ''} not match`
      : '';
  const listed =
    r.ipRules.length === 0
      ? `${r.name} has no IP rules and its default action is Deny, so it refuses ${clientPhrase(f.ip, f.owner)}`
      : `${clientPhrase(f.ip, f.owner)} is not covered by the ${rules} of ${r.name}, whose default action is Deny${near}`;
  return {
    summary: `${listed}.`,
    fixes,
    notes,
  };
}

/** The paste names no registry, but the address alone explains the denial. */
function addressOnly(cause: Cause, f: DecisionFacts, notes: string[]): Explanation {
  const t = target(f);
  const client = clientPhrase(f.ip, f.owner);
  switch (cause) {
    case 'ipv6_client':
      return {
        summary: `The client reached the registry over IPv6 (${f.ip?.address ?? 'unknown'}), and registry IP rules are IPv4 only, so no rule can admit it.`,
        fixes: [
          fx.clientSideNetwork(t, 'Make the client reach the registry over IPv4; then allow its IPv4 egress address.'),
          fx.checkEgressIp('Find the IPv4 address the client uses once IPv6 is out of the way.'),
        ],
        notes,
      };
    case 'private_ip':
      return {
        summary: `${client} is a ${f.ip ? CLASS_WORDS[f.ip.ipClass] : 'private'} address, so the request reached the registry over a private network path where IP rules do not apply.`,
        fixes: [
          fx.fixPrivateDns(
            t,
            'Check that the client resolves the registry to its private endpoint (privatelink.azurecr.io zone linked to the client network, custom DNS forwarding to 168.63.129.16).',
          ),
          fx.usePrivateEndpoint(t, 'If the client network has no private endpoint of the registry, add one there.'),
        ],
        notes,
      };
    case 'azure_service_ip': {
      const service = f.service ?? 'other';
      const fixes: Fix[] =
        service === 'acr_tasks'
          ? [fx.enableTasksBypass(t, false), fx.useAgentPool(t)]
          : service === 'container_instances' ||
              service === 'acr_import' ||
              service === 'machine_learning' ||
              service === 'other'
            ? [
                fx.enableTrustedServices(
                  t,
                  'Trusted services (Container Instances with a managed identity, ACR import, Defender for Cloud, Machine Learning) can pass the network rules when this is on.',
                ),
                fx.usePrivateEndpoint(t, 'Or reach the registry through a private endpoint.'),
              ]
            : [
                fx.usePrivateEndpoint(
                  t,
                  `${SERVICE_LABEL[service]} is not a trusted service for ACR: integrate it with a virtual network and pull through a private endpoint.`,
                ),
              ];
      return {
        summary: `The request came from ${SERVICE_LABEL[service]}, whose outbound address is shared or changing, so an IP rule is the wrong fix: ${serviceRemedy(service, null)} instead.`,
        fixes,
        notes,
      };
    }
    default:
      return {
        summary: 'The error does not name the registry (it looks redacted), so the bot cannot read its firewall.',
        fixes: [
          fx.checkRegistryName(
            t,
            'Paste the error with the registry host name, or ask the bot directly with the registry name and the client address.',
          ),
        ],
        notes,
      };
  }
}
