/**
 * The subscription's Activity Log as the bot queries it: `GET /subscriptions/{sub}/providers/Microsoft.Insights/
 * eventtypes/management/values?api-version=2015-04-01&$filter=eventTimestamp ge '…' and eventTimestamp le '…' and
 * resourceUri eq '…'`, answered with EventData items (`caller`, `correlationId`, `eventTimestamp`, `operationName`,
 * `status`, …) newest first, paged by nextLink.
 *
 * What it holds: every successful PATCH/PUT/DELETE the emulator answered (recordingWrites wraps those routes), with
 * the caller read from the bearer token and the request's correlation id (one is made, and returned, when the client
 * sent none), and every out-of-band edit (edits.ts) as a write by OUT_OF_BAND_CALLER. One event per write, at the
 * moment it was answered or applied; real ARM also logs the later phases of a long-running write.
 */
import { createHash, randomUUID } from 'node:crypto';
import { armError, type Reply } from '../arm-errors.js';
import type { EmulatorCore } from '../core.js';
import { idKey, parseId } from '../ids.js';
import type { RequestContext, Route } from '../router.js';
import { page } from './paging.js';

/** Who makes the emulator's out-of-band edits (someone changing the firewall in the portal). */
export const OUT_OF_BAND_CALLER = 'alex.admin@contoso.com';

interface LoggedWrite {
  at: string;
  caller: string;
  correlationId: string;
  resourceId: string;
  method: string;
  statusCode: number;
}

const MAX_WRITES = 10_000;
const written = new WeakMap<EmulatorCore, LoggedWrite[]>();

/** A GUID-shaped id from text, so the same token or edit always gets the same id. */
function guidOf(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The caller ARM would log: a JWT's upn / unique_name / appid, else an application id stable per token. */
function callerOf(authorization: string | string[] | undefined): string {
  const token = typeof authorization === 'string' ? authorization.replace(/^Bearer\s+/i, '') : '';
  const payload = token.split('.')[1];
  if (payload) {
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
      for (const c of ['upn', 'unique_name', 'appid', 'oid'])
        if (typeof claims[c] === 'string' && claims[c]) return claims[c] as string;
    } catch {
      // not a JWT: fall through
    }
  }
  return guidOf(`token:${token}`);
}

function record(core: EmulatorCore, w: LoggedWrite): void {
  const list = written.get(core) ?? [];
  list.push(w);
  if (list.length > MAX_WRITES) list.splice(0, list.length - MAX_WRITES);
  written.set(core, list);
}

/** Wraps the routes that write, so each successful write is in the Activity Log. */
export function recordingWrites(routes: Route[]): Route[] {
  return routes.map((route) =>
    route.method === 'GET' || route.method === 'POST'
      ? route
      : {
          ...route,
          handle: async (ctx: RequestContext): Promise<Reply> => {
            const reply = await route.handle(ctx);
            if (reply.status < 200 || reply.status >= 300) return reply;
            const sent = ctx.headers['x-ms-correlation-request-id'];
            const correlationId = typeof sent === 'string' && sent ? sent : randomUUID();
            const { sub, rg, name } = ctx.params;
            const resource = sub && rg && name ? ctx.core.state.registry(sub, rg, name) : undefined;
            record(ctx.core, {
              at: new Date().toISOString(),
              caller: callerOf(ctx.headers.authorization),
              correlationId,
              resourceId: resource?.id ?? ctx.path,
              method: ctx.method,
              statusCode: reply.status,
            });
            return sent
              ? reply
              : { ...reply, headers: { ...reply.headers, 'x-ms-correlation-request-id': correlationId } };
          },
        },
  );
}

function writesOf(core: EmulatorCore): LoggedWrite[] {
  const edits = core.edits.applied.map((e) => ({
    at: e.time,
    caller: OUT_OF_BAND_CALLER,
    correlationId: guidOf(`edit:${e.id}`),
    resourceId: e.registryId,
    method: 'PATCH',
    statusCode: 200,
  }));
  return [...(written.get(core) ?? []), ...edits];
}

function eventData(w: LoggedWrite): Record<string, unknown> {
  const p = parseId(w.resourceId);
  const type = p?.type ?? 'Microsoft.ContainerRegistry/registries';
  const operation = `${type}/${w.method === 'DELETE' ? 'delete' : 'write'}`;
  const status = w.statusCode === 201 || w.statusCode === 202 ? 'Accepted' : 'Succeeded';
  const eventDataId = guidOf(`${w.correlationId}:${w.at}`);
  const text = (value: string): { value: string; localizedValue: string } => ({ value, localizedValue: value });
  return {
    authorization: { action: operation, scope: w.resourceId },
    caller: w.caller,
    channels: 'Operation',
    correlationId: w.correlationId,
    description: '',
    eventDataId,
    eventName: { value: 'EndRequest', localizedValue: 'End request' },
    category: text('Administrative'),
    httpRequest: {
      clientRequestId: guidOf(`client:${w.correlationId}`),
      clientIpAddress: '127.0.0.1',
      method: w.method,
    },
    id: `${w.resourceId}/events/${eventDataId}/ticks/${Date.parse(w.at) * 10_000 + 621_355_968_000_000_000}`,
    level: 'Informational',
    resourceGroupName: p?.resourceGroup ?? '',
    resourceProviderName: text(type.split('/')[0]!),
    resourceId: w.resourceId,
    resourceType: text(type),
    operationId: w.correlationId,
    operationName: text(operation),
    properties: { statusCode: w.statusCode === 201 ? 'Created' : 'OK' },
    status: text(status),
    subStatus: text(w.statusCode === 201 ? 'Created' : 'OK'),
    eventTimestamp: w.at,
    submissionTimestamp: w.at,
    subscriptionId: p?.subscriptionId ?? '',
  };
}

function quoted(filter: string, field: string, op: string): string | null {
  return new RegExp(`${field}\\s+${op}\\s+'([^']*)'`, 'i').exec(filter)?.[1] ?? null;
}

export const activityLogRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/subscriptions/{sub}/providers/Microsoft.Insights/eventtypes/management/values',
    resourceType: 'eventtypes',
    apiVersions: ['2015-04-01'],
    handle(ctx) {
      const filter = ctx.query.get('$filter') ?? '';
      const from = Date.parse(quoted(filter, 'eventTimestamp', 'ge') ?? '');
      if (!Number.isFinite(from))
        return armError(400, 'BadRequest', "The $filter must give a start time: eventTimestamp ge '<time>'.");
      const to = Date.parse(quoted(filter, 'eventTimestamp', 'le') ?? '') || Date.now();
      const resource = quoted(filter, 'resourceUri', 'eq');
      const group = quoted(filter, 'resourceGroupName', 'eq');
      const events = writesOf(ctx.core)
        .filter((w) => {
          const t = Date.parse(w.at);
          const p = parseId(w.resourceId);
          return (
            t >= from &&
            t <= to &&
            idKey(p?.subscriptionId ?? '') === idKey(ctx.params.sub!) &&
            (resource === null || idKey(w.resourceId) === idKey(resource)) &&
            (group === null || idKey(p?.resourceGroup ?? '') === idKey(group))
          );
        })
        .sort((a, b) => b.at.localeCompare(a.at))
        .map(eventData);
      return { status: 200, body: page(ctx, events) };
    },
  },
];
