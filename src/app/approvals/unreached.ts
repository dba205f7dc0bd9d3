/**
 * What people are told when a new request reached no approver: no direct message was delivered and no notify channel
 * took its card. The thread card then says who could not be reached, and the requester is told plainly in the thread
 * that nobody has heard of the request yet, so they can go and ask.
 */
import type { ApproverEntry } from '../../core/policy/types.js';
import { describeApprover } from '../../core/policy/identity.js';
import type { Reply } from '../../core/reply.js';

/** "Carol Diaz, Teams user 6f1c… or group S0PLAT". */
function people(entries: ApproverEntry[]): string {
  const names = entries.map(describeApprover);
  if (names.length === 0) return 'nobody (the policy names no approver)';
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/** The card's banner: who could not be reached. */
export function unreachedBanner(entries: ApproverEntry[]): string {
  return `No approver has been told about this request: the bot could not reach ${people(entries)} (no direct message was delivered and no notify channel is set).`;
}

/** The plain words to the requester. */
export function unreachedNotice(entries: ApproverEntry[]): Reply {
  return {
    type: 'notice',
    tone: 'warning',
    title: 'Nobody has been told about your request',
    text: `The bot could not reach ${people(entries)}, and policy names no notify channel. Ask an approver yourself and point them to this request; an admin can add a notify channel to the policy so this does not happen again.`,
  };
}
