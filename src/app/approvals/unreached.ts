/**
 * What people are told when a new request reached no approver: no direct message was delivered and no notify channel
 * took its card. The request records who (`unreached`), so every copy of its card says who could not be reached, and
 * the requester is told plainly in the thread that nobody has heard of the request yet, so they can go and ask.
 * People are named as everywhere else: policy's name, the directory's, else the id.
 */
import { approverName, orList, type NameBook } from '../../core/people.js';
import type { ApproverEntry } from '../../core/policy/types.js';
import type { Reply } from '../../core/reply.js';

/** "Carol Diaz, Teams user 6f1c… or group S0PLAT". */
function people(entries: readonly ApproverEntry[], names: NameBook): string {
  return orList(
    entries.map((e) => approverName(e, names)),
    'nobody (the policy names no approver)',
  );
}

/** The card's fact: who could not be reached. */
export function unreachedText(entries: readonly ApproverEntry[], names: NameBook): string {
  return `No approver has been told about this request: the bot could not reach ${people(entries, names)} (no direct message was delivered and no notify channel is set).`;
}

/** The plain words to the requester. */
export function unreachedNotice(entries: readonly ApproverEntry[], names: NameBook): Reply {
  return {
    type: 'notice',
    tone: 'warning',
    title: 'Nobody has been told about your request',
    text: `The bot could not reach ${people(entries, names)}, and policy names no notify channel. Ask an approver yourself and point them to this request; an admin can add a notify channel to the policy so this does not happen again.`,
  };
}
