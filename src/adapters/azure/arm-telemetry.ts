/**
 * Each HTTP request to Azure Resource Manager and Resource Graph, counted and traced through the telemetry port:
 * a policy in the core-rest-pipeline clients (after retries are decided, so every attempt counts) and a request
 * policy in the ms-rest-js Resource Graph client. The operation is the method and the resource type of the URL
 * (`GET microsoft.containerregistry/registries`), never a name or id, so the label stays small.
 */
import type { PipelinePolicy, PipelineRequest } from '@azure/core-rest-pipeline';
import type { RequestPolicy, RequestPolicyFactory, RequestPolicyOptions, WebResource } from '@azure/ms-rest-js';
import type { Telemetry } from '../../app/telemetry/port.js';

/** `GET microsoft.containerregistry/registries` from `GET …/providers/Microsoft.ContainerRegistry/registries/x?…`. */
export function armOperation(method: string, url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return `${method} unknown`;
  }
  const parts = path.split('/').filter(Boolean);
  const at = parts.map((p) => p.toLowerCase()).lastIndexOf('providers');
  // Types sit at the even places after the provider namespace: type/name/type/name…
  const type =
    at >= 0 && parts[at + 1]
      ? [parts[at + 1], ...parts.slice(at + 2).filter((_, i) => i % 2 === 0)].join('/')
      : parts.filter((_, i) => i % 2 === 0).join('/') || 'root';
  return `${method} ${type.toLowerCase()}`;
}

async function measured<T extends { status: number }>(
  telemetry: Telemetry,
  method: string,
  url: string,
  send: () => Promise<T>,
): Promise<T> {
  const operation = armOperation(method, url);
  return telemetry.span(
    `ARM ${operation}`,
    { 'http.request.method': method, 'acr_access.operation': operation },
    async () => {
      try {
        const res = await send();
        telemetry.armRequest(operation, String(res.status));
        return res;
      } catch (err) {
        const status = (err as { statusCode?: number }).statusCode;
        telemetry.armRequest(operation, status ? String(status) : 'error');
        throw err;
      }
    },
  );
}

export function armTelemetryPolicy(telemetry: Telemetry): PipelinePolicy {
  return {
    name: 'acrBotArmTelemetry',
    sendRequest: (request: PipelineRequest, next) =>
      measured(telemetry, request.method, request.url, () => next(request)),
  };
}

/** The same for ms-rest-js (Resource Graph): `requestPolicyFactories: (defaults) => [factory, ...defaults]`. */
export function armTelemetryFactory(telemetry: Telemetry): RequestPolicyFactory {
  return {
    create: (nextPolicy: RequestPolicy, _options: RequestPolicyOptions): RequestPolicy => ({
      sendRequest: (request: WebResource) =>
        measured(telemetry, request.method, request.url, () => nextPolicy.sendRequest(request)),
    }),
  };
}
