/**
 * Which tool printed the error. A small fixed vocabulary (the `tool` field of `parse --json`):
 *
 *   acr-tasks, az, azd, app-service, container-apps, azure-ml, terraform, flux, helm, oras, skopeo, buildkit,
 *   podman, crictl, kubelet, containerd, docker, sdk, powershell, trivy, databricks, crane, nerdctl, ci
 *
 * Decided from signals near the error (three lines before it to one after), most specific first: the wrapper that
 * relays an error (App Service's `DockerApiException`, ACR Tasks' `failed to login, ran out of retries`) names
 * the tool rather than the docker daemon inside it. `ci` (`##[error]`, `[command]`) is a last resort: a CI log
 * usually shows the real tool too. Null when nothing is recognisable.
 */
import type { HostedCi } from '../finding.js';
import type { Doc } from './doc.js';
import { CONTEXT_LINES_AFTER, CONTEXT_LINES_BEFORE } from './limits.js';
import { PhraseMatcher } from './matcher.js';
import * as P from './patterns.js';

const SIGNALS: ReadonlyArray<readonly [string, string]> = [
  // trivy tries the docker, podman and containerd sockets before the registry and prints all four errors.
  ['unable to initialize a scanner', 'trivy'],
  ['trivy', 'trivy'],
  ['container setup failed because of an invalid request', 'databricks'],
  ['databricks', 'databricks'],
  ['acrerrorsexception', 'sdk'],
  ['service request failed.', 'sdk'],
  ['failedpullingimage', 'azure-ml'],
  ['scriptrunconfig', 'azure-ml'],
  ['ran out of retries: failed to set docker credentials', 'acr-tasks'],
  ['failed to unmarshal task', 'acr-tasks'],
  ['failed during run, err:', 'acr-tasks'],
  ['no managed identity is assigned', 'container-apps'],
  // Named on the command line next to an `az acr login` that only fetched their credentials.
  ['skopeo', 'skopeo'],
  ['nerdctl', 'nerdctl'],
  ['crane ', 'crane'],
  ['could not get sas url to upload', 'az'],
  ['the command failed with an unexpected error', 'az'],
  ['exceeded with url: /v2/ ', 'az'],
  ['failed to run step id', 'acr-tasks'],
  ['queued a build with id', 'acr-tasks'],
  ['waiting for an agent', 'acr-tasks'],
  ['az acr build', 'acr-tasks'],
  ['az acr run', 'acr-tasks'],
  ['az acr task', 'acr-tasks'],
  ['dockerapiexception', 'app-service'],
  ['docker api responded with status code', 'app-service'],
  ['docker pull returned stderr', 'app-service'],
  ['containerappoperationerror', 'container-apps'],
  ['failed to provision revision', 'container-apps'],
  ['acr token exchange endpoint', 'container-apps'],
  ['failed to construct registry secret', 'container-apps'],
  ['imagepullfailure', 'container-apps'],
  ['template.containers', 'container-apps'],
  ['failed getting acr token', 'azd'],
  ['error executing step command', 'azd'],
  ['azd ', 'azd'],
  ['connectivity_', 'az'],
  ['unable to get aad authorization tokens', 'az'],
  ['could not connect to the registry login server', 'az'],
  ['validating image pull permission', 'az'],
  ['check-acr', 'az'],
  ['az acr', 'az'],
  ['deployment failed. correlation id', 'az'],
  ['az login', 'az'],
  ['serviceurl:', 'azure-ml'],
  ['azureml', 'azure-ml'],
  ['azurerm_', 'terraform'],
  ['terraform', 'terraform'],
  ['component=warmer', 'flux'],
  ['flux', 'flux'],
  ['kustomize-controller', 'flux'],
  ['source-controller', 'flux'],
  ['helmrelease', 'flux'],
  ['installation failed', 'helm'],
  ['upgrade failed', 'helm'],
  ['helm ', 'helm'],
  ['helm.go', 'helm'],
  ['oras ', 'oras'],
  ['failed to solve', 'buildkit'],
  ['failed to compute cache key', 'buildkit'],
  ['load metadata for', 'buildkit'],
  ['buildx', 'buildkit'],
  ['podman', 'podman'],
  ['buildah', 'podman'],
  ['crictl', 'crictl'],
  ['kubelet', 'kubelet'],
  ['failed to pull image', 'kubelet'],
  ['errimagepull', 'kubelet'],
  ['imagepullbackoff', 'kubelet'],
  ['back-off pulling image', 'kubelet'],
  ['failed to pull and unpack image', 'containerd'],
  ['failed to resolve reference', 'containerd'],
  ['ctr: ', 'containerd'],
  ['error response from daemon', 'docker'],
  ['docker login', 'docker'],
  ['docker pull', 'docker'],
  ['docker push', 'docker'],
  ['the push refers to repository', 'docker'],
  ['the push refers to a repository', 'docker'],
  ['resterror', 'sdk'],
  ['httpresponseerror', 'sdk'],
  ['azure.core.exceptions', 'sdk'],
  ['httpsconnectionpool(', 'sdk'],
  ['requestfailedexception', 'sdk'],
  ['at line:', 'powershell'],
  ['categoryinfo', 'powershell'],
  ['fullyqualifiederrorid', 'powershell'],
];

const WRAPPERS = new Set(['trivy', 'databricks']);

const CI_SIGNALS = ['##[error]', '##[section]', '[command]', '::error', 'jenkins'];

let matcher: PhraseMatcher | undefined;

/**
 * Tool detection for one paste: the best (earliest in SIGNALS) signal of each line is computed once, then a
 * site looks at its near lines (three before, one after) and, failing that, the wider context.
 */
export class ToolDetector {
  private readonly perLine = new Map<number, number>();
  private ci: boolean | undefined;

  constructor(
    private readonly doc: Doc,
    private readonly raw: string,
  ) {}

  private lineSignal(li: number): number {
    let best = this.perLine.get(li);
    if (best === undefined) {
      matcher ??= new PhraseMatcher(SIGNALS.map((s) => s[0]));
      best = SIGNALS.length;
      for (const h of matcher.findAll(this.doc.lines[li] ?? '', 1)) if (h.phrase < best) best = h.phrase;
      this.perLine.set(li, best);
    }
    return best;
  }

  private bestIn(from: number, to: number): string | null {
    let best = SIGNALS.length;
    for (let i = Math.max(0, from); i <= Math.min(this.doc.lines.length - 1, to); i++)
      best = Math.min(best, this.lineSignal(i));
    return SIGNALS[best]?.[1] ?? null;
  }

  private nearestOut(li: number): string | null {
    for (let d = 0; d <= Math.max(CONTEXT_LINES_BEFORE, CONTEXT_LINES_AFTER); d++) {
      for (const i of [li - d, li + d]) {
        if (i < 0 || i >= this.doc.lines.length || (i < li && d > CONTEXT_LINES_BEFORE)) continue;
        if (i > li && d > CONTEXT_LINES_AFTER) continue;
        const tool = SIGNALS[this.lineSignal(i)]?.[1];
        if (tool !== undefined) return tool;
      }
    }
    return null;
  }

  detect(li: number): string | null {
    if (this.doc.terraform) return 'terraform';
    // A wrapper that relays other tools' errors (trivy quotes docker, podman and containerd) names the paste.
    const wrapper = this.bestIn(li - CONTEXT_LINES_BEFORE, li + CONTEXT_LINES_AFTER);
    if (wrapper !== null && WRAPPERS.has(wrapper)) return wrapper;
    const near = this.bestIn(li - 3, li + 1);
    if (near !== null) return near;
    // Farther out, the nearest line that names a tool says it: `docker push` eight lines up beats an `az acr login`
    // further up that only fetched the credentials.
    const wide = this.nearestOut(li);
    if (wide !== null) return wide;
    // The CI prefixes themselves were stripped from the lines; look for them in the paste as received (once).
    this.ci ??= CI_SIGNALS.some((sig) => this.raw.includes(sig));
    return this.ci ? 'ci' : null;
  }
}

/**
 * Markers of a hosted CI log: GitHub Actions (`##[error]` and `##[group]` lines, `Run owner/action@v3` step
 * headers, the hosted runner's `/home/runner/work/` workspace, `GITHUB_` variables) and Azure Pipelines
 * (`##vso[` logging commands, the Microsoft-hosted agent's `/home/vsts/work/`, `Agent.` variables). Azure Pipelines'
 * `##[error]` looks like GitHub's, so its own markers are checked first. Bounded: plain substring searches.
 */
export function hostedCi(raw: string): HostedCi | null {
  const text = raw.length > 1_000_000 ? raw.slice(0, 1_000_000) : raw;
  if (text.includes('##vso[') || text.includes('/home/vsts/work/') || P.AGENT_VARIABLE.test(text))
    return 'azure-pipelines';
  if (
    text.includes('/home/runner/work/') ||
    text.includes('GITHUB_') ||
    text.includes('##[group]') ||
    text.includes('##[error]') ||
    P.RUN_ACTION.test(text)
  )
    return 'github-actions';
  return null;
}
