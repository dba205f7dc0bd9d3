/**
 * The firewall change as ARM runs it: PATCH `properties.networkRuleSet` (and nothing else — `registries/write` could
 * change SKU, admin user or public access, so the body is built here from the two fields only), answered 201 with
 * `Azure-AsyncOperation`; the poller's serialize() output is what the caller persists, and `waitForUpdate`
 * restores it with restorePoller — in this process or a fresh one after a restart.
 */
import { restorePoller, type Registry } from '@azure/arm-containerregistry';
import { AzureError } from '../../app/azure-error.js';
import type { SubmittedUpdate } from '../../app/ports.js';
import type { RegistrySnapshot } from '../../core/registry.js';
import type { AzureClients } from './clients.js';
import type { Cloud } from './cloud.js';
import { toAzureError } from './errors.js';
import type { RegistryId } from '../../core/registry-ref.js';
import { snapshotFromModel } from './snapshot.js';

export interface NetworkRuleChange {
  ipRules: string[];
  defaultAction: 'Allow' | 'Deny';
}

export async function submitPatch(
  clients: AzureClients,
  cloud: Cloud,
  registryId: string,
  id: RegistryId,
  change: NetworkRuleChange,
  pollIntervalMs: number,
): Promise<SubmittedUpdate> {
  const client = clients.registries(cloud, id.subscriptionId);
  let correlationId: string | null = null;
  const poller = client.registries.update(
    id.resourceGroup,
    id.name,
    {
      networkRuleSet: {
        defaultAction: change.defaultAction,
        ipRules: change.ipRules.map((v) => ({ action: 'Allow', iPAddressOrRange: v })),
      },
    },
    {
      updateIntervalInMs: pollIntervalMs,
      onResponse: (raw) => {
        correlationId =
          raw.headers.get('x-ms-correlation-request-id') ?? raw.headers.get('x-ms-request-id') ?? correlationId;
      },
    },
  );
  try {
    await poller.submitted();
  } catch (err) {
    const e = toAzureError(err, `changing the firewall of registry ${id.name}`);
    if (e instanceof AzureError && correlationId && !e.details.correlationId) e.details.correlationId = correlationId;
    throw e;
  }
  return { registryId, operationState: await poller.serialize(), correlationId };
}

interface SerializedState {
  state?: { status?: string; result?: Registry; config?: { initialRequestUrl?: string; operationLocation?: string } };
}

export function parseOperationState(operationState: string): SerializedState['state'] {
  try {
    return (JSON.parse(operationState) as SerializedState).state;
  } catch {
    throw new AzureError('bad_request', 'The saved operation state is not the serialized state of an ARM operation.');
  }
}

/**
 * Polls the restored operation until it ends (honouring the status URL's Retry-After), at most `timeoutMs`.
 * Resolves to the registry ARM returns after completion; `null` when the state says the PATCH completed
 * synchronously without a result to restore (the caller then reads the registry).
 */
export async function waitForOperation(
  clients: AzureClients,
  cloud: Cloud,
  id: RegistryId,
  operationState: string,
  pollIntervalMs: number,
  timeoutMs: number,
): Promise<RegistrySnapshot | null> {
  const state = parseOperationState(operationState);
  if (!state?.config?.initialRequestUrl) {
    // A synchronous 200: nothing to poll, and the state holds the final registry when the SDK kept it.
    return state?.status === 'succeeded' && state.result ? snapshotFromModel(state.result) : null;
  }
  const client = clients.registries(cloud, id.subscriptionId);
  const deadline = AbortSignal.timeout(timeoutMs);
  const poller = restorePoller(client, operationState, client.registries.update, {
    updateIntervalInMs: pollIntervalMs,
    abortSignal: deadline,
  });
  try {
    return snapshotFromModel(await poller.pollUntilDone({ abortSignal: deadline }));
  } catch (err) {
    if (deadline.aborted) {
      throw new AzureError(
        'unavailable',
        `Registry ${id.name}: the firewall change did not finish within ${Math.round(timeoutMs / 1000)} s; it may still be running in Azure. Wait again later with the same saved state.`,
        { code: 'OperationTimeout' },
      );
    }
    throw toAzureError(err, `waiting for the firewall change of registry ${id.name}`);
  }
}
