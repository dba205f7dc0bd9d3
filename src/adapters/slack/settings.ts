/**
 * Everything the Slack app registers with Slack, in one place: the manifest test (test/unit/slack-manifest.test.ts)
 * compares manifest/slack/manifest.yaml against these lists, so the code and the app configuration cannot drift.
 */

/** Events, interactivity and the slash command all arrive here (Bolt's default path; DESIGN §2 "HTTP"). */
export const SLACK_EVENTS_PATH = '/slack/events';

/** Bot events the app subscribes to (manifest `settings.event_subscriptions.bot_events`). */
export const BOT_EVENTS = ['app_mention', 'message.channels', 'message.groups', 'message.im'] as const;

/** Slash commands (manifest `features.slash_commands[].command`). */
export const SLASH_COMMANDS = ['/acr'] as const;
export const ACR_COMMAND = SLASH_COMMANDS[0];

/** action_id of every interactive element the renderer puts on a message. */
export const ACTION_IDS = {
  requestAccess: 'request_access',
  showRules: 'show_rules',
  learnMore: 'learn_more',
  retry: 'retry',
} as const;
export type ActionId = (typeof ACTION_IDS)[keyof typeof ACTION_IDS];

/** Actions handed to ChatHandler.onAction (the verb is the action_id). Others are handled in the adapter. */
export const HANDLER_ACTIONS: readonly ActionId[] = [ACTION_IDS.requestAccess, ACTION_IDS.showRules];

/**
 * Bot token scopes, each with the call or event that needs it. `users:read.email` gives the requester's email
 * from users.info (approver matching in policy); without it the actor's email is null.
 */
export const BOT_SCOPES = {
  'app_mentions:read': 'app_mention events',
  'channels:history': 'message.channels (pasted errors in public channels)',
  'groups:history': 'message.groups (private channels)',
  'im:history': 'message.im (direct messages)',
  'chat:write': 'chat.postMessage, chat.update, chat.postEphemeral',
  commands: 'the /acr slash command',
  'users:read': 'users.info (display name)',
  'users:read.email': 'users.info profile.email (requester identity for approvals)',
} as const;
export type BotScope = keyof typeof BOT_SCOPES;
