/**
 * Microsoft.ContainerRegistry/registries as @azure/arm-containerregistry 12 speaks it (api-version 2025-11-01):
 * get, list by subscription and by resource group (paged), PATCH as a long-running operation with its status URL,
 * private endpoint connections and private link resources.
 */
import { armError, type Reply } from '../arm-errors.js';
import { registryId } from '../ids.js';
import type { Route, RequestContext } from '../router.js';
import type { ArmResource, Json } from '../state.js';
import { applyRegistryPatch, validateRegistryPatch } from '../validate.js';
import { page } from './paging.js';
import { parseId, sameText } from '../ids.js';

export const ACR_API_VERSIONS = [
  // The GA version whose body carries properties.endpointProtocol (dual-stack IPv6); the bot reads with it.
  '2026-11-01',
  '2026-03-01-preview',
  '2026-01-01-preview',
  '2025-11-01',
  '2025-06-01-preview',
  '2025-04-01',
  '2023-07-01',
  '2022-12-01',
  '2021-09-01',
  '2019-05-01',
  '2017-10-01',
  '2017-03-01',
] as const;

/** The versions whose registry body has `endpointProtocol`; older ones never show it, as ARM would not. */
const ENDPOINT_PROTOCOL_VERSIONS: ReadonlySet<string> = new Set([
  '2026-11-01',
  '2026-03-01-preview',
  '2026-01-01-preview',
]);

/** A registry as the requested api-version shows it. */
function asVersion(ctx: RequestContext, registry: ArmResource): ArmResource {
  const body = copy(registry);
  const props = body.properties as Record<string, Json> | undefined;
  if (props && !ENDPOINT_PROTOCOL_VERSIONS.has(ctx.query.get('api-version') ?? '')) delete props.endpointProtocol;
  return body;
}

const REG = '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries/{name}';

function copy<T>(v: T): T {
  return structuredClone(v);
}

/** The 404 ARM gives, most specific first: unknown subscription, then resource group, then the registry. */
function notFound(ctx: RequestContext): Reply {
  const { sub, rg, name } = ctx.params as { sub: string; rg?: string; name?: string };
  if (!ctx.core.state.hasSubscription(sub))
    return armError(404, 'SubscriptionNotFound', `The subscription '${sub}' could not be found.`);
  if (rg !== undefined && !ctx.core.state.hasResourceGroup(sub, rg))
    return armError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
  return armError(
    404,
    'ResourceNotFound',
    `The Resource 'Microsoft.ContainerRegistry/registries/${name ?? ''}' under resource group '${rg ?? ''}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );
}

function findRegistry(ctx: RequestContext): ArmResource | undefined {
  return ctx.core.state.registry(ctx.params.sub!, ctx.params.rg!, ctx.params.name!);
}

function statusUrl(ctx: RequestContext, registry: ArmResource, opId: string): string {
  const url = new URL(`${registry.id}/operationStatuses/${opId}`, ctx.core.baseUrl);
  url.searchParams.set('api-version', ctx.query.get('api-version') ?? ACR_API_VERSIONS[0]);
  return url.toString();
}

function retryAfter(ctx: RequestContext): Record<string, string> {
  const s = ctx.core.operations.settings.retryAfterSeconds;
  return s > 0 ? { 'Retry-After': String(s) } : {};
}

function inSubscription(r: ArmResource, sub: string, rg?: string): boolean {
  const p = parseId(r.id)!;
  return sameText(p.subscriptionId, sub) && (rg === undefined || sameText(p.resourceGroup, rg));
}

const route = (method: string, pattern: string, handle: Route['handle']): Route => ({
  method,
  pattern,
  resourceType: 'registries',
  apiVersions: ACR_API_VERSIONS,
  handle,
});

export const registryRoutes: Route[] = [
  route('GET', REG, (ctx) => {
    const registry = findRegistry(ctx);
    if (!registry) return notFound(ctx);
    const body = asVersion(ctx, registry);
    // The out-of-band edit happens after this read was answered: the reader saw the old rule set.
    ctx.core.edits.afterGet(registry);
    return { status: 200, body };
  }),

  route('GET', '/subscriptions/{sub}/providers/Microsoft.ContainerRegistry/registries', (ctx) => {
    if (!ctx.core.state.hasSubscription(ctx.params.sub!)) return notFound(ctx);
    const items = ctx.core.state.registries().filter((r) => inSubscription(r, ctx.params.sub!));
    return {
      status: 200,
      body: page(
        ctx,
        items.map((r) => asVersion(ctx, r)),
      ),
    };
  }),

  route('GET', '/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerRegistry/registries', (ctx) => {
    if (
      !ctx.core.state.hasSubscription(ctx.params.sub!) ||
      !ctx.core.state.hasResourceGroup(ctx.params.sub!, ctx.params.rg!)
    )
      return notFound(ctx);
    const items = ctx.core.state.registries().filter((r) => inSubscription(r, ctx.params.sub!, ctx.params.rg!));
    return {
      status: 200,
      body: page(
        ctx,
        items.map((r) => asVersion(ctx, r)),
      ),
    };
  }),

  route('PATCH', REG, (ctx) => {
    const registry = findRegistry(ctx);
    if (!registry) return notFound(ctx);
    const invalid = validateRegistryPatch(ctx.body, registry);
    if (invalid) return invalid;
    const ops = ctx.core.operations;
    if (ops.inProgressFor(registry.id)) {
      return armError(
        409,
        'AnotherOperationInProgress',
        `Another operation is in progress on registry '${registry.name}'. Retry after it completes.`,
      );
    }
    const previous =
      registry.properties?.networkRuleSet === undefined ? undefined : copy(registry.properties.networkRuleSet);
    applyRegistryPatch(registry, ctx.body as Record<string, unknown>);
    registry.properties ??= {};
    const props = registry.properties;
    if (ops.settings.mode === 'sync') {
      props.provisioningState = 'Succeeded';
      return { status: 200, body: asVersion(ctx, registry) };
    }
    props.provisioningState = 'Updating';
    const op = ops.start(registry, previous as Json | undefined);
    return {
      status: 201,
      headers: { 'Azure-AsyncOperation': statusUrl(ctx, registry, op.id), ...retryAfter(ctx) },
      body: asVersion(ctx, registry),
    };
  }),

  route('GET', `${REG}/operationStatuses/{op}`, (ctx) => {
    const registry = findRegistry(ctx);
    const op = ctx.core.operations.get(ctx.params.op!);
    if (!registry || !op || !sameText(op.registryId, registry.id)) {
      return armError(404, 'ResourceNotFound', `The operation '${ctx.params.op}' was not found.`);
    }
    ctx.core.operations.poll(op);
    const body: Record<string, unknown> = {
      id: `${registry.id}/operationStatuses/${op.id}`,
      name: op.id,
      status: op.status,
      startTime: op.startTime,
    };
    if (op.endTime) body.endTime = op.endTime;
    if (op.error) body.error = op.error;
    return { status: 200, body, ...(op.status === 'InProgress' ? { headers: retryAfter(ctx) } : {}) };
  }),

  route('GET', `${REG}/privateEndpointConnections`, (ctx) => {
    const registry = findRegistry(ctx);
    if (!registry) return notFound(ctx);
    const items = (registry.properties?.privateEndpointConnections ?? []) as Json[];
    return { status: 200, body: page(ctx, copy(items)) };
  }),

  route('GET', `${REG}/privateEndpointConnections/{pec}`, (ctx) => {
    const registry = findRegistry(ctx);
    if (!registry) return notFound(ctx);
    const items = (registry.properties?.privateEndpointConnections ?? []) as { name?: string }[];
    const pec = items.find((p) => sameText(p.name, ctx.params.pec));
    if (!pec)
      return armError(
        404,
        'ResourceNotFound',
        `The private endpoint connection '${ctx.params.pec}' was not found on registry '${registry.name}'.`,
      );
    return { status: 200, body: copy(pec) };
  }),

  route('GET', `${REG}/privateLinkResources`, (ctx) => {
    const registry = findRegistry(ctx);
    if (!registry) return notFound(ctx);
    const login = String(registry.properties?.loginServer ?? '');
    // privatelink zone follows the login-server suffix (privatelink.azurecr.io, .azurecr.cn, .azurecr.us …).
    const suffix = login.includes('.azurecr.') ? login.slice(login.indexOf('.azurecr.') + 1) : 'azurecr.io';
    const p = parseId(registry.id)!;
    return {
      status: 200,
      body: {
        value: [
          {
            id: `${registryId(p.subscriptionId, p.resourceGroup, registry.name)}/privateLinkResources/registry`,
            name: 'registry',
            type: 'Microsoft.ContainerRegistry/registries/privateLinkResources',
            properties: {
              groupId: 'registry',
              requiredMembers: ['registry', `registry_data_${registry.location ?? 'westus'}`],
              requiredZoneNames: [`privatelink.${suffix}`],
            },
          },
        ],
      },
    };
  }),
];
