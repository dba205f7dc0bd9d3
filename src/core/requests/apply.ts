/** The apply worker's moves: take an approved (or retried) request, then mark it applied or failed. */
import { auditFor, nameOf } from './audit.js';
import type { RequestEvent } from './events.js';
import { ruleAddedBy } from './grant.js';
import { clip, done, refuse, type Step, type TransitionResult } from './step.js';
import type { AccessRequest } from './types.js';

export type ApplyEvent = Extract<RequestEvent, { type: 'start_apply' | 'applied' | 'fail' }>;

export function applyStep(step: Step, event: ApplyEvent): TransitionResult {
  const { request, base, at, t, from } = step;
  switch (event.type) {
    case 'start_apply': {
      if (request.startsAt !== null && t < Date.parse(request.startsAt))
        return refuse('not_due', `The access window opens at ${request.startsAt}; the rule is added then.`);
      if (from === 'failed' && !request.apply.retryable)
        return refuse(
          'not_retryable',
          `The last attempt failed in a way a retry cannot fix: ${request.apply.lastError ?? 'unknown error'}.`,
        );
      const next: AccessRequest = {
        ...base,
        status: 'applying',
        apply: { ...request.apply, attempts: request.apply.attempts + 1 },
      };
      const retry = from === 'failed';
      const who = retry ? (event.by ? `${nameOf(event.by)} retried` : 'Retrying') : 'Applying';
      return done(
        next,
        auditFor(next, at, 'apply_started', {
          actor: event.by,
          from,
          to: 'applying',
          summary: `${who} ${request.kind === 'extension' ? 'the extension' : request.kind === 'cleanup' ? 'the cleanup' : request.rule} (attempt ${next.apply.attempts})`,
          details: { attempt: next.apply.attempts, retry },
        }),
      );
    }
    case 'applied': {
      const grant = request.kind === 'grant';
      // A scheduled grant ends when its window closes, however late it was applied; otherwise its length from now.
      const opens = request.startsAt !== null ? Date.parse(request.startsAt) : t;
      const endsAt = grant && request.durationMs !== null ? new Date(opens + request.durationMs).toISOString() : null;
      const next: AccessRequest = {
        ...base,
        status: 'applied',
        appliedAt: at,
        endsAt,
        apply: { ...request.apply, lastError: null, retryable: false, correlationId: event.correlationId },
        ruleAdded: grant ? ruleAddedBy(request.rule, event) : null,
      };
      return done(
        next,
        auditFor(next, at, 'applied', {
          actor: null,
          from,
          to: 'applied',
          summary: grant
            ? `${request.rule} is allowed on ${request.registry.name} ${endsAt ? `until ${endsAt}` : 'permanently'}`
            : request.kind === 'cleanup'
              ? `Cleanup applied on ${request.registry.name}: ${request.cleanup?.remove.length ?? 0} rules taken off${request.cleanup?.add.length ? `, ${request.cleanup.add.join(', ')} written` : ''}`
              : `Extension applied: the grant of request ${request.extendsRequestId ?? '?'} is extended`,
          before: event.before,
          after: event.after,
          correlationId: event.correlationId,
          details: { endsAt, attempt: request.apply.attempts, ruleAdded: next.ruleAdded },
        }),
      );
    }
    case 'fail': {
      const error = clip(event.error) ?? 'unknown error';
      const next: AccessRequest = {
        ...base,
        status: 'failed',
        apply: {
          ...request.apply,
          lastError: error,
          retryable: event.retryable,
          correlationId: event.change?.correlationId ?? request.apply.correlationId,
        },
      };
      return done(
        next,
        auditFor(next, at, 'apply_failed', {
          actor: null,
          from,
          to: 'failed',
          summary: `Applying ${request.rule} failed${event.retryable ? ' (can be retried)' : ''}: ${error}`,
          before: event.change?.before ?? null,
          after: event.change?.after ?? null,
          correlationId: event.change?.correlationId ?? null,
          details: { error, retryable: event.retryable, attempt: request.apply.attempts },
        }),
      );
    }
  }
}
