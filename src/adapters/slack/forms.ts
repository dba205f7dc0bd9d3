/**
 * Forms in Slack are modals. This module opens them, fills them in and takes their submissions; which form, and
 * what a submit means, is the use case's decision (ChatHandler.onAction).
 *
 * Timing: a click's `trigger_id` is valid for about 3 s, and building a form may need Azure (the use case re-reads
 * the registry). So a click that can lead to a form (FORM_VERBS) opens a small "one moment" modal right after the
 * ack, while the handler runs; its answer then replaces that modal (`views.update` by view id, which has no 3 s
 * limit): the form, or, when the answer is not a form (a refusal, "not authorized"), the answer itself.
 *
 * A submission is validated (a required reason), acknowledged at once (the modal closes), handed to
 * `chat.onAction` as `{ verb: callback_id, data: { ...submitData, reason, duration, breakGlass } }`, and its answer
 * delivered: `private` → ephemeral in the original thread (a DM when that fails), `update` → `chat.update` of the
 * card the form came from, `form` → a new modal with the submission's own trigger_id.
 */
import type { App, ViewSubmitAction, webApi } from '@slack/bolt';
import type { ActionResult, ChatHandler, ConversationRef } from '../../app/chat.js';
import { APPROVAL_VERBS } from '../../core/approval-views.js';
import { DECISION_FORM_WORDS, REQUEST_FORM_WORDS } from '../../core/approvals/form-words.js';
import { DIAGNOSIS_WORDS } from '../../core/diagnose/words.js';
import type { Reply } from '../../core/reply.js';
import type { Logger } from '../../log.js';
import { postPrivately, replaceMessage, slackErrorCode } from './deliver.js';
import {
  conversationOfMetadata,
  decodeMetadata,
  encodeMetadata,
  metadataFor,
  readInputs,
  submissionErrors,
  type FormMetadata,
} from './modals.js';
import { renderReply } from './render/index.js';
import {
  decisionFormModal,
  loadingModal,
  modalProblems,
  outcomeModal,
  requestFormModal,
  type ModalView,
} from './render/modal.js';
import { ACTION_IDS, oneOf, VIEW_CALLBACK_IDS } from './settings.js';
import type { SlackActors } from './users.js';

type WebClient = webApi.WebClient;

/** Clicks whose answer may be a form (APPROVAL_VERBS: "opens the … form"). */
export const FORM_VERBS: ReadonlySet<string> = new Set([
  APPROVAL_VERBS.requestAccess,
  APPROVAL_VERBS.deny,
  APPROVAL_VERBS.narrow,
  APPROVAL_VERBS.extend,
  APPROVAL_VERBS.revoke,
]);

/** Clicks answered in a modal: the forms, and Details of a compact diagnosis (shown to the clicker alone). */
export const MODAL_VERBS: ReadonlySet<string> = new Set([...FORM_VERBS, ACTION_IDS.details]);

/** The loading modal's title: the title of what it becomes (core's words: form-words.ts, diagnose/words.ts). */
const LOADING_TITLE: Record<string, string> = {
  [ACTION_IDS.details]: DIAGNOSIS_WORDS.details,
  [APPROVAL_VERBS.requestAccess]: REQUEST_FORM_WORDS.title,
  [APPROVAL_VERBS.deny]: DECISION_FORM_WORDS.deny.title,
  [APPROVAL_VERBS.narrow]: DECISION_FORM_WORDS.narrow.title,
  [APPROVAL_VERBS.extend]: DECISION_FORM_WORDS.extend.title,
  [APPROVAL_VERBS.revoke]: DECISION_FORM_WORDS.revoke.title,
};

const SOMETHING_WENT_WRONG: Reply = {
  type: 'notice',
  tone: 'error',
  title: 'Something went wrong',
  text: 'That did not work. The error is logged.',
};

export interface FormContext {
  chat: ChatHandler;
  actors: SlackActors;
  self: { teamId: string | null };
  logger: Logger;
}

/** The modal for a form Reply, or null when the reply is not a form or the modal would break Slack's limits. */
export function formModal(reply: Reply, meta: FormMetadata, logger: Logger): ModalView | null {
  if (reply.type !== 'request_form' && reply.type !== 'decision_form') return null;
  const withData = {
    ...meta,
    submitData: reply.form.submitData,
    reasonRequired: reply.form.reasonRequired,
    ...(reply.type === 'request_form' && reply.form.ticketRequired ? { ticketRequired: true as const } : {}),
  };
  const metadata = encodeMetadata(withData);
  if (metadata === null) {
    logger.error({ type: reply.type }, 'slack form metadata over 3000 characters: the form is answered as a message');
    return null;
  }
  const view =
    reply.type === 'request_form' ? requestFormModal(reply.form, metadata) : decisionFormModal(reply.form, metadata);
  const problems = modalProblems(view);
  if (problems.length > 0) {
    logger.error(
      { problems: problems.slice(0, 10) },
      'slack form breaks modal limits: the form is answered as a message',
    );
    return null;
  }
  return view;
}

/** views.open right after the ack; resolves with the view id, or null when Slack refused (an expired trigger). */
export function openLoading(
  client: WebClient,
  logger: Logger,
  triggerId: string,
  verb: string,
): Promise<string | null> {
  return client.views
    .open({ trigger_id: triggerId, view: loadingModal(LOADING_TITLE[verb] ?? 'ACR access') as never })
    .then(
      (res) => (typeof res.view?.id === 'string' ? res.view.id : null),
      (err: unknown) => {
        logger.warn(
          { error: slackErrorCode(err) ?? (err instanceof Error ? err.message : String(err)), verb },
          'slack views.open failed',
        );
        return null;
      },
    );
}

/** Replace an open modal; false when it is gone (closed by the person) or Slack refused. */
export async function updateModal(
  client: WebClient,
  logger: Logger,
  viewId: string,
  view: ModalView,
): Promise<boolean> {
  try {
    await client.views.update({ view_id: viewId, view: view as never });
    return true;
  } catch (err) {
    logger.warn(
      { error: slackErrorCode(err) ?? (err instanceof Error ? err.message : String(err)) },
      'slack views.update failed',
    );
    return false;
  }
}

/** Open a modal with a fresh trigger; false when the trigger expired or Slack refused. */
export async function openModal(
  client: WebClient,
  logger: Logger,
  triggerId: string,
  view: ModalView,
): Promise<boolean> {
  try {
    await client.views.open({ trigger_id: triggerId, view: view as never });
    return true;
  } catch (err) {
    logger.warn(
      { error: slackErrorCode(err) ?? (err instanceof Error ? err.message : String(err)) },
      'slack views.open failed',
    );
    return false;
  }
}

/** Run the handler for one action; a failure becomes a private "something went wrong". */
export async function runAction(
  ctx: FormContext,
  verb: string,
  data: Record<string, unknown>,
  userId: string,
  conversation: ConversationRef,
): Promise<ActionResult | null> {
  try {
    return await ctx.chat.onAction({ verb, data, actor: await ctx.actors.actor(userId), conversation });
  } catch (err) {
    ctx.logger.error({ err, verb }, 'chat handler failed on a slack action');
    return { reply: SOMETHING_WENT_WRONG, delivery: 'private' };
  }
}

/** `view_submission` for every form's callback_id (= its submit verb). */
export function registerFormSubmissions(app: App, ctx: FormContext): void {
  // One listener for every form (Bolt runs each listener's middleware for every event it receives).
  const verbs = new Set<string>(VIEW_CALLBACK_IDS);
  app.view<ViewSubmitAction>(
    { type: 'view_submission', callback_id: oneOf(VIEW_CALLBACK_IDS) },
    async ({ ack, body, view, client }) => {
      const verb = view.callback_id;
      if (!verbs.has(verb)) return;
      const meta = decodeMetadata(view.private_metadata);
      if (meta === null) {
        await ack({ response_action: 'update', view: outcomeModal(renderReply(EXPIRED_FORM)) as never });
        return;
      }
      const inputs = readInputs(view.state.values);
      const errors = submissionErrors(meta, inputs, verb);
      if (errors !== null) {
        await ack({ response_action: 'errors', errors });
        return;
      }
      await ack();
      const conversation = conversationOfMetadata(meta, body.team?.id ?? ctx.self.teamId);
      const result = await runAction(ctx, verb, { ...meta.submitData, ...inputs }, body.user.id, conversation);
      if (result === null) return;
      await deliverSubmissionResult(
        client,
        ctx,
        { meta, conversation, userId: body.user.id, triggerId: body.trigger_id },
        result,
      );
    },
  );
}

const EXPIRED_FORM: Reply = {
  type: 'notice',
  tone: 'warning',
  title: 'This form has expired',
  text: 'Click the button on the card again to open a new one.',
};

async function deliverSubmissionResult(
  client: WebClient,
  ctx: FormContext,
  at: { meta: FormMetadata; conversation: ConversationRef; userId: string; triggerId: string | undefined },
  result: ActionResult,
): Promise<void> {
  const { logger } = ctx;
  const { meta, conversation } = at;
  if (result.delivery === 'form') {
    const modal = formModal(result.reply, meta, logger);
    if (modal && at.triggerId && (await openModal(client, logger, at.triggerId, modal))) return;
  }
  if (
    result.delivery === 'update' &&
    conversation.messageId &&
    conversation.conversationId &&
    !meta.conversation.ephemeral
  ) {
    await replaceMessage(
      client,
      logger,
      conversation.conversationId,
      conversation.messageId,
      renderReply(result.reply),
    );
    return;
  }
  // An ephemeral answer (or the DM sent instead) is never updated by the bot: a request in it is a snapshot.
  const message = renderReply(result.reply, { snapshot: true });
  await postPrivately(
    client,
    logger,
    {
      channel: conversation.conversationId || null,
      user: at.userId,
      threadTs: conversation.threadId,
      directMessageFallback: true,
    },
    message,
  );
}

export { metadataFor };
