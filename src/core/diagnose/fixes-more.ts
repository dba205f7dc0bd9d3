/**
 * Fixes for the client classes and error families beyond the firewall catalogue (fixes.ts): hosted CI runners,
 * managed-identity pulls, TLS on private-link names and through proxies, and throttling upstream of ACR. Each
 * points to its Microsoft Learn page.
 */
import type { Fix } from '../diagnosis.js';
import type { HostedCi } from '../finding.js';
import { DOCS } from './docs.js';
import type { FixTarget } from './fix-target.js';

function name(t: FixTarget): string {
  return t.name ?? '<registry>';
}

const RUNNER_WORDS: Record<HostedCi, string> = {
  'github-actions': 'GitHub-hosted runners',
  'azure-pipelines': 'Microsoft-hosted agents',
};

export function useStaticEgress(ci: HostedCi): Fix {
  return {
    kind: 'use_static_egress',
    title: 'Build from a runner with a fixed address',
    detail: `${RUNNER_WORDS[ci]} leave by a different address on every run, so a rule for one run's address does not help the next. Use a self-hosted runner (or agent) in your own network, a hosted runner with a static egress address or private networking, so one rule or a private endpoint covers every run.`,
    docsUrl: ci === 'github-actions' ? DOCS.githubRunnerNetworking : DOCS.pipelinesAgents,
    requestable: false,
  };
}

export function buildWithTasks(t: FixTarget): Fix {
  return {
    kind: 'use_agent_pool',
    title: 'Or build inside Azure with an ACR Tasks agent pool',
    detail:
      'Run the build with az acr build on a dedicated agent pool in your virtual network: the registry is reached privately, whatever runner started the build.',
    docsUrl: DOCS.agentPools,
    command: `az acr build --registry ${name(t)} --agent-pool <pool> --image <repository>:<tag> .`,
    requestable: false,
  };
}

export function assignPullIdentity(t: FixTarget, kubernetes: boolean): Fix {
  return kubernetes
    ? {
        kind: 'assign_pull_identity',
        title: "Give the cluster's kubelet identity AcrPull on the registry",
        detail:
          "AKS pulls with the kubelet managed identity of each node pool. Attach the registry (which grants that identity AcrPull), then check the path with az aks check-acr. Node pools created outside AKS's own flow may run without that identity.",
        docsUrl: DOCS.aksAttachAcr,
        command: `az aks update --name <cluster> --resource-group <resource-group> --attach-acr ${name(t)}`,
        requestable: false,
      }
    : {
        kind: 'assign_pull_identity',
        title: 'Pull with a managed identity that has AcrPull',
        detail:
          'Assign a managed identity to the app, give that identity AcrPull on the registry, and select it as the identity for this registry (a system-assigned one is only usable once the app exists; a user-assigned one can be granted first).',
        docsUrl: DOCS.acaIdentityPull,
        command: `az role assignment create --assignee <identity-principal-id> --role AcrPull --scope ${t.id ?? '<registry-resource-id>'}`,
        requestable: false,
      };
}

export function useLoginServer(t: FixTarget): Fix {
  const login = t.loginServer?.replace('.privatelink.', '.') ?? `${name(t).toLowerCase()}.azurecr.io`;
  return {
    kind: 'use_login_server',
    title: `Pull by ${login}, not by its privatelink name`,
    detail:
      "The registry's certificate covers *.azurecr.io only. Inside the network, DNS sends the login server to the private endpoint through the privatelink.azurecr.io zone, so image names and logins keep the login server.",
    docsUrl: DOCS.privateLink,
    command: `nslookup ${login}`,
    requestable: false,
  };
}

export function fixTlsInspection(t: FixTarget): Fix {
  return {
    kind: 'fix_tls_inspection',
    title: 'Let the registry through the TLS-inspecting proxy or firewall',
    detail:
      "The certificate the client saw is not the registry's (or the handshake was cut): a proxy or firewall is inspecting TLS. Exempt the login server and the data endpoints from inspection, or make the client trust the proxy's CA.",
    docsUrl: DOCS.clientFirewall,
    command: `openssl s_client -connect ${t.loginServer ?? '<registry>.azurecr.io'}:443 -servername ${t.loginServer ?? '<registry>.azurecr.io'}`,
    requestable: false,
  };
}

export function authenticateUpstream(t: FixTarget): Fix {
  return {
    kind: 'authenticate_upstream',
    title: 'Authenticate to the upstream registry',
    detail:
      "The 429 comes from the registry ACR pulls from (Docker Hub's anonymous limit, or MCR), relayed through a cache rule or an import. Give the cache rule a credential set, pass --username/--password to az acr import, or import the base images once and pull them from ACR.",
    docsUrl: DOCS.artifactCache,
    command: `az acr cache list --registry ${name(t)}`,
    requestable: false,
  };
}
