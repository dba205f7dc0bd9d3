/**
 * The fix catalogue: every Fix the diagnosis can offer, each with its documented page and, where one exists, the
 * `az` command a human could run instead of the bot. Builders take the registry as far as it is known; commands
 * fall back to `<placeholders>` rather than guessing a name.
 */
import type { Fix } from '../diagnosis.js';
import { DOCS } from './docs.js';
import { type FixTarget, host, nameArgs, registryArgs, scope, sh } from './fix-target.js';

export type { FixTarget } from './fix-target.js';
export { targetOf } from './fix-target.js';

// ---------------------------------------------------------------- firewall fixes

/** The requestable one: a single rule, /32 by default (the smallest safe change). */
export function addIpRule(t: FixTarget, rule: string, opts: { requestable: boolean; note?: string | undefined }): Fix {
  return {
    kind: 'add_ip_rule',
    title: `Allow ${rule} in the registry firewall`,
    detail: `Adds one IP rule for exactly this address; the other rules stay as they are. Rules take a few minutes to apply after the change.${opts.note ? ` ${opts.note}` : ''}`,
    docsUrl: DOCS.ipRules,
    rule,
    command: `az acr network-rule add ${nameArgs(t)} --ip-address ${sh(rule)}`,
    requestable: opts.requestable,
  };
}

export function waitForPropagation(t: FixTarget): Fix {
  return {
    kind: 'wait_for_propagation',
    title: 'Wait a few minutes and try again',
    detail:
      'Firewall changes take a few minutes to reach every registry endpoint; a rule added just now may not be enforced yet.',
    docsUrl: DOCS.ipRules,
    command: `az acr network-rule list ${nameArgs(t)}`,
    requestable: false,
  };
}

export function checkEgressIp(why: string): Fix {
  return {
    kind: 'check_egress_ip',
    title: 'Check the address the client really leaves by',
    detail: `${why} Run the command on the failing machine (or in the pod or pipeline) and compare it with the address in the error; a proxy, VPN, NAT or a second network interface changes it.`,
    docsUrl: DOCS.clientIpNotAllowed,
    command: 'curl -4 -s https://ifconfig.me',
    requestable: false,
  };
}

export function usePrivateEndpoint(t: FixTarget, detail: string): Fix {
  return {
    kind: 'use_private_endpoint',
    title: 'Reach the registry through a private endpoint',
    detail,
    docsUrl: DOCS.privateLink,
    command:
      `az network private-endpoint create --name ${sh(`${t.name ?? '<registry>'}-pe`)} --resource-group <vnet-resource-group> ` +
      `--vnet-name <vnet> --subnet <subnet> --private-connection-resource-id ${scope(t)} --group-ids registry --connection-name ${sh(`${t.name ?? '<registry>'}-connection`)}`,
    requestable: false,
  };
}

export function fixPrivateDns(t: FixTarget, detail: string): Fix {
  return {
    kind: 'fix_private_dns',
    title: 'Make the client resolve the registry to its private endpoint',
    detail,
    docsUrl: DOCS.privateDns,
    command: `nslookup ${host(t)}`,
    requestable: false,
  };
}

export function upgradeToPremium(t: FixTarget): Fix {
  return {
    kind: 'upgrade_to_premium',
    title: 'Move the registry to the Premium SKU',
    detail:
      'IP rules, selected-network access and private endpoints are Premium features; Basic and Standard registries accept every address on their public endpoint. Premium costs more: the registry owner decides.',
    docsUrl: DOCS.skus,
    command: `az acr update ${nameArgs(t)} --sku Premium`,
    requestable: false,
  };
}

export function consolidateRules(t: FixTarget, count: number, limit: number): Fix {
  return {
    kind: 'consolidate_rules',
    title: 'Free rule slots: merge or remove rules',
    detail: `The registry holds ${count} of ${limit} IP rules, the documented maximum that support cannot raise. Replace neighbouring single-address rules with one CIDR, or remove rules for addresses no longer used, before adding one.`,
    docsUrl: DOCS.ipRules,
    command: `az acr network-rule list ${nameArgs(t)}`,
    requestable: false,
  };
}

export function enableTrustedServices(t: FixTarget, detail: string): Fix {
  return {
    kind: 'enable_trusted_services',
    title: 'Let trusted Azure services through',
    detail,
    docsUrl: DOCS.trustedServices,
    command: `az acr update ${nameArgs(t)} --allow-trusted-services true`,
    requestable: false,
  };
}

export function enableTasksBypass(t: FixTarget, alreadyOn: boolean): Fix {
  return {
    kind: 'enable_tasks_bypass',
    title: alreadyOn ? 'Run the task with its system-assigned identity' : 'Allow ACR Tasks through the network rules',
    detail: alreadyOn
      ? 'networkRuleBypassAllowedForTasks is already on, but it only covers tasks that authenticate with their system-assigned managed identity; a task using another credential is still filtered by IP.'
      : 'Since June 2025 ACR Tasks using a system-assigned identity bypass the registry network rules only when networkRuleBypassAllowedForTasks is true. Task agents have no fixed address, so an IP rule for one agent does not help the next run.',
    docsUrl: DOCS.tasksBypass,
    command: `az resource update --ids ${scope(t)} --api-version 2025-11-01 --set properties.networkRuleBypassAllowedForTasks=true`,
    requestable: false,
  };
}

export function useAgentPool(t: FixTarget): Fix {
  return {
    kind: 'use_agent_pool',
    title: 'Run the task in a dedicated agent pool in your virtual network',
    detail:
      'A dedicated agent pool runs tasks inside your virtual network, so the registry is reached privately and no bypass or IP rule is needed; it is billed while it has instances.',
    docsUrl: DOCS.agentPools,
    command: `az acr agentpool create ${registryArgs(t)} --name <pool> --tier S1 --subnet-id <subnet-resource-id>`,
    requestable: false,
  };
}

export function useNatGateway(detail: string): Fix {
  return {
    kind: 'use_nat_gateway',
    title: 'Give the cluster a fixed egress address',
    detail,
    docsUrl: DOCS.aksNatGateway,
    command: 'az aks show --name <cluster> --resource-group <resource-group> --query networkProfile.outboundType',
    requestable: false,
  };
}

export function clientSideNetwork(t: FixTarget, detail: string): Fix {
  return {
    kind: 'client_side_network',
    title: 'Check the client-side firewall, proxy and routes',
    detail,
    docsUrl: DOCS.clientFirewall,
    // An unauthenticated /v2/ answers 401 when the path is open; anything else points at the network in between.
    command: `curl -sS -o /dev/null -w '%{http_code}\\n' https://${host(t)}/v2/`,
    requestable: false,
  };
}

export function allowDataEndpoint(t: FixTarget, hosts: string[]): Fix {
  const shown = hosts.slice(0, 5);
  return {
    kind: 'allow_data_endpoint',
    title: 'Allow the registry data endpoints in the client firewall',
    detail:
      hosts.length > 0
        ? `Layers download from the dedicated data endpoints (${shown.join(', ')}${hosts.length > shown.length ? ', …' : ''}), not from the login server: the client firewall or proxy must allow them on port 443.`
        : 'Layers download from the registry storage (*.blob.core.windows.net) after a redirect, not from the login server: the client firewall or proxy must allow it on port 443, or enable dedicated data endpoints to allow one host per region instead.',
    docsUrl: DOCS.dataEndpoints,
    command: `az acr show-endpoints ${nameArgs(t)}`,
    requestable: false,
  };
}

export function enablePublicAccess(t: FixTarget): Fix {
  return {
    kind: 'enable_public_access',
    title: 'Re-enable public access for selected networks only',
    detail:
      'Turning the public endpoint back on (default action Deny, then IP rules) is a much larger change than one rule: it exposes the registry to the internet again. Only the registry owner should decide it.',
    docsUrl: DOCS.ipRules,
    command: `az acr update ${nameArgs(t)} --public-network-enabled true --default-action Deny`,
    requestable: false,
  };
}

export * from './fixes-access.js';

export const DOCS_IPV6 = DOCS.ipv6;
