/**
 * Copies of a request card beyond the ones the publisher posts: a click answered with the request's card where the
 * answer took the clicked card's place, in a 1:1 chat (only the clicker reads it), is one more copy, drawn for that
 * person and kept up to date like the others; and the view each recorded copy is drawn with. Every answer that shows
 * a request goes through answerView, so none of them (a submit's, a "here is where it stands") is left untracked.
 */
import type { RequestView } from '../../core/approval-views.js';
import { samePerson } from '../../core/policy/identity.js';
import type { AccessRequest } from '../../core/requests/index.js';
import type { ActionResult, IncomingAction } from '../chat.js';
import type { CardRecord } from '../store.js';
import type { Ctx } from './deps.js';
import { namedOn } from './names.js';
import { conversationView, personalView, requestReply, roleView, type Viewing } from './views.js';

/**
 * The clicker's own view of `r` as a private answer; where it takes the clicked card's place, it is kept current.
 * Names come from the people directory's store when this instance has none lately; no platform lookup waits here.
 */
export async function answerView(
  ctx: Ctx,
  r: AccessRequest,
  action: IncomingAction,
  banner: string | null,
): Promise<ActionResult> {
  ctx.background('cards: answered copy', () => rememberAnswer(ctx, r, action));
  await ctx.people.prime(namedOn(ctx.policy, r), null, 0);
  return { reply: requestReply(personalView(ctx, r, action.actor, banner)), delivery: 'private' };
}

/** Record the clicked card as a copy of `r` drawn for the clicker; a message already recorded keeps its record. */
async function rememberAnswer(ctx: Ctx, r: AccessRequest, action: IncomingAction): Promise<void> {
  const c = action.conversation;
  const a = action.actor;
  const platform = a.platform;
  if (!action.answerReplacesCard || c.kind !== 'personal' || !c.messageId || platform === 'cli') return;
  try {
    const known = await ctx.store.listCards(r.id);
    if (known.some((k) => k.messageId === c.messageId && k.conversation.conversationId === c.conversationId)) return;
    await ctx.store.saveCard({
      requestId: r.id,
      purpose: 'answer',
      conversation: c,
      messageId: c.messageId,
      viewer: {
        platform,
        id: a.id,
        email: a.email,
        displayName: a.displayName,
        role: samePerson(r.requester, { platform, id: a.id, email: a.email }) ? 'requester' : 'approver',
      },
    });
  } catch (err) {
    ctx.logger.warn({ err, requestId: r.id }, 'could not record an answered card; it will not be updated in place');
  }
}

/** The view a recorded copy is drawn with: its person's own view, else by its purpose. */
export function copyView(v: Viewing, card: CardRecord, r: AccessRequest, banner: string | null): RequestView {
  const who = card.viewer;
  if (card.purpose === 'answer' && who && who.id !== '')
    return personalView(
      v,
      r,
      { platform: who.platform, id: who.id, email: who.email, displayName: who.displayName },
      banner,
    );
  if (card.purpose === 'approver_dm') return roleView(v, r, 'approver', banner);
  if (card.purpose === 'requester_dm') return roleView(v, r, 'requester', banner);
  return conversationView(v, r, banner);
}
