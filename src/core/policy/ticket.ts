/**
 * A request's ticket reference (a change or incident id such as CHG0012345 or OPS-1234, or a tracker URL): one
 * check for every way a request is made (chat form, API), so what a form asks for and what the server accepts are
 * the same decision. Policy `requireTicket` makes it mandatory per registry.
 */
import { hasInvisible } from '../text/invisible.js';
import type { Refusal, RegistryPolicy } from './types.js';

/** Longest reference kept: long enough for a tracker URL, short enough for a card line. */
export const MAX_TICKET = 200;

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
      reason: `Name the change or incident ticket this access is for (for example CHG0012345): policy requires one here (${p.source}).`,
    };
  }
  if (ticket.length > MAX_TICKET || /[\n\t]/.test(ticket) || hasInvisible(ticket)) {
    return {
      ok: false,
      code: 'invalid_ticket',
      reason: `A ticket reference is one line of at most ${MAX_TICKET} printable characters: an id like CHG0012345 or the ticket's URL.`,
    };
  }
  return { ok: true, ticket };
}
