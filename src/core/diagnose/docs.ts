/**
 * The Microsoft Learn pages each fix points to. One place, so a moved page is one edit. Paths are the published
 * locations of MicrosoftDocs/azure-management-docs `articles/container-registry/*.md` and
 * MicrosoftDocs/SupportArticles-docs `support/azure/azure-container-registry/*.md`.
 */
const ACR = 'https://learn.microsoft.com/azure/container-registry/';
const TROUBLESHOOT = 'https://learn.microsoft.com/troubleshoot/azure/azure-container-registry/';

export const DOCS = {
  ipRules: `${ACR}container-registry-access-selected-networks`,
  clientIpNotAllowed: `${TROUBLESHOOT}client-ip-address-not-allowed-access`,
  privateLink: `${ACR}container-registry-private-link`,
  privateDns: `${TROUBLESHOOT}cant-resolve-container-registry-fqdn-private-ip-address`,
  skus: `${ACR}container-registry-skus`,
  trustedServices: `${ACR}allow-access-trusted-services`,
  tasksBypass: `${ACR}manage-network-bypass-policy-for-tasks`,
  agentPools: `${ACR}tasks-agent-pools`,
  aksNatGateway: 'https://learn.microsoft.com/azure/aks/nat-gateway',
  aksPull: 'https://learn.microsoft.com/troubleshoot/azure/azure-kubernetes/cannot-pull-image-from-acr-to-aks-cluster',
  webAppPull: `${TROUBLESHOOT}pull-image-to-web-app-fail`,
  containerAppsNetworking: 'https://learn.microsoft.com/azure/container-apps/networking',
  clientFirewall: `${ACR}container-registry-firewall-access-rules`,
  troubleshootAccess: `${ACR}container-registry-troubleshoot-access`,
  dataEndpoints: `${ACR}container-registry-dedicated-data-endpoints`,
  dataEndpointTimeout: `${TROUBLESHOOT}download-failed-443-io-time-out`,
  requestTimeout: `${TROUBLESHOOT}request-canceled-waiting-connection-timeout-exceeded`,
  contextDeadline: `${TROUBLESHOOT}context-deadline-exceeded`,
  authenticationRequired: `${TROUBLESHOOT}authentication-required`,
  authErrors: `${TROUBLESHOOT}acr-authentication-errors`,
  roles: `${ACR}container-registry-rbac-built-in-roles-overview`,
  manifestNotFound: `${TROUBLESHOOT}manifest-tag-not-found`,
  imageLock: `${ACR}container-registry-image-lock`,
  operationDisallowed: `${TROUBLESHOOT}troubleshoot-push-error-operation-disallowed-timeout`,
  assignRoleCli: 'https://learn.microsoft.com/azure/role-based-access-control/role-assignments-cli',
  ipv6: `${ACR}container-registry-ipv6-dual-stack`,
  artifactCache: `${ACR}artifact-cache-overview`,
  aksAttachAcr: 'https://learn.microsoft.com/azure/aks/cluster-container-registry-integration',
  acaIdentityPull: 'https://learn.microsoft.com/azure/container-apps/managed-identity-image-pull',
  githubRunnerNetworking:
    'https://docs.github.com/actions/using-github-hosted-runners/connecting-to-a-private-network/about-private-networking-with-github-hosted-runners',
  pipelinesAgents: 'https://learn.microsoft.com/azure/devops/pipelines/agents/agents',
  hostedRunnerAddresses: `${TROUBLESHOOT}client-ip-address-not-allowed-access`,
} as const;
