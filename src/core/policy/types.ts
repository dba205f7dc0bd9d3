/**
 * The approval policy after validation: who may request which registries from which channels, who approves, and
 * the limits on what can be granted. Durations are milliseconds; `null` durations mean "permanent" / "off".
 * The YAML shape is documented key by key in policy.example.yaml; `validatePolicy` maps one onto the other.
 */

/**
 * One entry of an approver list. Matching is by stable id or by a directory email only (see identity.ts):
 * - `email`: an email address or Teams UPN, lower-cased; matched against the actor's platform-provided email/UPN;
 * - `slack`: a Slack user id (`U…`/`W…`);
 * - `teams`: a Teams user's Azure AD (Entra ID) object id, lower-cased;
 * - `group`: an Entra group object id or a Slack user-group id (`S…`); matches only when the chat adapter resolved
 *   the actor's groups.
 * `name` is for display only: cards say "Megan Bowen" instead of an object id.
 */
export type ApproverEntry = {
  kind: 'email' | 'slack' | 'teams' | 'group';
  value: string;
  /** How cards name this approver (`name:` next to the id in the policy file); never used for matching. */
  name?: string;
};

/**
 * A registry selector: a name glob (`prod-*`, `*`; matched case-insensitively against the registry name) or an ARM
 * resource-id prefix (`/subscriptions/<id>/resourceGroups/<rg>`; matched on whole path segments).
 */
export type RegistryPattern = { kind: 'glob'; text: string } | { kind: 'resource_id_prefix'; text: string };

/** Where a request may come from: a Teams conversation/channel, a Slack channel, or any direct chat with the bot. */
export type ChannelSelector = { kind: 'teams'; id: string } | { kind: 'slack'; id: string } | { kind: 'direct' };

export interface ChannelRule {
  selector: ChannelSelector;
  registries: RegistryPattern[];
  /** Key path in the policy file, for explanations ("channels[2]"). */
  source: string;
}

/** The settings that apply to one registry: the defaults with the first matching `registries[]` entry on top. */
export interface RegistryPolicy {
  /** Which part of the policy produced this ("defaults", "registries[1]"), for explanations and audit. */
  source: string;
  approvers: ApproverEntry[];
  /** N of N-of-M: distinct approvers needed before a request is approved. */
  minApprovals: number;
  /** May an approver approve their own request (it then counts as one of the N approvals)? */
  selfApproval: boolean;
  breakGlass: {
    enabled: boolean;
    /** Longest break-glass grant; always a single address (/32). */
    maxDurationMs: number;
    /** `approvers`: only the registry's approvers may break glass for themselves; `requesters`: anyone who may request. */
    allowedFor: 'approvers' | 'requesters';
  };
  durations: { defaultMs: number; maxMs: number };
  allowPermanent: boolean;
  /** Widest rule allowed, as a prefix length (32 = single addresses only). 0.0.0.0/0 is refused regardless. */
  broadestPrefix: number;
  requireReason: boolean;
  /** Must a request name a change or incident ticket (shown on its cards, carried in its audit)? */
  requireTicket: boolean;
  /** How long a request may wait for approvers before it times out. */
  pendingTimeoutMs: number;
  /** How often approvers are reminded of a pending request; null = never. */
  reminderIntervalMs: number | null;
  /** Where approval cards go besides the request's own thread. */
  notify: { channels: ChannelSelector[]; directMessages: boolean };
  /** How far ahead a request may ask its access to start; null = scheduled access is off (access starts when applied). */
  maxLeadTimeMs: number | null;
  /** Rules that approve a request without a person, first match wins (see auto-approve.ts in core/approvals). */
  autoApprove: AutoApproveRule[];
}

/** The days of a week as policy writes them; index = `Date#getUTCDay()` numbering (0 = Sunday). */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * A weekly time-of-day window in a named IANA time zone: `from` to `to` (minutes after local midnight) on each of
 * `days`. When `to` is not after `from` the window runs past midnight into the next day (22:00–06:00 on fri ends on
 * saturday morning); `from` equal to `to` is refused by the validator (it would never match).
 */
export interface TimeWindow {
  days: Weekday[];
  fromMinute: number;
  toMinute: number;
  timeZone: string;
}

/** Where the client address must belong inside the tenant. Every list given must match (AND); within a list, any. */
export interface OwnerCondition {
  /** Subscription ids (lower-case GUIDs) of the public IP or prefix resource. */
  subscriptions: string[];
  /** Resource-group name globs (lower-case) of the public IP or prefix resource. */
  resourceGroups: string[];
  /** AKS cluster name globs (lower-case) of a cluster whose outbound address it is. */
  aksClusters: string[];
}

/**
 * One auto-approval rule of a registry. Its conditions combine with AND: the requester (one of `requesters`, or a
 * member of one of `groups`), the client address's owner in the tenant, the duration, the start time's window.
 * A condition left out does not narrow; the validator refuses a rule that narrows neither requester nor owner.
 */
export interface AutoApproveRule {
  /** Where it is written ("registries[0].autoApprove[1]"). */
  source: string;
  /** How cards and the audit log name the rule ("approved by rule <name>"); unique in the policy file. */
  name: string;
  /** Individual requesters (email, slack:, teams:); empty with no groups = any requester. */
  requesters: ApproverEntry[];
  /** Policy-defined groups (top-level `groups:`) whose members match, with their members. */
  groups: Array<{ name: string; members: ApproverEntry[] }>;
  owner: OwnerCondition | null;
  /** Longest duration this rule approves; null = up to the registry's own maximum (never permanent). */
  maxDurationMs: number | null;
  window: TimeWindow | null;
}

export interface RegistryRule {
  match: RegistryPattern[];
  policy: RegistryPolicy;
}

export interface Policy {
  /** False for the built-in policy used when no POLICY_FILE is set: every request is refused with a reason. */
  configured: boolean;
  /** The file it came from, for messages; null for the built-in policy. */
  file: string | null;
  defaults: RegistryPolicy;
  /** Per-registry overrides, first match wins. */
  registries: RegistryRule[];
  /** Which channels may request for which registries; null = any channel may request for any registry. */
  channels: ChannelRule[] | null;
  /** Which CI workload identities may request through the access API; null (no `ci:` section) = none. */
  ci: CiPolicy | null;
  /** Named lists of people (top-level `groups:`), for auto-approval rules' `groups`. */
  groups: Record<string, ApproverEntry[]>;
}

/**
 * How a CI job's request must be made: the federated subject its CI platform vouched for (the `sub` of the platform's
 * own OIDC token, which the Entra ID access token does not carry), exactly or by a pattern where `*` stands for any
 * run of characters other than `:`, from the named token issuer.
 */
export interface SubjectRule {
  kind: 'exact' | 'pattern';
  text: string;
  /** The OIDC issuer of the CI platform's token (`iss`), e.g. GitHub Actions' `https://token.actions.githubusercontent.com`. */
  issuer: string;
}

/** One workload identity (app registration or managed identity) and what it may ask for. */
export interface CiIdentity {
  /** Where it is written ("ci.identities[0]"), for explanations and audit. */
  source: string;
  /** How cards and the audit log name it. */
  name: string;
  /** The application (client) id: the token's `appid` (v1) or `azp` (v2); lower-case GUID. Null = any. */
  appId: string | null;
  /** The service principal's or managed identity's object id: the token's `oid`; lower-case GUID. Null = any. */
  objectId: string | null;
  /** Null = any subject, or none at all. */
  subject: SubjectRule | null;
  registries: RegistryPattern[];
  /** Within the registry's own limits: a CI grant is never longer than either. */
  durations: { defaultMs: number; maxMs: number };
  /** `auto`: approved by this entry at once (every guardrail still applies); `approvers`: the registry's approvers decide. */
  approval: 'auto' | 'approvers';
}

export interface CiPolicy {
  identities: CiIdentity[];
}

/** The registry a request is about, once resolved: its ARM resource id and name (how a person named it is core/registry-ref). */
export interface NamedRegistry {
  id: string;
  name: string;
}

/** Where a request was made. `direct` is true for a 1:1 chat with the bot (Teams personal chat, Slack DM). */
export interface ChannelRef {
  platform: 'teams' | 'slack' | 'cli';
  /** Teams conversation id (a `;messageid=` suffix is ignored) / Slack channel id. */
  conversationId: string;
  /** Teams channel id inside a team (`19:…@thread.tacv2`), when known. */
  channelId?: string | null;
  direct?: boolean;
}

/** A refusal that says why, in words a chat user can act on. `code` is for programs and tests. */
export interface Refusal<C extends string = string> {
  ok: false;
  code: C;
  reason: string;
}
