/**
 * The answers where an IP rule is the question: an address the registry's rules do not cover (worded for the client
 * class: a resource of the tenant, an Azure address outside what the bot can read, a hosted CI runner, an unknown
 * public address), and an IPv6 client (IPv4-only rules, and the dual-stack case). Whether a rule can be requested is
 * core/approvals/registry-fit's decision, the one the request endpoint makes too.
 */
import { addressRefusal, registryRefusal } from '../approvals/registry-fit.js';
import type { Fix } from '../diagnosis.js';
import { type Explanation, type Found, dnsDetail, ruleFor, target } from './explain-common.js';
import * as fx from './fixes.js';
import * as more from './fixes-more.js';
import { isKubernetesClient } from './services.js';
import { clientPhrase } from './wording.js';

const RUNNER: Record<'github-actions' | 'azure-pipelines', string> = {
  'github-actions': 'a GitHub Actions hosted runner',
  'azure-pipelines': 'an Azure Pipelines Microsoft-hosted agent',
};

/** Why the address is not covered, in the words of its client class. */
function whoPhrase(f: Found): string {
  const ci = f.finding.ci ?? null;
  if (f.clientClass === 'hosted_ci' && ci !== null)
    return ` The paste is a ${ci === 'github-actions' ? 'GitHub Actions' : 'Azure Pipelines'} log: ${RUNNER[ci]} leaves by a different address on every run, so a rule for this one helps this run only.`;
  if (f.clientClass === 'azure_hosted')
    return " It is an Azure address in a subscription or tenant the bot cannot see: another team's VM, AKS cluster or NAT gateway, or a hosted CI runner.";
  return '';
}

export function ipNotAllowed(f: Found, rules: string, notes: string[]): Explanation {
  const r = f.registry;
  const t = target(f);
  const fixes: Fix[] = [];
  const k8s = isKubernetesClient(f.finding, f.owner);
  if (f.ip === null) {
    const forbidden = f.finding.kind === 'registry_forbidden';
    fixes.push(fx.checkEgressIp('The error does not show the client address, so the rule to add is not known yet.'));
    if (f.finding.ci) fixes.push(more.useStaticEgress(f.finding.ci));
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
  const requestable = addressRefusal(f.ip.address, f.owner) === null && registryRefusal(r, rule) === null;
  let note: string | undefined;
  if (f.ip.ipClass === 'documentation') {
    note = 'This is a documentation-range address (a placeholder in docs and demos), not a real client.';
    notes.push(note);
  }
  if (f.owner?.kind === 'public_ip_prefix')
    notes.push(
      `The address is part of the public IP prefix ${f.owner.name}; request the whole prefix only if every address in it needs access.`,
    );
  const ci = f.clientClass === 'hosted_ci' ? (f.finding.ci ?? null) : null;
  if (ci !== null) {
    fixes.push(more.useStaticEgress(ci), more.buildWithTasks(t));
    fixes.push(
      fx.usePrivateEndpoint(
        t,
        'A runner inside an Azure virtual network (self-hosted, or hosted with private networking) can reach the registry through a private endpoint.',
      ),
    );
    fixes.push(
      fx.addIpRule(t, rule, {
        requestable,
        note: `A short rule is enough: the next run leaves by another address.${note ? ` ${note}` : ''}`,
      }),
    );
  } else {
    fixes.push(fx.addIpRule(t, rule, { requestable, note }));
    if (k8s || f.clientClass === 'azure_hosted')
      fixes.push(
        fx.useNatGateway(
          "Nodes and VMs leave by their network's outbound address; with a NAT gateway or a static outbound IP that address stays the same, so one rule keeps working.",
        ),
      );
    fixes.push(
      fx.usePrivateEndpoint(
        t,
        'Clients in Azure virtual networks can reach the registry through a private endpoint instead of an IP rule.',
      ),
    );
  }
  const near =
    f.ip.nearRules.length > 0
      ? `; the nearby rule${f.ip.nearRules.length === 1 ? '' : 's'} ${f.ip.nearRules.slice(0, 3).join(', ')} do${f.ip.nearRules.length === 1 ? 'es' : ''} not match`
      : '';
  const listed =
    r.ipRules.length === 0
      ? `${r.name} has no IP rules and its default action is Deny, so it refuses ${clientPhrase(f.ip, f.owner)}`
      : `${clientPhrase(f.ip, f.owner)} is not covered by the ${rules} of ${r.name}, whose default action is Deny${near}`;
  return { summary: `${listed}.${whoPhrase(f)}`, fixes, notes };
}

/** An IPv6 client: IP rules are IPv4 only, and on a dual-stack registry IPv6 clients arrive over IPv6. */
export function ipv6Explanation(f: Found, notes: string[]): Explanation {
  const r = f.registry;
  const t = target(f);
  const address = f.ip?.address ?? 'unknown';
  if (r.endpointProtocol === 'IPv4AndIPv6') {
    notes.push('The registry has IPv6 dual-stack endpoints (endpointProtocol IPv4AndIPv6, a preview feature).');
    return {
      summary: `${r.name} answers on IPv6 as well as IPv4 (dual stack), so this client reached it over IPv6 from ${address}; its IP rules are IPv4 only and its default action is Deny, so no rule can admit an IPv6 client.`,
      fixes: [
        fx.clientSideNetwork(
          t,
          'Make the client prefer IPv4 for the registry host (the registry still answers on IPv4), then allow its IPv4 egress address.',
        ),
        {
          ...fx.clientSideNetwork(t, ''),
          title: 'Or turn dual stack off on the registry',
          detail:
            'With endpointProtocol back to IPv4, the registry answers on IPv4 only, so clients connect over IPv4 and the IPv4 rules apply again. The registry owner decides.',
          docsUrl: fx.DOCS_IPV6,
          command: `az acr update --name ${t.name ?? '<registry>'} --endpoint-protocol IPv4`,
        },
        fx.usePrivateEndpoint(
          t,
          'Or reach the registry through a private endpoint, which is IPv4 and where IP rules do not apply.',
        ),
      ],
      notes,
    };
  }
  return {
    summary: `${r.name} has IPv4-only IP rules and the client connects over IPv6 (${address}), so no rule can admit it.`,
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
}
