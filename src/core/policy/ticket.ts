/**
 * A request's ticket reference (a change or incident id such as CHG0012345 or OPS-1234, or a tracker URL): one
 * check for every way a request is made (chat form, API), so what a form asks for and what the server accepts are
 * the same decision. Policy `requireTicket` makes it mandatory per registry. The words are the request form's
 * (core/approvals/form-words.ts), so the form's field and the server's refusal say the same.
 */
import { MAX_TICKET, REQUEST_FORM_WORDS } from '../approvals/form-words.js';
import { hasInvisible } from '../text/invisible.js';
import type { Refusal, RegistryPolicy } from './types.js';

export { MAX_TICKET };

const W = REQUEST_FORM_WORDS.ticket;

export type TicketRefusalCode = 'ticket_required' | 'invalid_ticket';

/** The reference as given (trimmed; null when none), or why it cannot be used. */
export function checkTicket(
  p: Pick<RegistryPolicy, 'requireTicket' | 'source'>,
  raw: unknown,
): { ok: true; ticket: string | null } | Refusal<TicketRefusalCode> {
  const ticket = typeof raw === 'string' ? raw.trim() : '';
  if (ticket === '') {
    if (!p.requireTicket) return { ok: true, ticket: null };
    return {
      ok: false,
      code: 'ticket_required',
      reason: `${W.missing} ${W.requiredBy(p.source)}`,
    };
  }
  if (ticket.length > MAX_TICKET || /[\n\t]/.test(ticket) || hasInvisible(ticket)) {
    return {
      ok: false,
      code: 'invalid_ticket',
      reason: W.invalid,
    };
  }
  return { ok: true, ticket };
}
