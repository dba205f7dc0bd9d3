/**
 * What the approval flow shows, independent of the chat platform: the request form, decision forms, a request's
 * card and lists. Use cases build these (deciding which actions a viewer is offered); Teams and Slack render them.
 * Every click is re-checked server-side, whatever buttons a view offered.
 */
import type { RequestAction, RequestRole } from './approvals/request-actions.js';
import { SNAPSHOT_NOTE, when, type ButtonWeight, type StatusTone } from './approvals/request-words.js';
import type { ApproverEntry } from './policy/types.js';
import type { AccessRequest, AuditEvent } from './requests/types.js';

/** Card action verbs of the approval flow (IncomingAction.verb). Data always carries `requestId` (and `version` when a card shows one). */
export const APPROVAL_VERBS = {
  /** Diagnosis card → open the request form. Data: `{ registryId, rule, ip }`. */
  requestAccess: 'request_access',
  /** Request form submitted. Data: the form's `submitData` plus the inputs `reason`, `ticket`, `duration`, `breakGlass`. */
  submitRequest: 'submit_request',
  approve: 'approve',
  /** Opens the deny form (a reason); `submit_deny` decides. */
  deny: 'deny',
  submitDeny: 'submit_deny',
  /** Opens the narrow form (a shorter duration); `submit_narrow` decides. */
  narrow: 'narrow',
  submitNarrow: 'submit_narrow',
  cancel: 'cancel',
  /** A failed, retryable apply: try again. */
  retry: 'retry_apply',
  /** Opens the extend form (how much longer, why); `submit_extend` creates the extension request. */
  extend: 'extend',
  submitExtend: 'submit_extend',
  /** Opens the revoke form (optional reason); `submit_revoke` ends the grant now. */
  revoke: 'revoke',
  submitRevoke: 'submit_revoke',
  /** Firewall view or quota diagnosis → a request to take off redundant rules. Data: `{ registryId, merges, slots }`. */
  freeSlots: 'free_slots',
  /** Teams Universal Actions refresh (`refresh.action`): the viewer's own view of a request card. */
  refresh: 'refresh_request',
} as const;

export type ApprovalVerb = (typeof APPROVAL_VERBS)[keyof typeof APPROVAL_VERBS];

/** Form input names the platforms send back with a submit (Teams Input ids, Slack modal block/action ids). */
export const FORM_INPUTS = {
  reason: 'reason',
  duration: 'duration',
  breakGlass: 'breakGlass',
  /** The change or incident ticket (one line; policy `requireTicket` makes it required). */
  ticket: 'ticket',
  /** Scheduled access, as one instant (Slack's datetimepicker: Unix seconds; or an ISO time). */
  startsAt: 'startsAt',
  /** Scheduled access, as a UTC date and time of day (Teams' Input.Date `YYYY-MM-DD` and Input.Time `HH:MM`). */
  startDate: 'startDate',
  startTime: 'startTime',
} as const;

/** What a request card calls its request, on every platform. */
export function requestKindLabel(kind: AccessRequest['kind']): string {
  return kind === 'extension' ? 'Extension' : kind === 'cleanup' ? 'Rule cleanup' : 'Access request';
}

export type { RequestAction } from './approvals/request-actions.js';

/** One choice in a duration picker. `value` is what the form sends back (`"4h"`, `"permanent"`). */
export interface DurationChoice {
  label: string;
  value: string;
  /** Null = permanent. */
  ms: number | null;
}

/** The Request access form: what the requester decides before a request exists. */
export interface RequestFormView {
  registry: { id: string; name: string; loginServer: string | null };
  ip: string;
  rule: string;
  durations: DurationChoice[];
  /** `value` of the preselected choice. */
  defaultDuration: string;
  reasonRequired: boolean;
  /** Policy `requireTicket`: the ticket field is required (it is offered, optional, otherwise). */
  ticketRequired: boolean;
  /** "2 approvals from carol@contoso.com, group Platform". */
  approversSummary: string;
  /** Things the requester should know before asking ("203.0.113.7 is a documentation address"). */
  flags: string[];
  /** Break-glass: self-approval with a reason, short, every approver notified. */
  breakGlass: { available: boolean; maxDurationMs: number | null };
  /** Scheduled access: an optional start, from now to `latest` (ISO); null when policy turns it off. */
  schedule: { earliest: string; latest: string; hint: string } | null;
  /** Data the submit action must carry back unchanged (registry id, rule, a form token). */
  submitData: Record<string, unknown>;
  /** What the form shows, in the words of core/approvals/form-words.ts (app/approvals/form-view.ts builds it). */
  layout: FormLayout;
}

/** One more answer before a decision: a deny reason, a shorter duration, an extension, a revoke reason. */
export interface DecisionFormView {
  decision: 'deny' | 'narrow' | 'extend' | 'revoke';
  requestId: string;
  version: number;
  /** "Deny 203.0.113.7/32 on acmeprod for Dana Lee?" */
  title: string;
  /** For narrow (shorter than now only) and extend. */
  durations: DurationChoice[];
  defaultDuration: string | null;
  reasonRequired: boolean;
  /** Data the submit action must carry back unchanged. */
  submitData: Record<string, unknown>;
  layout: FormLayout;
}

/**
 * One input of a form, as every platform shows it. `input` names the value the submit carries back (FORM_INPUTS);
 * `start` is one instant where the platform has a date-and-time picker, else a UTC date and a time of day.
 */
export interface FormField {
  input: 'reason' | 'ticket' | 'duration' | 'start' | 'breakGlass';
  label: string;
  placeholder: string | null;
  /** A line shown with the input. */
  hint: string | null;
  required: boolean;
  /** What a required input says when it is left empty; null when it is optional. */
  missing: string | null;
  /** reason, ticket: the longest text accepted. */
  maxLength: number | null;
  /** duration: the choices and the preselected `value`. */
  choices: DurationChoice[];
  initial: string | null;
  /** breakGlass: the checkbox's words; start: the time-of-day label where date and time are asked apart. */
  option: { label: string; description: string } | null;
}

/** A form as every platform shows it: built once by the use case, laid out by Teams and Slack. */
export interface FormLayout {
  /** Short (Slack's modal title, 24 characters). */
  title: string;
  heading: string;
  intro: string;
  facts: ViewFact[];
  /** Things to read before sending, under a heading; null when there are none. */
  warnings: { heading: string; items: string[] } | null;
  fields: FormField[];
  submit: { label: string; weight: ButtonWeight; verb: string };
  /** The button that closes the form unsent, where the platform has one. */
  close: string;
}

/** One line of a request card: the same label and words on every platform. */
export interface ViewFact {
  label: string;
  /** The words, as every platform shows them. Times read `2026-01-05 13:00 UTC`. */
  text: string;
  /** When `text` is one time: its ISO form, so a platform may show it in the reader's time zone (UTC as fallback). */
  at?: string;
}

/** A button on a request card: the action, its words and weight (core/approvals/request-words.ts). */
export interface ViewButton {
  action: RequestAction;
  label: string;
  weight: ButtonWeight;
}

/**
 * One request as every copy of its card shows it, built once by the use case (app/approvals/request-view.ts):
 * renderers only lay it out. What a card may offer comes from the one action table (core/approvals/request-actions.ts).
 */
export interface RequestView {
  request: AccessRequest;
  /** "Access request: 203.0.113.7/32 on acmeprod". */
  title: string;
  /** "Expired" + "the rule was not removed: still needed by active grant …". */
  status: { label: string; tone: StatusTone; detail: string | null };
  /** What just happened or what comes next: "Approved by Carol; applying…". */
  banner: string | null;
  facts: ViewFact[];
  /** Risk flags under a heading, only while someone may still approve; null otherwise. */
  warnings: { heading: string; items: string[] } | null;
  /** Buttons offered on this rendering; clicks are re-checked server-side. */
  actions: RequestAction[];
  buttons: ViewButton[];
  /** What each role may be offered now (the action table, narrowed by the request's facts). */
  actionsByRole: Record<RequestRole, RequestAction[]>;
  /**
   * `conversation`: one card everyone in a thread or channel sees (Teams shows approver buttons only through a
   * per-user refresh; Slack shows them to all and refuses non-approvers privately). `personal`: one person's view
   * (a DM, a Teams refresh, the answer to a click). `snapshot`: a copy that is never updated (a list entry, a Slack
   * ephemeral answer): it says so and carries no decision button.
   */
  audience: 'conversation' | 'personal' | 'snapshot';
  /** For a snapshot: what it is and where the live card is. */
  note: string | null;
  /** Who may approve, from policy: for display and for Teams `refresh.userIds` resolution. */
  approvers: ApproverEntry[];
  approversSummary: string;
  /** One line for notifications and list entries: "Waiting for approval: 203.0.113.7/32 on acmeprod". */
  summary: string;
}

/** A page of audit events for `@bot audit <registry>` (oldest first). */
export interface AuditView {
  registry: string | null;
  events: AuditEvent[];
  /** More events exist than are shown. */
  truncated: boolean;
}

/** A scheduled request's access window: when the rule goes in and when it comes out (null end = permanent). */
export function accessWindow(r: AccessRequest): { start: string; end: string | null } | null {
  if (r.startsAt === null) return null;
  const end = r.durationMs === null ? null : new Date(Date.parse(r.startsAt) + r.durationMs).toISOString();
  return { start: r.startsAt, end: r.endsAt ?? end };
}

/** "rule aks-egress" for a request a policy rule approved; null when people decided. */
export function ruleApproval(r: AccessRequest): string | null {
  return r.approvedByRule ? `rule ${r.approvedByRule.name}` : null;
}

/**
 * A request's view as a copy that is never updated (a list entry, an answer the platform cannot edit later): it says
 * it is a snapshot and of when (the request's last change), and offers no button.
 */
export function asSnapshot(view: RequestView): RequestView {
  if (view.audience === 'snapshot') return view;
  return {
    ...view,
    audience: 'snapshot',
    actions: [],
    buttons: [],
    note: `${SNAPSHOT_NOTE} (as of ${when(view.request.updatedAt)}).`,
  };
}
