/** Decisions on a pending request: approve (N of M, break-glass), deny, cancel, time out, narrow, remind. */
import { formatDuration } from '../policy/duration.js';
import { samePerson } from '../policy/identity.js';
import { auditFor, nameOf } from './audit.js';
import type { RequestEvent } from './events.js';
import { clip, closed, done, refuse, type Step, type TransitionResult } from './step.js';
import type { AccessRequest } from './types.js';

export type PendingEvent = Extract<
  RequestEvent,
  { type: 'approve' | 'auto_approve' | 'deny' | 'cancel' | 'time_out' | 'narrow' | 'remind' | 'note_unreached' }
>;

export function pendingStep(step: Step, event: PendingEvent): TransitionResult {
  const { request, base, at, t, from } = step;
  switch (event.type) {
    case 'approve': {
      const by = event.by;
      if (request.approvals.some((a) => samePerson(a.by, by)))
        return refuse('already_approved', `${nameOf(by)} has already approved this request.`);
      const isRequester = samePerson(request.requester, by);
      if (event.as === 'approver' && isRequester)
        return refuse('self_approval', 'The requester cannot approve their own request.');
      if (event.as !== 'approver' && !isRequester)
        return refuse('invalid_event', `An approval "as ${event.as}" must come from the requester.`);
      if (event.as === 'break_glass' && !request.breakGlass)
        return refuse('self_approval', 'This is not a break-glass request; the requester cannot approve it.');
      const approvals = [...request.approvals, { by, at, as: event.as, comment: clip(event.comment) }];
      const complete = event.as === 'break_glass' || approvals.length >= request.requiredApprovals;
      const next: AccessRequest = {
        ...base,
        approvals,
        status: complete ? 'approved' : 'pending',
        nextReminderAt: complete ? null : request.nextReminderAt,
      };
      const count = `${approvals.length} of ${request.requiredApprovals}`;
      return done(
        next,
        auditFor(next, at, complete ? 'approved' : 'approval_recorded', {
          actor: by,
          from,
          to: next.status,
          summary:
            event.as === 'break_glass'
              ? `${nameOf(by)} approved their own break-glass request (every approver is notified)`
              : `${nameOf(by)} approved (${count})${complete ? '; request approved' : ''}`,
          details: {
            as: event.as,
            approvals: approvals.length,
            requiredApprovals: request.requiredApprovals,
            comment: clip(event.comment),
            breakGlass: event.as === 'break_glass',
          },
        }),
      );
    }
    case 'auto_approve': {
      if (request.breakGlass)
        return refuse('invalid_event', 'A break-glass request is confirmed by its requester, never by a rule.');
      if (request.durationMs === null)
        return refuse('invalid_event', 'A permanent rule is never approved automatically.');
      const rule = clip(event.rule) ?? '';
      if (rule === '') return refuse('invalid_event', 'An automatic approval names the rule that approves.');
      const next: AccessRequest = {
        ...base,
        status: 'approved',
        nextReminderAt: null,
        approvedByRule: { name: rule, source: event.source, at },
      };
      return done(
        next,
        auditFor(next, at, 'approved', {
          actor: null,
          from,
          to: 'approved',
          summary: `Approved by rule ${rule}`,
          details: { autoApproved: true, rule, source: event.source, startsAt: request.startsAt },
        }),
      );
    }
    case 'deny':
    case 'cancel': {
      const reason = clip(event.reason);
      const status = event.type === 'deny' ? 'denied' : 'cancelled';
      const next = closed(step, status, event.by, reason);
      return done(
        next,
        auditFor(next, at, status, {
          actor: event.by,
          from,
          to: status,
          summary: `${nameOf(event.by)} ${status} the request${reason ? `: ${reason}` : ''}`,
          details: { reason },
        }),
      );
    }
    case 'time_out': {
      if (t < Date.parse(request.pendingUntil))
        return refuse('not_due', `The request is pending until ${request.pendingUntil}.`);
      const next = closed(step, 'timed_out', null, 'no decision before the pending timeout');
      return done(
        next,
        auditFor(next, at, 'timed_out', {
          actor: null,
          from,
          to: 'timed_out',
          summary: `No decision by ${request.pendingUntil}; the request timed out`,
          details: { pendingUntil: request.pendingUntil, approvals: request.approvals.length },
        }),
      );
    }
    case 'narrow': {
      const ms = event.durationMs;
      if (!Number.isFinite(ms) || ms <= 0)
        return refuse('invalid_event', 'A narrowed duration must be longer than zero.');
      if (request.durationMs !== null && ms >= request.durationMs) {
        return refuse(
          'not_narrower',
          `Narrowing can only shorten the duration: ${formatDuration(ms)} is not shorter than ${formatDuration(request.durationMs)}.`,
        );
      }
      const next: AccessRequest = { ...base, durationMs: ms };
      return done(
        next,
        auditFor(next, at, 'narrowed', {
          actor: event.by,
          from,
          to: 'pending',
          summary: `${nameOf(event.by)} shortened the duration from ${request.durationMs === null ? 'permanent' : formatDuration(request.durationMs)} to ${formatDuration(ms)}`,
          details: { fromDurationMs: request.durationMs, toDurationMs: ms },
        }),
      );
    }
    case 'remind': {
      if (request.nextReminderAt === null || request.reminderIntervalMs === null)
        return refuse('not_due', 'Reminders are off for this request.');
      if (t < Date.parse(request.nextReminderAt))
        return refuse('not_due', `The next reminder is due at ${request.nextReminderAt}.`);
      const next: AccessRequest = {
        ...base,
        remindersSent: request.remindersSent + 1,
        nextReminderAt: new Date(t + request.reminderIntervalMs).toISOString(),
      };
      return done(
        next,
        auditFor(next, at, 'reminded', {
          actor: null,
          from,
          to: 'pending',
          summary: `Reminded the approvers (reminder ${next.remindersSent})`,
          details: { remindersSent: next.remindersSent, nextReminderAt: next.nextReminderAt },
        }),
      );
    }
    case 'note_unreached': {
      const approvers = event.approvers.map((e) => ({ ...e }));
      const next: AccessRequest = { ...base, unreached: approvers };
      return done(
        next,
        auditFor(next, at, 'approvers_unreached', {
          actor: null,
          from,
          to: 'pending',
          summary: `No approver could be reached about the request (${approvers.length} named by policy)`,
          details: { approvers: approvers.map((e) => `${e.kind}:${e.value}`) },
        }),
      );
    }
  }
}
