import type { Actor } from '../core/actor.js';
import type { Reply } from '../core/reply.js';

/**
 * The seam between chat adapters (Teams, Slack) and the use cases. Adapters turn a platform event into one of
 * these, call the handler, and render the Reply it returns; they hold no product logic of their own.
 */

/** Where a message lives, so the bot can answer in its thread later and update its cards in place. */
export interface ConversationRef {
  platform: 'teams' | 'slack';
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
  actor: Actor;
  conversation: ConversationRef;
}

/** A button click or card action, already authenticated by the platform adapter. */
export interface IncomingAction {
  /** Verb: `show_rules`, `request_access`, … (the approval flow adds its own). */
  verb: string;
  /** The action's data as the renderer put it on the button. Untrusted: validated by the handler. */
  data: Record<string, unknown>;
  actor: Actor;
  conversation: ConversationRef;
}

export interface ChatHandler {
  /** A Reply to post in the message's thread, or null to stay quiet (unrecognised chatter). */
  onMessage(message: IncomingMessage): Promise<Reply | null>;
  /** A Reply that replaces the card the action came from (or is posted, per platform), or null for nothing. */
  onAction(action: IncomingAction): Promise<Reply | null>;
}
