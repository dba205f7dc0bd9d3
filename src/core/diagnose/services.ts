/**
 * Which Azure service, if any, is the client. The address ACR prints for these services is a shared or changing
 * platform address (a task agent, the App Service scale unit, the Container Apps or ACI infrastructure), so an IP
 * rule is the wrong fix: each service has a documented one (docs/azure.md, "Azure services' addresses").
 */
import type { Finding } from '../finding.js';
import type { IpOwner } from '../diagnosis.js';

export type AzureService =
  | 'acr_tasks'
  | 'acr_import'
  | 'container_instances'
  | 'app_service'
  | 'container_apps'
  | 'machine_learning'
  | 'other';

export const SERVICE_LABEL: Record<AzureService, string> = {
  acr_tasks: 'ACR Tasks',
  acr_import: 'ACR import',
  container_instances: 'Azure Container Instances',
  app_service: 'App Service',
  container_apps: 'Azure Container Apps',
  machine_learning: 'Azure Machine Learning',
  other: 'an Azure service',
};

/**
 * The parser's `tool` names the program that printed the error. `az acr build` / `az acr run` output is the task
 * agent's log (the denied address is the agent's), so those count as ACR Tasks.
 */
const TOOL_SERVICE: Array<[RegExp, AzureService]> = [
  [/^(acr-tasks?|az-acr-(build|run|task))$/, 'acr_tasks'],
  [/^az-acr-import$/, 'acr_import'],
  [/^(aci|container-instances?)$/, 'container_instances'],
  [/^(app-service|webapp|web-app|functions?)$/, 'app_service'],
  [/^(container-apps?|aca)$/, 'container_apps'],
  [/^azure-ml$/, 'machine_learning'],
];

/** Azure service tags (Resource Graph / service-tag ranges) onto the services above. */
const TAG_SERVICE: Array<[RegExp, AzureService]> = [
  [/^AzureContainerRegistry\b/i, 'acr_tasks'],
  [/^AzureContainerInstance/i, 'container_instances'],
  [/^(Azure)?AppService/i, 'app_service'],
  [/^AzureMachineLearning/i, 'machine_learning'],
  [/^(AzureContainerApps|ContainerApps)/i, 'container_apps'],
];

export function serviceFromTool(tool: string | null): AzureService | null {
  if (tool === null) return null;
  const t = tool.trim().toLowerCase();
  for (const [re, service] of TOOL_SERVICE) if (re.test(t)) return service;
  return null;
}

/** A named service's tag; the catch-all AzureCloud (every customer's Azure addresses) is not one. */
export function isNamedServiceOwner(owner: IpOwner | null): owner is IpOwner {
  return owner !== null && owner.kind === 'azure_service' && !/^AzureCloud\b/i.test(owner.service ?? owner.name);
}

export function serviceFromOwner(owner: IpOwner | null): AzureService | null {
  if (!isNamedServiceOwner(owner)) return null;
  const tag = owner.service ?? owner.name;
  for (const [re, service] of TAG_SERVICE) if (re.test(tag)) return service;
  return 'other';
}

/** The owner's service tag wins over the tool: it is what Azure says about the address itself. */
export function azureServiceOf(finding: Finding, owner: IpOwner | null): AzureService | null {
  const byOwner = serviceFromOwner(owner);
  if (byOwner !== null && byOwner !== 'other') return byOwner;
  return serviceFromTool(finding.tool) ?? byOwner;
}

/** AKS and other Kubernetes node runtimes: their egress is a load balancer or NAT address that may change. */
export function isKubernetesClient(finding: Finding, owner: IpOwner | null): boolean {
  if (
    finding.tool !== null &&
    /^(kubelet|containerd|crictl|cri-o|aks|az-aks-check-acr|kubectl|flux)$/i.test(finding.tool.trim())
  )
    return true;
  return (
    owner !== null &&
    (owner.kind === 'public_ip' || owner.kind === 'public_ip_prefix') &&
    /\b(aks|kubernetes)\b/i.test(`${owner.detail ?? ''} ${owner.name}`)
  );
}
