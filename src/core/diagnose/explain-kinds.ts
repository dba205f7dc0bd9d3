/**
 * Errors that are not about the registry firewall: credentials, roles, the identity a service pulls with, TLS,
 * throttling (the registry's or an upstream's), a missing image, a refused write, and the network in front of the
 * registry. Each has a one-sentence summary and its documented fixes.
 */
import type { Fix } from '../diagnosis.js';
import type { FindingKind } from '../finding.js';
import type { DecisionFacts } from './decide.js';
import { dnsDetail, target } from './explain-common.js';
import * as fx from './fixes.js';
import * as more from './fixes-more.js';
import { isKubernetesClient } from './services.js';

export const KIND_SUMMARY: Record<FindingKind, string> = {
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
  identity_pull_failed:
    'The service was told to pull with a managed identity that it does not have, or that has no pull role on the registry: this is about identity, not the firewall.',
  tls_error:
    'The TLS connection to the registry failed: the client used a host name the registry certificate does not cover (such as the privatelink name), or a proxy on the path is inspecting or cutting TLS.',
  upstream_throttled:
    'The registry ACR pulls from (Docker Hub, MCR) throttled the request through a cache rule or an import (429): this is the upstream rate limit, not ACR throttling and not the firewall.',
};

export function kindFixes(f: DecisionFacts): Fix[] {
  const t = target(f);
  const r = f.lookup?.status === 'found' ? f.lookup.registry : null;
  const { finding } = f;
  switch (finding.kind) {
    case 'unauthorized':
      if (isKubernetesClient(finding, f.owner)) return [more.assignPullIdentity(t, true), fx.authenticate(t)];
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
    case 'identity_pull_failed':
      return [more.assignPullIdentity(t, isKubernetesClient(finding, f.owner)), fx.authenticate(t)];
    case 'tls_error':
      return finding.loginServer?.includes('.privatelink.')
        ? [
            more.useLoginServer(t),
            fx.fixPrivateDns(
              t,
              r ? dnsDetail(r) : 'The login server must resolve to the private endpoint inside the network.',
            ),
          ]
        : [more.fixTlsInspection(t), more.useLoginServer(t)];
    case 'upstream_throttled':
      return [more.authenticateUpstream(t), fx.backOff()];
    case 'firewall_denied':
    case 'registry_forbidden':
      return [];
  }
}
