/**
 * For the decided cause: the one-sentence summary and the fixes, smallest safe change first. The only requestable
 * fix is one IP rule, and only when core/approvals/registry-fit says a rule for this address can be requested
 * (the same decision the request endpoint makes); everything else is advice with its documented page.
 * Azure services are explained in explain-services.ts, the address-rule answers in explain-ip.ts and the
 * non-firewall kinds in explain-kinds.ts.
 */
import type { Cause, Fix } from '../diagnosis.js';
import type { DecisionFacts } from './decide.js';
import { isPremium } from './decide.js';
import { approvedEndpoints, dnsDetail, type Explanation, type Found, target } from './explain-common.js';
import { ipNotAllowed, ipv6Explanation } from './explain-ip.js';
import { KIND_SUMMARY, kindFixes } from './explain-kinds.js';
import { notFound } from './explain-lookup.js';
import { addressOnly, azureServiceExplanation, serviceFixes } from './explain-services.js';
import * as fx from './fixes.js';
import { isKubernetesClient } from './services.js';
import { CLASS_WORDS, clientPhrase, plural } from './wording.js';

export type { Explanation } from './explain-common.js';

export function explain(cause: Cause, f: DecisionFacts): Explanation {
  const notes: string[] = [];
  const t = target(f);
  const client = clientPhrase(f.ip, f.owner);

  if (cause === 'not_a_firewall_error') {
    return { summary: KIND_SUMMARY[f.finding.kind], fixes: kindFixes(f), notes };
  }

  if (cause === 'registry_not_found' || cause === 'no_access_to_registry') return notFound(cause, f, notes);

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
      return ipv6Explanation(found, notes);
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
    case 'azure_service_ip':
      return azureServiceExplanation(found, notes);
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
