/**
 * Bolt listeners: Slack events in, ChatHandler calls, rendered replies out. Thin by design: no product decision is
 * made here beyond "which Slack surface shows this reply".
 *
 * - `message` / `app_mention`: posts.ts (bots and non-post subtypes ignored, answered in the post's thread).
 * - `/acr`: acked at once (empty 200), answered privately through response_url, once per signed request.
 * - Buttons: `ack()` is the first statement of every action listener, before any handler or Azure call. A click
 *   that may lead to a form, or Details, opens its modal right after the ack (forms.ts), so the answer reaches only
 *   the clicker and the channel's message stays as everyone sees it; modal submissions are handled there too.
 */
import type { App, RespondFn, webApi } from '@slack/bolt';
import type { ActionResult, ConversationRef } from '../../app/chat.js';
import { DIAGNOSIS_WORDS } from '../../core/diagnose/words.js';
import type { Reply } from '../../core/reply.js';
import { postPrivately, replaceMessage, respondPrivately } from './deliver.js';
import {
  formModal,
  metadataFor,
  MODAL_VERBS,
  openLoading,
  openModal,
  registerFormSubmissions,
  runAction,
  updateModal,
} from './forms.js';
import { slackConversationKind, type SlackMessageEvent } from './incoming.js';
import { createPostHandler, type PostContext, type PostHandler } from './posts.js';
import { renderReply, type RetryValue } from './render/index.js';
import { outcomeModal } from './render/modal.js';
import { signedRequestId } from './receiver.js';
import { ACR_COMMAND, ACTION_IDS, HANDLER_ACTIONS, oneOf } from './settings.js';

type WebClient = webApi.WebClient;

export type ListenerContext = PostContext;

function parseValue(value: unknown): Record<string, unknown> {
  if (typeof value !== 'string' || value === '') return {};
  try {
    const v: unknown = JSON.parse(value);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The parts of a block_actions payload we read. */
interface BlockActionsBody {
  user: { id: string };
  team?: { id?: string } | null;
  channel?: { id?: string };
  container?: { message_ts?: string; thread_ts?: string; is_ephemeral?: boolean; channel_id?: string };
  message?: { ts?: string; thread_ts?: string };
  trigger_id?: string;
}

function actionConversation(body: BlockActionsBody, teamId: string | null): ConversationRef {
  const channel = body.channel?.id ?? body.container?.channel_id ?? '';
  const messageTs = body.message?.ts ?? body.container?.message_ts ?? null;
  return {
    platform: 'slack',
    kind: slackConversationKind(channel),
    conversationId: channel,
    threadId: body.message?.thread_ts ?? body.container?.thread_ts ?? messageTs,
    messageId: messageTs,
    teamId: body.team?.id ?? teamId,
    channelId: channel,
  };
}

/** Registers every listener; returns the post handler, which the HTTP receiver also calls for `message` events. */
export function registerListeners(app: App, ctx: ListenerContext): PostHandler {
  const { chat, actors, self, logger } = ctx;

  const onPost = createPostHandler(ctx);

  // In HTTP mode the receiver hands `message` events to the same handler without Bolt (direct.ts).
  app.event('message', async ({ event, body, client }) => {
    await onPost(event as unknown as SlackMessageEvent, (body as { team_id?: string }).team_id, client);
  });
  app.event('app_mention', async ({ event, body, client }) => {
    await onPost(event as unknown as SlackMessageEvent, (body as { team_id?: string }).team_id, client);
  });

  app.command(ACR_COMMAND, async ({ command, body, ack, respond }) => {
    await ack();
    // Once per signed request, across instances: a replay of the same signed command gets the ack and nothing else.
    const requestId = signedRequestId(body);
    const onceKey = requestId ? `slack:command:${requestId}` : undefined;
    const conversation: ConversationRef = {
      platform: 'slack',
      // Slash commands name the channel kind: `directmessage`, `privategroup`, `mpdm-…` or the channel's name.
      kind:
        command.channel_name === 'directmessage'
          ? 'personal'
          : command.channel_name?.startsWith('mpdm-')
            ? 'group'
            : 'channel',
      conversationId: command.channel_id,
      threadId: null,
      messageId: null,
      teamId: command.team_id ?? self.teamId,
      channelId: command.channel_id,
      platformData: { via: 'slash_command' },
    };
    const actor = await actors.actor(command.user_id);
    let reply: Reply | null;
    try {
      reply = await chat.onMessage({
        text: command.text ?? '',
        addressed: true,
        actor,
        conversation,
        ...(onceKey ? { onceKey } : {}),
      });
      // An addressed message always gets a reply unless its once-key was claimed before: this is a replay.
      if (reply === null && onceKey) return void logger.warn('replayed /acr request ignored: it was answered once');
    } catch (err) {
      logger.error({ err }, 'chat handler failed on /acr');
      reply = {
        type: 'notice',
        tone: 'error',
        title: 'Something went wrong',
        text: 'I could not run that command. The error is logged.',
      };
    }
    // A command always gets an answer: words the handler does not take show how to use it.
    await respondPrivately(respond, logger, renderReply(reply ?? { type: 'help' }, { snapshot: true }));
  });

  const forms = { chat, actors, self, logger };
  registerFormSubmissions(app, forms);

  // One listener for every handler verb: Bolt runs each listener's middleware for every event it receives, chatter
  // included, so one listener per verb multiplied that work by the number of verbs.
  const handlerVerbs = new Set(HANDLER_ACTIONS);
  app.action(
    { type: 'block_actions', action_id: oneOf(HANDLER_ACTIONS) },
    async ({ ack, body, action, client, respond }) => {
      await ack();
      const verb = (action as { action_id?: unknown }).action_id;
      if (typeof verb !== 'string' || !handlerVerbs.has(verb)) return;
      const b = body as unknown as BlockActionsBody;
      // The trigger expires ~3 s after the click: open the modal now, fill it when the handler has answered.
      const modal = MODAL_VERBS.has(verb) && b.trigger_id ? openLoading(client, logger, b.trigger_id, verb) : null;
      const conversation = actionConversation(b, self.teamId);
      const data = parseValue((action as { value?: unknown }).value);
      const result = await runAction(forms, verb, data, b.user.id, conversation);
      const viewId = modal ? await modal : null;
      if (result === null) {
        if (viewId) await updateModal(client, logger, viewId, outcomeModal(renderReply(NOTHING_TO_DO)));
        return;
      }
      const title = verb === ACTION_IDS.details ? DIAGNOSIS_WORDS.details : undefined;
      await deliverActionReply(client, respond, b, conversation, result, {
        viewId,
        triggerUsed: modal !== null,
        title,
      });
    },
  );

  // URL buttons still send block_actions; Slack shows a warning unless they are acknowledged.
  app.action({ type: 'block_actions', action_id: ACTION_IDS.learnMore }, async ({ ack }) => {
    await ack();
  });

  // Try again on a retryable notice: read the same words again and replace the notice with the new answer.
  app.action({ type: 'block_actions', action_id: ACTION_IDS.retry }, async ({ ack, body, action, client, respond }) => {
    await ack();
    const b = body as unknown as BlockActionsBody;
    const data = parseValue((action as { value?: unknown }).value);
    if (typeof data.text !== 'string' || data.text === '') return;
    const conversation = actionConversation(b, self.teamId);
    const retry: RetryValue = { text: data.text, addressed: data.addressed === true };
    const reply = await chat.onMessage({ ...retry, actor: await actors.actor(b.user.id), conversation });
    if (reply === null) return;
    const message = renderReply(reply, { retry });
    if (conversation.messageId && conversation.conversationId && !b.container?.is_ephemeral) {
      await replaceMessage(client, logger, conversation.conversationId, conversation.messageId, message);
    } else if (respond) {
      await respondPrivately(respond, logger, message, true);
    }
  });

  return onPost;

  /**
   * `form` → the modal (the one opened after the ack when there is one, else a new one while the trigger lasts);
   * `update` → chat.update of the clicked card; `private` → ephemeral. With a modal open, a non-form answer is shown
   * in it (the person is looking at it) instead of an ephemeral message; an `update` also replaces the card.
   */
  async function deliverActionReply(
    client: WebClient,
    respond: RespondFn | undefined,
    body: BlockActionsBody,
    conversation: ConversationRef,
    result: ActionResult,
    modal: { viewId: string | null; triggerUsed: boolean; title?: string | undefined },
  ): Promise<void> {
    const { viewId } = modal;
    const ephemeralSource = body.container?.is_ephemeral === true;
    if (result.delivery === 'form') {
      const view = formModal(result.reply, metadataFor(conversation, {}, false, ephemeralSource), logger);
      if (view && viewId && (await updateModal(client, logger, viewId, view))) return;
      // A trigger works once: when the loading modal could not use it, a second views.open would fail the same way.
      if (view && !modal.triggerUsed && body.trigger_id && (await openModal(client, logger, body.trigger_id, view)))
        return;
    }
    const replace =
      result.delivery === 'update' &&
      conversation.messageId !== null &&
      conversation.conversationId !== '' &&
      !ephemeralSource;
    if (replace)
      await replaceMessage(
        client,
        logger,
        conversation.conversationId,
        conversation.messageId!,
        renderReply(result.reply),
      );
    // Every answer from here on is one the bot can never update: a request in it is a snapshot.
    const message = renderReply(result.reply, { snapshot: true });
    if (viewId && (await updateModal(client, logger, viewId, outcomeModal(message, modal.title)))) return;
    if (replace) return;
    if (ephemeralSource && respond) {
      await respondPrivately(respond, logger, message, result.delivery === 'update');
      return;
    }
    await postPrivately(
      client,
      logger,
      {
        channel: conversation.conversationId || null,
        user: body.user.id,
        threadTs: conversation.threadId,
        ...(respond ? { respond } : {}),
      },
      message,
    );
  }
}

const NOTHING_TO_DO: Reply = {
  type: 'notice',
  tone: 'info',
  title: 'Nothing to do',
  text: 'This button is no longer in use.',
};
