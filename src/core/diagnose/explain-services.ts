/**
 * Clients that are Azure services (ACR Tasks, import, Container Instances, App Service, Container Apps, Machine
 * Learning, or a named service tag): their address is shared or changes, so each gets its documented fix instead of
 * an IP rule (docs/azure.md, "Azure services' addresses"). Also the answers decided by the address alone when the
 * paste names no registry.
 */
import type { Cause, Fix } from '../diagnosis.js';
import type { RegistrySnapshot } from '../registry.js';
import type { DecisionFacts } from './decide.js';
import { DOCS } from './docs.js';
import { type Explanation, type Found, target } from './explain-common.js';
import * as fx from './fixes.js';
import { SERVICE_LABEL, type AzureService } from './services.js';
import { CLASS_WORDS, clientPhrase } from './wording.js';

export function serviceFixes(f: Found, service: AzureService): Fix[] {
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

/** The registry was read and the client is an Azure service. */
export function azureServiceExplanation(f: Found, notes: string[]): Explanation {
  const r = f.registry;
  const service = f.service ?? 'other';
  const what =
    service === 'acr_tasks'
      ? 'an ACR Tasks agent, whose address changes from run to run'
      : service === 'other'
        ? 'an Azure platform range shared by many customers'
        : `${SERVICE_LABEL[service]}, whose outbound address is shared and can change`;
  return {
    summary: `The request to ${r.name} came from ${what}, so an IP rule${f.ip ? ` for ${f.ip.address}` : ''} is the wrong fix: ${serviceRemedy(service, r)} instead.`,
    fixes: serviceFixes(f, service),
    notes,
  };
}

/** The documented fix for a service, as a phrase for the summary (the first fix says it in full). */
export function serviceRemedy(service: AzureService, r: RegistrySnapshot | null): string {
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

/** The paste names no registry, but the address alone explains the denial. */
export function addressOnly(cause: Cause, f: DecisionFacts, notes: string[]): Explanation {
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
