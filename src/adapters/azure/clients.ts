/**
 * The real SDK clients, configured once per cloud (and per subscription for the ACR client, which binds one):
 * - ARM endpoint and token scope from the cloud (cloud.ts), never the SDK's `cloudSetting`;
 * - with AZURE_EMULATOR_CA, trust for that one certificate through the pipeline's supported `tlsOptions.ca`
 *   (core-rest-pipeline 1.24 `tlsPolicy`) and, for the ms-rest-js Resource Graph client, its `agentSettings`;
 *   the bearer-token policy stays, and NODE_TLS_REJECT_UNAUTHORIZED is never touched;
 * - a per-request timeout and the bounded retry policy (retry.ts) instead of the SDK defaults.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import { ResourceGraphClient } from '@azure/arm-resourcegraph';
import { getClient, type Client } from '@azure-rest/core-client';
import { SubscriptionClient } from '@azure/arm-resources-subscriptions';
import type { TokenCredential } from '@azure/core-auth';
import type { Pipeline, PipelinePolicy } from '@azure/core-rest-pipeline';
import { AzureIdentityCredentialAdapter, type RequestPolicyFactory } from '@azure/ms-rest-js';
import type { AzureConfig } from '../../config.js';
import type { Cloud } from './cloud.js';
import { CachingCredential, createCredentialFactory } from './credential.js';
import { boundedRetryPolicy, DEFAULT_RETRY, type RetrySettings } from './retry.js';
import type { Telemetry } from '../../app/telemetry/port.js';
import { armTelemetryFactory, armTelemetryPolicy } from './arm-telemetry.js';

export interface ClientSettings {
  /** Per HTTP request, until response headers. */
  requestTimeoutMs: number;
  retry: RetrySettings;
}

export const DEFAULT_CLIENT_SETTINGS: ClientSettings = { requestTimeoutMs: 30_000, retry: DEFAULT_RETRY };

const USER_AGENT = 'acr-access-bot';

function timeoutPolicy(ms: number): PipelinePolicy {
  return {
    name: 'acrBotRequestTimeout',
    sendRequest(request, next) {
      if (!request.timeout) request.timeout = ms;
      return next(request);
    },
  };
}

/** Swap the SDK's default retry policy for the bounded one; keep every other policy, bearer auth included. */
function useBoundedRetry(pipeline: Pipeline, retry: RetrySettings): void {
  pipeline.removePolicy({ name: 'defaultRetryPolicy' });
  pipeline.addPolicy(boundedRetryPolicy(retry), { phase: 'Retry' });
}

/** ms-rest-js: our request policy first, then the client's defaults. */
const withTelemetry =
  (factory: RequestPolicyFactory) =>
  (defaults: RequestPolicyFactory[]): RequestPolicyFactory[] => [factory, ...defaults];

export class AzureClients {
  private readonly credentialFor: (cloud: Cloud) => TokenCredential;
  private readonly ca: Buffer | null;
  private registryClients = new Map<string, ContainerRegistryManagementClient>();
  private subscriptionClients = new Map<string, SubscriptionClient>();
  private graphClients = new Map<string, ResourceGraphClient>();
  private restClients = new Map<string, Client>();

  constructor(
    azure: AzureConfig,
    readonly settings: ClientSettings = DEFAULT_CLIENT_SETTINGS,
    private readonly telemetry: Telemetry | null = null,
  ) {
    this.credentialFor = createCredentialFactory(azure);
    this.ca = azure.emulatorCaPath ? fs.readFileSync(azure.emulatorCaPath) : null;
  }

  /** Options shared by the core-rest-pipeline based clients. */
  private coreOptions(cloud: Cloud) {
    return {
      endpoint: cloud.armEndpoint,
      userAgentOptions: { userAgentPrefix: USER_AGENT },
      additionalPolicies: [
        { policy: timeoutPolicy(this.settings.requestTimeoutMs), position: 'perCall' as const },
        ...(this.telemetry ? [{ policy: armTelemetryPolicy(this.telemetry), position: 'perRetry' as const }] : []),
      ],
      ...(this.ca ? { tlsOptions: { ca: this.ca } } : {}),
    };
  }

  registries(cloud: Cloud, subscriptionId: string): ContainerRegistryManagementClient {
    const key = `${cloud.armEndpoint}|${subscriptionId.toLowerCase()}`;
    let c = this.registryClients.get(key);
    if (!c) {
      c = new ContainerRegistryManagementClient(this.credentialFor(cloud), subscriptionId, {
        ...this.coreOptions(cloud),
        credentials: { scopes: [cloud.scope] },
      });
      useBoundedRetry(c.pipeline, this.settings.retry);
      this.registryClients.set(key, c);
    }
    return c;
  }

  subscriptions(cloud: Cloud): SubscriptionClient {
    let c = this.subscriptionClients.get(cloud.armEndpoint);
    if (!c) {
      c = new SubscriptionClient(this.credentialFor(cloud), {
        ...this.coreOptions(cloud),
        credentialScopes: [cloud.scope],
      });
      useBoundedRetry(c.pipeline, this.settings.retry);
      this.subscriptionClients.set(cloud.armEndpoint, c);
    }
    return c;
  }

  /**
   * A plain ARM REST client (@azure-rest/core-client, the layer the ACR SDK is built on) for the one call no
   * installed SDK covers: Microsoft.Network service tags. Same endpoint, scope, CA, timeout and retry.
   */
  rest(cloud: Cloud): Client {
    let c = this.restClients.get(cloud.armEndpoint);
    if (!c) {
      c = getClient(cloud.armEndpoint, this.credentialFor(cloud), {
        ...this.coreOptions(cloud),
        credentials: { scopes: [cloud.scope] },
      });
      useBoundedRetry(c.pipeline, this.settings.retry);
      this.restClients.set(cloud.armEndpoint, c);
    }
    return c;
  }

  /**
   * Resource Graph through @azure/arm-resourcegraph 4.2 (ms-rest-js). Its own retry policies are off (30 s steps,
   * unbounded Retry-After); the gateway wraps calls in retry.ts's `withRetry` instead. The credential adapter is
   * built here so the token scope follows the cloud (ms-rest-js only knows a few endpoints).
   */
  graph(cloud: Cloud): ResourceGraphClient {
    let c = this.graphClients.get(cloud.armEndpoint);
    if (!c) {
      const credential = new AzureIdentityCredentialAdapter(
        new CachingCredential(this.credentialFor(cloud)),
        cloud.scope,
      );
      c = new ResourceGraphClient(credential, {
        baseUri: cloud.armEndpoint,
        noRetryPolicy: true,
        ...(this.telemetry ? { requestPolicyFactories: withTelemetry(armTelemetryFactory(this.telemetry)) } : {}),
        userAgent: (d: string) => `${USER_AGENT} ${d}`,
        // agentSettings replace proxy handling, so only for the emulator's certificate.
        ...(this.ca
          ? {
              agentSettings: {
                http: new http.Agent({ keepAlive: true }),
                https: new https.Agent({ ca: this.ca, keepAlive: true }),
              },
            }
          : {}),
      });
      this.graphClients.set(cloud.armEndpoint, c);
    }
    return c;
  }
}
