/**
 * The person behind a chat event, as far as the platform tells us. Policy matches approvers against these fields;
 * an actor without a stable id is never authorised (fail closed).
 */
export interface Actor {
  platform: 'teams' | 'slack' | 'cli';
  /** Teams: AAD object id (`from.aadObjectId`); Slack: user id (`U…`/`W…`); CLI: OS user. */
  id: string;
  /** Teams: the channel account id (`29:…`), used for mentions and `refresh.userIds`. */
  platformUserId?: string;
  displayName: string | null;
  /** Teams: UPN; Slack: email from users.info. Lower-cased. */
  email: string | null;
  /** Group object ids or Slack user-group ids, when the adapter can resolve them. */
  groups?: string[];
}
