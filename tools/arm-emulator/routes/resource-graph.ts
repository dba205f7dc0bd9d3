/**
 * Azure Resource Graph `POST /providers/Microsoft.ResourceGraph/resources` (QueryRequest → QueryResponse, object
 * array format) over the emulator's resources, with the `subscriptions` scope respected. Rows have Resource Graph's
 * columns and its normalisation: `type` and `resourceGroup` in lower case.
 */
import { armError, type Reply } from '../arm-errors.js';
import { parseId } from '../ids.js';
import { runQuery, type Row } from '../kql/eval.js';
import { KqlError } from '../kql/lexer.js';
import type { Route } from '../router.js';
import type { ArmResource } from '../state.js';

export const GRAPH_API_VERSIONS = [
  '2024-04-01',
  '2022-10-01',
  '2021-06-01-preview',
  '2021-03-01',
  '2020-04-01-preview',
  '2019-04-01',
] as const;

function toRow(r: ArmResource, tenantId: string): Row {
  const p = parseId(r.id)!;
  return {
    id: r.id,
    name: r.name,
    type: r.type.toLowerCase(),
    tenantId,
    kind: r.kind ?? '',
    location: r.location ?? '',
    resourceGroup: p.resourceGroup.toLowerCase(),
    subscriptionId: p.subscriptionId,
    managedBy: r.managedBy ?? '',
    sku: r.sku ?? null,
    plan: r.plan ?? null,
    properties: structuredClone(r.properties ?? {}),
    tags: r.tags ?? null,
    identity: r.identity ?? null,
    zones: r.zones ?? null,
    extendedLocation: r.extendedLocation ?? null,
  };
}

/** Resource Graph's answer to a query it cannot run: BadRequest with the reason in `details`. */
function invalidQuery(reason: string): Reply {
  return {
    status: 400,
    body: {
      error: {
        code: 'BadRequest',
        message: `Please provide below info when asking for support: timestamp = ${new Date().toISOString()}, correlationId = emulated. Query is invalid: ${reason}`,
        details: [
          {
            code: 'InvalidQuery',
            message:
              'Query is invalid. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying.',
          },
          { code: 'UnsupportedByEmulator', message: reason },
        ],
      },
    },
  };
}

export const graphRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/providers/Microsoft.ResourceGraph/resources',
    resourceType: 'resources',
    apiVersions: GRAPH_API_VERSIONS,
    handle(ctx) {
      const body = ctx.body as {
        subscriptions?: unknown;
        managementGroups?: unknown;
        query?: unknown;
        options?: Record<string, unknown>;
      } | null;
      if (!body || typeof body.query !== 'string')
        return armError(400, 'BadRequest', "The request must have a 'query' string.");
      if (body.managementGroups !== undefined)
        return invalidQuery('managementGroups scopes are not supported by the ARM emulator');
      const opts = body.options ?? {};
      if (opts.resultFormat !== undefined && opts.resultFormat !== 'objectArray')
        return invalidQuery(`resultFormat '${String(opts.resultFormat)}' is not supported (use objectArray)`);
      let rows = ctx.core.state.allResources().map((r) => toRow(r, ctx.core.state.tenantId));
      if (Array.isArray(body.subscriptions)) {
        const allowed = new Set(body.subscriptions.map((s) => String(s).toLowerCase()));
        rows = rows.filter((r) => allowed.has(String(r.subscriptionId).toLowerCase()));
      }
      let result: Row[];
      try {
        result = runQuery(body.query, rows);
      } catch (err) {
        if (err instanceof KqlError) return invalidQuery(`${err.message} (at character ${err.pos})`);
        throw err;
      }
      const top = Math.min(1000, Math.max(1, Number(opts.$top ?? 100) || 100));
      const skip = Math.max(0, Number(opts.$skipToken ?? opts.$skip ?? 0) || 0);
      const data = result.slice(skip, skip + top);
      const more = skip + top < result.length;
      return {
        status: 200,
        body: {
          totalRecords: result.length,
          count: data.length,
          resultTruncated: 'false',
          ...(more ? { $skipToken: String(skip + top) } : {}),
          data,
          facets: [],
        },
      };
    },
  },
];
