/**
 * One call for "may this request be made, and on what terms?": channel and identity, the rule, the duration, the
 * reason, break-glass. Refused requests never reach approvers.
 */
import type { Actor } from '../actor.js';
import { REASON_MAX, REQUEST_FORM_WORDS } from '../approvals/form-words.js';
import { formatDuration } from './duration.js';
import { canRequest, checkRule, clampDuration, type DurationRequest } from './evaluate.js';
import { matchApprover, verifyIdentity } from './identity.js';
import { checkStart, type StartRefusalCode } from './start.js';
import { checkTicket, type TicketRefusalCode } from './ticket.js';
import type { ApproverEntry, ChannelRef, Refusal, RegistryPolicy, NamedRegistry, Policy } from './types.js';

export interface RequestAsk {
  actor: Actor;
  channel: ChannelRef;
  registry: NamedRegistry;
  /** The rule asked for: an IPv4 address (becomes /32) or CIDR. */
  rule: string;
  duration: DurationRequest;
  reason: string | null;
  /** A change or incident reference; required where policy says `requireTicket`. */
  ticket?: string | null;
  breakGlass?: boolean;
  /** Scheduled access: when the access should start (ISO time); absent or null = as soon as approved. */
  startsAt?: string | null;
  /** The time now (the caller's clock): a start time is checked against it. */
  now?: Date;
}

/** The terms a request is created with (core/requests' NewRequest takes these). */
export interface RequestTerms {
  ok: true;
  registryPolicy: RegistryPolicy;
  rule: string;
  /** Null = permanent. */
  durationMs: number | null;
  reason: string;
  /** The ticket reference, trimmed; null when none was given (and none is required). */
  ticket: string | null;
  requiredApprovals: number;
  pendingTimeoutMs: number;
  reminderIntervalMs: number | null;
  breakGlass: boolean;
  /** When the access window opens (ISO time, in the future); null = as soon as approved. */
  startsAt: string | null;
  /** Break-glass requests go to every approver and notify channel, not only the thread. */
  notifyAllApprovers: boolean;
  approvers: ApproverEntry[];
  /** Adjustments to say to the requester ("shortened to 1d"). */
  notes: string[];
}

export type PlanRefusalCode =
  | 'no_policy'
  | 'unknown_identity'
  | 'channel_not_allowed'
  | 'no_approvers'
  | 'reason_required'
  | 'break_glass_not_allowed'
  | 'invalid_rule'
  | 'ipv6_not_supported'
  | 'host_bits_set'
  | 'everything'
  | 'too_wide'
  | 'not_public'
  | 'permanent_not_allowed'
  | 'invalid_duration'
  | StartRefusalCode
  | TicketRefusalCode;

/** Longest reason kept; longer ones are cut so cards and audit rows stay readable (the forms stop there too). */
export const MAX_REASON = REASON_MAX;

export function planRequest(
  policy: Policy,
  ask: RequestAsk,
): RequestTerms | (Refusal<PlanRefusalCode> & { suggestion?: string }) {
  const allowed = canRequest(policy, ask.actor, ask.channel, ask.registry);
  if (!allowed.ok) return allowed;
  const p = allowed.policy;
  const breakGlass = ask.breakGlass === true;

  if (breakGlass) {
    if (!p.breakGlass.enabled) {
      return {
        ok: false,
        code: 'break_glass_not_allowed',
        reason: `Break-glass is not enabled for ${ask.registry.name} (${p.source}); ask the approvers instead.`,
      };
    }
    const who = verifyIdentity(ask.actor);
    if (p.breakGlass.allowedFor === 'approvers' && (!who.ok || matchApprover(who.identity, p.approvers) === null)) {
      return {
        ok: false,
        code: 'break_glass_not_allowed',
        reason: `Only approvers of ${ask.registry.name} may use break-glass (${p.source}).`,
      };
    }
  }
  return termsFor(p, { ...ask, breakGlass });
}

/** What every way of asking shares once policy has said who may ask: the reason, the ticket, the rule, the duration. */
export type TermsAsk = Pick<
  RequestAsk,
  'registry' | 'rule' | 'duration' | 'reason' | 'ticket' | 'breakGlass' | 'startsAt' | 'now'
>;

/** The terms under these settings, or the refusal that says what to change. */
export function termsFor(
  p: RegistryPolicy,
  ask: TermsAsk,
): RequestTerms | (Refusal<PlanRefusalCode> & { suggestion?: string }) {
  const breakGlass = ask.breakGlass === true;
  const reason = (ask.reason ?? '').trim().slice(0, MAX_REASON);
  if ((p.requireReason || breakGlass) && reason === '') {
    return {
      ok: false,
      code: 'reason_required',
      reason: breakGlass ? REQUEST_FORM_WORDS.reason.missingBreakGlass : REQUEST_FORM_WORDS.reason.missing,
    };
  }

  const ticket = checkTicket(p, ask.ticket);
  if (!ticket.ok) return ticket;

  // Break-glass is for one address only, whatever the policy's broadest prefix.
  const rule = checkRule(breakGlass ? { broadestPrefix: 32, source: `${p.source}.breakGlass` } : p, ask.rule);
  if (!rule.ok) return rule;
  const duration = clampDuration(p, ask.duration, { breakGlass });
  if (!duration.ok) return duration;
  const start = checkStart(p, ask, breakGlass);
  if (!start.ok) return start;

  const notes: string[] = [];
  if (duration.note) notes.push(duration.note);
  if (breakGlass)
    notes.push(
      `Break-glass: you can approve this yourself for at most ${formatDuration(p.breakGlass.maxDurationMs)}; every approver is notified.`,
    );

  return {
    ok: true,
    registryPolicy: p,
    rule: rule.rule,
    durationMs: duration.durationMs,
    reason,
    ticket: ticket.ticket,
    requiredApprovals: p.minApprovals,
    pendingTimeoutMs: p.pendingTimeoutMs,
    reminderIntervalMs: p.reminderIntervalMs,
    breakGlass,
    startsAt: start.startsAt,
    notifyAllApprovers: breakGlass,
    approvers: p.approvers,
    notes,
  };
}
