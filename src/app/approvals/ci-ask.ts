/**
 * What a CI job asks for, read from the access API's JSON body (untrusted): the registry, the address ACR reported,
 * how long, why, and the ticket. Shapes only; policy and the registry decide the rest.
 */
import { readDuration } from '../../core/approvals/index.js';
import type { DurationRequest } from '../../core/policy/evaluate.js';
import { parseIp } from '../../core/ip.js';
import { MAX_REASON } from '../../core/policy/plan.js';
import { parseRegistryRef, type RegistryRef } from '../../core/registry-ref.js';

export interface CiSubmission {
  registry: RegistryRef;
  /** As written (for messages). */
  registryText: string;
  ip: string;
  duration: DurationRequest;
  reason: string | null;
  ticket: string | null;
}

const FIELDS = new Set(['registry', 'ip', 'duration', 'reason', 'ticket']);

export function readSubmission(body: Record<string, unknown>): CiSubmission | { invalid: string } {
  const unknown = Object.keys(body).filter((k) => !FIELDS.has(k));
  if (unknown.length > 0)
    return { invalid: `Unknown field ${unknown.slice(0, 3).join(', ')}: send registry, ip, duration, reason, ticket.` };
  const { registry, ip, duration, reason, ticket } = body;
  if (typeof registry !== 'string' || registry.trim() === '')
    return { invalid: 'registry is required: the registry name, login server or resource id.' };
  const ref = parseRegistryRef(registry);
  if (!ref)
    return { invalid: `registry "${registry.slice(0, 80)}" is not a registry name, login server or resource id.` };
  if (typeof ip !== 'string' || ip.length > 64) return { invalid: 'ip is required: the runner address ACR reported.' };
  const parsed = parseIp(ip.trim());
  if (!parsed) return { invalid: `ip "${ip.slice(0, 64)}" is not an IP address.` };
  if (parsed.family === 6)
    return {
      invalid: `ip ${parsed.text} is IPv6: ACR IP rules accept IPv4 addresses only, so this runner needs an IPv4 egress address.`,
    };
  const d = readDuration(duration);
  if (d === 'invalid' || d === 'permanent')
    return { invalid: 'duration must be a length such as 30m or 1h (a CI grant is never permanent).' };
  if (reason !== undefined && reason !== null && (typeof reason !== 'string' || reason.length > MAX_REASON))
    return { invalid: `reason must be text of at most ${MAX_REASON} characters.` };
  if (ticket !== undefined && ticket !== null && typeof ticket !== 'string')
    return { invalid: 'ticket must be text (a change or incident reference).' };
  return {
    registry: ref,
    registryText: registry.trim(),
    ip: parsed.text,
    duration: d,
    reason: typeof reason === 'string' ? reason : null,
    ticket: typeof ticket === 'string' && ticket.trim() !== '' ? ticket.trim() : null,
  };
}
