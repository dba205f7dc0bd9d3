/**
 * Checks on an inbound `/api/messages` body before it reaches botbuilder: the shape every Bot Framework activity has
 * (400 otherwise), and in local anonymous mode a loopback serviceUrl (401 otherwise), so an unauthenticated bot
 * cannot be made to post to arbitrary hosts.
 */
import type { Activity } from 'botbuilder';

export type InboundCheck = { ok: true; activity: Activity } | { ok: false; status: 400 | 401; reason: string };

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function httpUrl(value: unknown): URL | null {
  if (typeof value !== 'string' || value.length > 2048) return null;
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u : null;
  } catch {
    return null;
  }
}

export function checkInbound(body: unknown, options: { anonymous: boolean }): InboundCheck {
  if (!isRecord(body)) return { ok: false, status: 400, reason: 'body is not a JSON object' };
  if (typeof body.type !== 'string' || body.type === '')
    return { ok: false, status: 400, reason: 'activity has no type' };
  const serviceUrl = httpUrl(body.serviceUrl);
  if (!serviceUrl) return { ok: false, status: 400, reason: 'activity has no http(s) serviceUrl' };
  if (!isRecord(body.conversation) || typeof body.conversation.id !== 'string' || body.conversation.id === '') {
    return { ok: false, status: 400, reason: 'activity has no conversation id' };
  }
  for (const k of ['from', 'recipient'] as const) {
    if (body[k] !== undefined && !isRecord(body[k]))
      return { ok: false, status: 400, reason: `activity ${k} is not an object` };
  }
  if (body.entities !== undefined && !Array.isArray(body.entities))
    return { ok: false, status: 400, reason: 'activity entities is not a list' };
  if (body.attachments !== undefined && !Array.isArray(body.attachments))
    return { ok: false, status: 400, reason: 'activity attachments is not a list' };
  if (options.anonymous && !(LOOPBACK.has(serviceUrl.hostname) || serviceUrl.hostname.startsWith('127.'))) {
    return { ok: false, status: 401, reason: 'local anonymous mode answers only loopback serviceUrls' };
  }
  return { ok: true, activity: body as unknown as Activity };
}
