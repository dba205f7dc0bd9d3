/**
 * Everything the Slack app registers with Slack, in one place: the manifest test (test/unit/slack-manifest.test.ts)
 * compares manifest/slack/manifest.yaml against these lists, so the code and the app configuration cannot drift.
 */
import { APPROVAL_VERBS, type ApprovalVerb, type RequestAction } from '../../core/approval-views.js';

/** Events, interactivity and the slash command all arrive here (Bolt's default path). */
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
  details: 'details',
} as const;

/**
 * Buttons on approval request cards (core/approval-views.ts RequestAction → verb). The action_id is the verb and the
 * value is JSON `{requestId, version}`; the use case re-checks every click (who may approve is its decision).
 */
export const APPROVAL_ACTION_IDS = {
  approve: APPROVAL_VERBS.approve,
  deny: APPROVAL_VERBS.deny,
  narrow: APPROVAL_VERBS.narrow,
  cancel: APPROVAL_VERBS.cancel,
  retry: APPROVAL_VERBS.retry,
  extend: APPROVAL_VERBS.extend,
  revoke: APPROVAL_VERBS.revoke,
} as const satisfies Record<RequestAction, ApprovalVerb>;

/**
 * Modal `callback_id`s: a submitted modal comes back as `view_submission` with this id, which is the submit verb
 * handed to ChatHandler.onAction (with the form's submitData and the inputs in `data`).
 */
export const VIEW_CALLBACK_IDS = [
  APPROVAL_VERBS.submitRequest,
  APPROVAL_VERBS.submitDeny,
  APPROVAL_VERBS.submitNarrow,
  APPROVAL_VERBS.submitExtend,
  APPROVAL_VERBS.submitRevoke,
] as const;

/** Actions handed to ChatHandler.onAction (the verb is the action_id). Others are handled in the adapter. */
export const HANDLER_ACTIONS: readonly string[] = [
  ACTION_IDS.requestAccess,
  ACTION_IDS.showRules,
  ACTION_IDS.details,
  ...Object.values(APPROVAL_ACTION_IDS),
  APPROVAL_VERBS.freeSlots,
];

/**
 * Bot token scopes, each with the call or event that needs it. `users:read.email` gives the requester's email
 * from users.info (approver matching in policy; without it the actor's email is null) and finds approvers named by
 * email. Modals (views.open / views.update) need no scope, only interactivity; DMs need no `im:write` because
 * chat.postMessage to a user id opens the app's DM itself.
 */
export const BOT_SCOPES = {
  'app_mentions:read': 'app_mention events',
  'channels:history': 'message.channels (pasted errors in public channels)',
  'groups:history': 'message.groups (private channels)',
  'im:history': 'message.im (direct messages)',
  'chat:write': 'chat.postMessage (incl. DMs: a user id as the channel), chat.update, chat.postEphemeral',
  commands: 'the /acr slash command',
  'users:read': 'users.info (display name; departed users are not DMed)',
  'users:read.email':
    'users.info profile.email (requester and approver identity), users.lookupByEmail (DM an approver named by email)',
} as const;

/** A pattern matching exactly one of `ids` (Bolt matches an action_id or callback_id against a RegExp). */
export function oneOf(ids: readonly string[]): RegExp {
  return new RegExp(`^(?:${ids.map((id) => id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`);
}
