/**
 * The request state machine: `transition(request, event, now)` gives the next request and the audit event that
 * records the move, or a refusal with a reason. Pure: the store runs it inside the transaction that writes both,
 * conditionally on the version it read. The table (table.ts) says which moves exist; each phase's handler
 * (pending.ts, apply.ts, grant-life.ts) checks the event's own conditions and words its audit event.
 */
import { applyStep } from './apply.js';
import { nameOf } from './audit.js';
import type { RequestEvent } from './events.js';
import { grantStep } from './grant-life.js';
import { pendingStep } from './pending.js';
import { refuse, type Step, type TransitionRefusal, type TransitionResult } from './step.js';
import { DECISION_EVENTS, TRANSITIONS } from './table.js';
import type { AccessRequest } from './types.js';

export type { TransitionRefusalCode, TransitionResult } from './step.js';

/** "already denied by carol@contoso.com at 2026-…" for the loser of a race. */
function alreadyDecided(r: AccessRequest): TransitionRefusal {
  const by = r.decision
    ? ` by ${nameOf(r.decision.by)} at ${r.decision.at}`
    : r.status === 'approved' && r.approvals.length > 0
      ? ` by ${r.approvals.map((a) => nameOf(a.by)).join(', ')}`
      : '';
  return refuse('already_decided', `This request was already decided: it is ${r.status.replace('_', ' ')}${by}.`);
}

/** The refusal for an event the table does not allow from the request's status. */
function notFrom(r: AccessRequest, event: RequestEvent): TransitionRefusal {
  if (DECISION_EVENTS.includes(event.type)) return alreadyDecided(r);
  if (event.type === 'remove_rule' && r.status === 'applied')
    return refuse('still_active', 'The grant is still applied; expire or revoke it first.');
  return refuse(
    'invalid_transition',
    `Cannot ${event.type.replace('_', ' ')} a request that is ${r.status.replace('_', ' ')}.`,
  );
}

export function transition(request: AccessRequest, event: RequestEvent, now: Date): TransitionResult {
  const edge = TRANSITIONS[event.type];
  if (!edge) return refuse('invalid_event', `unknown event ${(event as { type: unknown }).type as string}`);
  if (!edge.from.includes(request.status)) return notFrom(request, event);
  const at = now.toISOString();
  const step: Step = {
    request,
    from: request.status,
    base: { ...request, version: request.version + 1, updatedAt: at },
    at,
    t: now.getTime(),
  };
  switch (event.type) {
    case 'approve':
    case 'auto_approve':
    case 'deny':
    case 'cancel':
    case 'time_out':
    case 'narrow':
    case 'remind':
    case 'note_unreached':
      return pendingStep(step, event);
    case 'start_apply':
    case 'applied':
    case 'fail':
      return applyStep(step, event);
    case 'warn_expiry':
    case 'extend':
    case 'expire':
    case 'revoke':
    case 'adopt_rule':
    case 'remove_rule':
      return grantStep(step, event);
  }
}
