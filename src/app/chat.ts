import type { Actor } from '../core/actor.js';
import type { Reply } from '../core/reply.js';

/**
 * The seam between chat adapters (Teams, Slack) and the use cases. Adapters turn a platform event into one of
 * these, call the handler, and render the Reply it returns; they hold no product logic of their own.
 */

/** Where a message lives, so the bot can answer in its thread later and update its cards in place. */
export interface ConversationRef {
  platform: 'teams' | 'slack';
  /**
   * `personal`: a 1:1 chat with the bot (Teams personal chat, Slack DM); `group`: a group chat (Teams groupChat,
   * Slack MPIM); `channel`: a team channel / Slack channel. Policy scopes requests by it.
   */
  kind: 'personal' | 'group' | 'channel';
  /** Teams conversation id / Slack channel id. */
  conversationId: string;
  /** Teams: root message id of the thread (channel) ; Slack: thread_ts (or the message ts for a new thread). */
  threadId: string | null;
  /** The message this event is about (Teams activity id / Slack ts). */
  messageId: string | null;
  /** Teams: team id, Slack: team id. */
  teamId?: string | null;
  /** Teams: channel id in a team; Slack: same as conversationId. */
  channelId?: string | null;
  /**
   * Platform data needed to send proactively (Teams: serialised ConversationReference incl. serviceUrl; Slack:
   * nothing beyond the ids). Opaque to the core.
   */
  platformData?: Record<string, unknown>;
}

export interface IncomingMessage {
  /**
   * The message as the platform delivered it, before any normalisation: Teams text/html attachment when present
   * (else `text`), Slack `rich_text_preformatted` text when present (else `text`). The parser handles HTML,
   * entities, `<url|label>`, mentions and Markdown itself.
   */
  text: string;
  /** @mention, direct message or slash command: commands (`<registry>`, `help`, …) are allowed. */
  addressed: boolean;
  /**
   * Who wrote it, as far as the event itself says (ids; a name or email only when the platform sends them). Enough
   * to remember where someone can be reached; commands that need more ask `resolveActor`.
   */
  actor: Actor;
  /**
   * The actor with what a directory lookup adds (Slack: name and email from users.info). Called only when the
   * message is going to be answered, so chatter costs no lookup. Absent when `actor` is already complete (Teams).
   */
  resolveActor?: () => Promise<Actor>;
  conversation: ConversationRef;
  /**
   * Identifies this post across the platform's redeliveries (Slack retries and its `message` + `app_mention` pair,
   * Teams retries) or a signed slash command across replays: when set, the post is answered at most once by all the
   * instances that share the store, and a repeat gets null even when it is addressed. Absent for what is no delivery
   * of a post (the words of a Try again button).
   */
  onceKey?: string;
}

/** A button click or card action, already authenticated by the platform adapter. */
export interface IncomingAction {
  /** Verb: `show_rules`, `request_access`, … (the approval flow adds its own). */
  verb: string;
  /** The action's data as the renderer put it on the button. Untrusted: validated by the handler. */
  data: Record<string, unknown>;
  actor: Actor;
  conversation: ConversationRef;
  /**
   * The answer to this click takes the clicked card's place for the clicker (Teams Universal Actions); Slack answers
   * beside it. In a 1:1 chat such a card is one more copy of a request card, kept up to date like the others.
   */
  answerReplacesCard?: boolean;
}

/**
 * What to do with an action's Reply:
 * - `update`: replace the card the action came from, for everyone in the conversation (Teams: invoke response +
 *   updateActivity; Slack: chat.update of that message);
 * - `private`: show it only to the person who clicked (Teams: the invoke response alone; Slack: an ephemeral
 *   message), leaving the card as everyone else sees it;
 * - `form`: collect input from the person who clicked (Teams: the invoke response card with inputs; Slack: a modal
 *   opened with the click's trigger_id). Submitting comes back as another IncomingAction with the inputs in `data`.
 * Updates of other copies of a card (a request's card in a thread, an approvers' channel, DMs) are the use case's
 * job, through the Notifier.
 */
export interface ActionResult {
  reply: Reply;
  delivery: 'update' | 'private' | 'form';
}

export interface ChatHandler {
  /** A Reply to post in the message's thread, or null to stay quiet (unrecognised chatter). */
  onMessage(message: IncomingMessage): Promise<Reply | null>;
  /** What to show for a card action, or null for a verb nobody owns. */
  onAction(action: IncomingAction): Promise<ActionResult | null>;
}
