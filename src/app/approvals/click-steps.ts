/**
 * The steps every click on a request card shares: load the request the button names, key the click (the same
 * person clicking the same button on the same version of the card is one click), refuse privately (auditing refusals
 * about authority), and settle a store transition into the clicker's answer, running its side effects (card
 * updates, messages, the worker) in the background once the change committed.
 */
import { samePerson } from '../../core/policy/identity.js';
import { MAX_REASON } from '../../core/policy/plan.js';
import type { Refusal } from '../../core/policy/types.js';
import type { AccessRequest } from '../../core/requests/index.js';
import type { Reply } from '../../core/reply.js';
import type { ActionResult, IncomingAction } from '../chat.js';
import type { TransitionOutcome } from '../store.js';
import { answerView } from './copies.js';
import type { Ctx } from './deps.js';
import type { Publisher } from './publish.js';
import { recordRefusal } from './refusals.js';
import { notice } from './views.js';
import type { RegistryWorker } from './worker.js';

const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Refusal codes that are about authority (audited), not about timing. */
const AUTHORITY = new Set([
  'no_policy',
  'unknown_identity',
  'not_an_approver',
  'self_approval',
  'not_requester',
  'channel_not_allowed',
]);

export function private_(reply: Reply): ActionResult {
  return { reply, delivery: 'private' };
}

export function reasonOf(data: Record<string, unknown>): string | null {
  const r = data.reason;
  if (typeof r !== 'string') return null;
  const t = r.trim().slice(0, MAX_REASON);
  return t === '' ? null : t;
}

export function isRequester(r: AccessRequest, action: IncomingAction): boolean {
  return samePerson(r.requester, { platform: action.actor.platform, id: action.actor.id, email: action.actor.email });
}

export class ClickSteps {
  constructor(
    protected readonly ctx: Ctx,
    protected readonly publisher: Publisher,
    protected readonly worker: RegistryWorker,
  ) {}

  protected async load(action: IncomingAction): Promise<AccessRequest | ActionResult> {
    const id = action.data.requestId;
    if (typeof id !== 'string' || !REQUEST_ID.test(id))
      return private_(notice('error', 'Unknown request', 'This button does not name a request the bot knows.'));
    const r = await this.ctx.store.getRequest(id);
    if (!r)
      return private_(
        notice(
          'warning',
          'Request not found',
          'The bot has no record of this request (it may come from another installation of the bot).',
        ),
      );
    return r;
  }

  /** The same person clicking the same button on the same version of the card is one click. */
  protected clickKey(action: IncomingAction, r: AccessRequest): string {
    const v =
      typeof action.data.version === 'number' || typeof action.data.version === 'string'
        ? String(action.data.version).slice(0, 12)
        : 'x';
    return `click:${action.verb}:${r.id}:${action.actor.platform}:${action.actor.id.toLowerCase()}:v${v}`;
  }

  /** The clicker's own view; where it takes the clicked card's place in a 1:1 chat, that copy is kept current. */
  protected view(r: AccessRequest, action: IncomingAction, banner: string | null = null): Promise<ActionResult> {
    return answerView(this.ctx, r, action, banner);
  }

  protected async refuse(action: IncomingAction, r: AccessRequest, refusal: Refusal): Promise<ActionResult> {
    if (AUTHORITY.has(refusal.code)) {
      await recordRefusal(this.ctx, action, r, refusal);
      return private_(notice('warning', 'Not authorized', refusal.reason));
    }
    if (refusal.code === 'not_pending') return this.view(r, action, refusal.reason);
    return private_(notice('info', 'Nothing to do', refusal.reason));
  }

  /** A transition's outcome as the clicker's answer; `after` runs the side effects of a change that was made. */
  protected async settle(
    action: IncomingAction,
    out: TransitionOutcome,
    after: (r: AccessRequest) => { banner: string; effects: () => Promise<void> },
  ): Promise<ActionResult> {
    if (!out.ok) {
      if (out.request === null) return private_(notice('warning', 'Request not found', out.reason));
      if (out.code === 'self_approval')
        return this.refuse(action, out.request, { ok: false, code: 'self_approval', reason: out.reason });
      if (out.code === 'already_decided' || out.code === 'invalid_transition' || out.code === 'stale')
        return this.view(out.request, action, out.reason);
      if (out.code === 'already_approved') return this.view(out.request, action, out.reason);
      return private_(notice('warning', 'Not done', out.reason));
    }
    if (out.duplicate)
      return this.view(out.request, action, 'Your click was already counted; here is where the request stands.');
    const { banner, effects } = after(out.request);
    this.ctx.background(`after ${action.verb}`, effects);
    // The card clicked showed an older version (another approval, a narrowing): say so, the answer shows it as it is.
    const shown = Number(action.data.version);
    const stale = Number.isInteger(shown) && shown > 0 && shown < out.request.version - 1;
    return this.view(
      out.request,
      action,
      stale ? `${banner} (Your card was out of date; this is the request as it is now.)` : banner,
    );
  }
}
