/**
 * An applied grant's life: warned before it ends, extended, ended (expiry or revoke), its rule taken over by another
 * grant, and its rule removal recorded once, with the reason when the value stays.
 */
import { auditFor, nameOf } from './audit.js';
import type { RequestEvent } from './events.js';
import { ruleKeptBecause } from './grant.js';
import { clip, closed, done, refuse, type Step, type TransitionResult } from './step.js';
import type { AccessRequest } from './types.js';

export type GrantEvent = Extract<
  RequestEvent,
  { type: 'warn_expiry' | 'extend' | 'expire' | 'revoke' | 'adopt_rule' | 'remove_rule' }
>;

export function grantStep(step: Step, event: GrantEvent): TransitionResult {
  const { request, base, at, t, from } = step;
  switch (event.type) {
    case 'warn_expiry': {
      if (request.endsAt === null) return refuse('invalid_event', 'A permanent grant does not expire.');
      if (request.expiryWarnedAt !== null)
        return refuse('invalid_event', `The requester was already warned at ${request.expiryWarnedAt}.`);
      const next: AccessRequest = { ...base, expiryWarnedAt: at };
      return done(
        next,
        auditFor(next, at, 'expiry_warned', {
          actor: null,
          from,
          to: 'applied',
          summary: `Told ${nameOf(request.requester)} the grant ends at ${request.endsAt}`,
          details: { endsAt: request.endsAt },
        }),
      );
    }
    case 'extend': {
      if (request.kind !== 'grant') return refuse('invalid_event', 'Only a grant can be extended.');
      if (request.endsAt === null) return refuse('invalid_event', 'A permanent grant cannot be extended.');
      const newEnd = Date.parse(event.endsAt);
      if (!Number.isFinite(newEnd)) return refuse('invalid_event', `"${event.endsAt}" is not a time.`);
      if (t >= Date.parse(request.endsAt))
        return refuse('invalid_event', `The grant already ended at ${request.endsAt}; request access again.`);
      if (newEnd <= Date.parse(request.endsAt) || newEnd <= t)
        return refuse('invalid_event', `An extension must end after the current end (${request.endsAt}).`);
      if (request.extendedBy.includes(event.extensionRequestId))
        return refuse('invalid_event', `Extension ${event.extensionRequestId} was already applied.`);
      const endsAt = new Date(newEnd).toISOString();
      const next: AccessRequest = {
        ...base,
        endsAt,
        expiryWarnedAt: null,
        extendedBy: [...request.extendedBy, event.extensionRequestId],
      };
      return done(
        next,
        auditFor(next, at, 'extended', {
          actor: event.by,
          from,
          to: 'applied',
          summary: `The grant of ${request.rule} now ends at ${endsAt} (was ${request.endsAt})`,
          details: { fromEndsAt: request.endsAt, toEndsAt: endsAt, extensionRequestId: event.extensionRequestId },
        }),
      );
    }
    case 'expire':
    case 'revoke': {
      const revoke = event.type === 'revoke';
      if (!revoke && request.endsAt === null)
        return refuse('invalid_event', 'A permanent grant does not expire; revoke it instead.');
      if (!revoke && t < Date.parse(request.endsAt!))
        return refuse('not_due', `The grant runs until ${request.endsAt}.`);
      const note = clip(event.note);
      const reason = revoke ? clip(event.reason) : null;
      const status = revoke ? 'revoked' : 'expired';
      const next: AccessRequest = {
        ...closed(step, status, revoke ? event.by : null, revoke ? reason : (note ?? 'the grant ended')),
        ruleRemovedAt: event.change ? at : null,
        ruleKept: null,
      };
      const on = `${request.rule} on ${request.registry.name}`;
      return done(
        next,
        auditFor(next, at, status, {
          actor: revoke ? event.by : null,
          from,
          to: status,
          summary: revoke
            ? `${nameOf(event.by)} revoked ${on}${reason ? `: ${reason}` : ''}`
            : `The grant of ${on} ended${note ? `: ${note}` : ''}`,
          before: event.change?.before ?? null,
          after: event.change?.after ?? null,
          correlationId: event.change?.correlationId ?? null,
          details: {
            ...(revoke ? { reason } : {}),
            endsAt: request.endsAt,
            ruleRemoval: event.change ? 'done' : 'pending',
            note,
          },
        }),
      );
    }
    case 'adopt_rule': {
      if (request.kind !== 'grant') return refuse('invalid_event', 'Only a grant owns a rule.');
      const next: AccessRequest = { ...base, ruleAdded: event.value };
      return done(
        next,
        auditFor(next, at, 'rule_adopted', {
          actor: null,
          from,
          to: 'applied',
          summary: `${event.value} on ${request.registry.name} now belongs to this grant: it comes off when this grant ends`,
          details: { value: event.value, previous: request.ruleAdded },
        }),
      );
    }
    case 'remove_rule': {
      if (request.kind !== 'grant') return refuse('invalid_event', 'Only a grant has a rule to remove.');
      if (request.ruleRemovedAt !== null)
        return refuse('already_recorded', `The rule removal was already recorded at ${request.ruleRemovedAt}.`);
      const note = event.registryGone
        ? 'the registry no longer exists'
        : ruleKeptBecause(request.ruleAdded, event.change, event.neededBy ?? []);
      const next: AccessRequest = { ...base, ruleRemovedAt: at, ruleKept: note };
      return done(
        next,
        auditFor(next, at, 'rule_removed', {
          actor: null,
          from,
          to: from,
          summary: note
            ? `${request.rule} kept on ${request.registry.name}: ${note}`
            : `${request.rule} removed from ${request.registry.name}`,
          before: event.change.before,
          after: event.change.after,
          correlationId: event.change.correlationId,
          details: { grantStatus: from, note, value: request.ruleAdded },
        }),
      );
    }
  }
}
