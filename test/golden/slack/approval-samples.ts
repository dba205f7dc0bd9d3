/**
 * Approval-flow renderer inputs: access requests in every state, their views as the use cases build them (see
 * src/core/approval-views.ts), lists, audit pages and forms. Times are fixed so golden files are stable.
 */
import type { AuditView, DecisionFormView, RequestFormView, RequestView } from '../../../src/core/approval-views.js';
import { decisionForm, requestForm } from '../../../src/app/approvals/form-view.js';
import { buildRequestView, type ViewInput } from '../../../src/app/approvals/request-view.js';
import { DAY_MS, HOUR_MS } from '../../../src/core/policy/duration.js';
import type { Reply } from '../../../src/core/reply.js';
import type { AccessRequest, AuditEvent, Party } from '../../../src/core/requests/types.js';

/** The registry of samples.ts (repeated here: samples.ts imports this file). */
const REGISTRY_ID =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/myResourceGroup/providers/Microsoft.ContainerRegistry/registries/myregistry';

export const REQUESTER: Party = {
  platform: 'slack',
  id: 'U0DEV01',
  email: 'dana.lee@contoso.com',
  displayName: 'Dana Lee',
};
export const CAROL: Party = {
  platform: 'slack',
  id: 'U0CAROL1',
  email: 'carol@contoso.com',
  displayName: 'Carol Approver',
};
export const ERIN: Party = {
  platform: 'teams',
  id: '4f1c7a52-8d0e-4c2b-9a53-6f0e2d1b7c11',
  email: 'erin@contoso.com',
  displayName: 'Erin Ops',
};

export function accessRequest(overrides: Partial<AccessRequest> = {}): AccessRequest {
  return {
    id: 'req_01HZX4T7Q9',
    version: 1,
    kind: 'grant',
    extendsRequestId: null,
    registry: { id: REGISTRY_ID, name: 'myregistry', loginServer: 'myregistry.azurecr.io' },
    rule: '198.51.100.23/32',
    durationMs: 4 * HOUR_MS,
    reason: 'Release 1.4.2 pipeline on the new build agent (INC-4821).',
    ticket: null,
    requester: REQUESTER,
    channel: { platform: 'slack', conversationId: 'C0ACRHELP' },
    breakGlass: false,
    requiredApprovals: 2,
    approvals: [],
    approvedByRule: null,
    startsAt: null,
    status: 'pending',
    createdAt: '2026-03-02T09:15:00.000Z',
    updatedAt: '2026-03-02T09:15:00.000Z',
    pendingUntil: '2026-03-03T09:15:00.000Z',
    reminderIntervalMs: 4 * HOUR_MS,
    nextReminderAt: '2026-03-02T13:15:00.000Z',
    remindersSent: 0,
    decision: null,
    apply: { attempts: 0, lastError: null, retryable: false, correlationId: null },
    appliedAt: null,
    endsAt: null,
    expiryWarnedAt: null,
    extendedBy: [],
    ruleAdded: null,
    ruleRemovedAt: null,
    ...overrides,
  };
}

type ViewOverrides = Partial<
  Pick<ViewInput, 'actions' | 'audience' | 'flags' | 'banner' | 'approversSummary' | 'approvers'>
>;

export function requestView(request: AccessRequest, overrides: ViewOverrides = {}): RequestView {
  return buildRequestView({
    request,
    actions: [],
    audience: 'conversation',
    approvers: [
      { kind: 'email', value: 'carol@contoso.com' },
      { kind: 'slack', value: 'U0CAROL1' },
      { kind: 'group', value: 'S0PLATFORM' },
    ],
    approversSummary: '2 approvals from carol@contoso.com, Slack user U0CAROL1, group S0PLATFORM',
    flags: [],
    banner: null,
    ...overrides,
  });
}

const approvedAt = '2026-03-02T09:40:00.000Z';
const approval = (by: Party, at: string) => ({ by, at, as: 'approver' as const, comment: null });

export const VIEWS = {
  pending: requestView(accessRequest(), {
    actions: ['approve', 'deny', 'narrow', 'cancel'],
    flags: ['198.51.100.23 is a documentation address (TEST-NET-2)'],
    banner: 'Waiting for 2 approvals.',
  }),
  oneOfTwo: requestView(
    accessRequest({ version: 2, approvals: [approval(CAROL, approvedAt)], updatedAt: approvedAt }),
    {
      actions: ['approve', 'deny', 'narrow', 'cancel'],
      banner: 'Carol Approver approved (1 of 2).',
    },
  ),
  applied: requestView(
    accessRequest({
      version: 6,
      status: 'applied',
      approvals: [approval(CAROL, approvedAt), approval(ERIN, '2026-03-02T09:41:00.000Z')],
      appliedAt: '2026-03-02T09:43:00.000Z',
      endsAt: '2026-03-02T13:43:00.000Z',
      apply: { attempts: 1, lastError: null, retryable: false, correlationId: '7d3e2c1a-0b9f-4e8d-a7c6-5b4a39281706' },
      nextReminderAt: null,
    }),
    {
      actions: ['extend', 'revoke'],
      banner:
        'Applied: 198.51.100.23/32 is on myregistry until the end shown. Firewall changes can take a few minutes to reach every endpoint.',
    },
  ),
  failed: requestView(
    accessRequest({
      version: 5,
      status: 'failed',
      approvals: [approval(CAROL, approvedAt), approval(ERIN, '2026-03-02T09:41:00.000Z')],
      apply: {
        attempts: 3,
        lastError: 'ARM answered 503 Service Unavailable three times (correlation 1f2e3d4c).',
        retryable: true,
        correlationId: '1f2e3d4c-0000-4000-8000-000000000001',
      },
    }),
    { actions: ['retry', 'cancel'], banner: 'The rule could not be added. Nothing changed on the registry.' },
  ),
  denied: requestView(
    accessRequest({
      version: 3,
      status: 'denied',
      decision: {
        by: CAROL,
        at: '2026-03-02T09:50:00.000Z',
        reason: 'Use the private endpoint from the build VNet instead.',
      },
    }),
  ),
  expired: requestView(
    accessRequest({
      version: 8,
      status: 'expired',
      approvals: [approval(CAROL, approvedAt), approval(ERIN, '2026-03-02T09:41:00.000Z')],
      appliedAt: '2026-03-02T09:43:00.000Z',
      endsAt: '2026-03-02T13:43:00.000Z',
    }),
    { banner: 'The rule was removed when the grant ended.' },
  ),
  breakGlass: requestView(
    accessRequest({
      id: 'req_01HZX9BG42',
      version: 4,
      status: 'applying',
      breakGlass: true,
      durationMs: HOUR_MS,
      requiredApprovals: 1,
      approvals: [{ by: REQUESTER, at: '2026-03-02T02:10:00.000Z', as: 'break_glass', comment: null }],
      reason: 'Prod outage: image pulls failing on the new node pool (SEV1 INC-4900).',
    }),
    { flags: ['Break-glass: self-approved, every approver notified, marked for review'], banner: 'Applying the rule.' },
  ),
  extension: requestView(
    accessRequest({
      id: 'req_01HZXA0EXT',
      kind: 'extension',
      extendsRequestId: 'req_01HZX4T7Q9',
      durationMs: 2 * HOUR_MS,
      requiredApprovals: 1,
    }),
    { actions: ['approve', 'deny', 'cancel'], approversSummary: '1 approval from carol@contoso.com' },
  ),
  permanent: requestView(
    accessRequest({ id: 'req_01HZXB0PRM', durationMs: null, rule: '198.51.100.0/28', requiredApprovals: 1 }),
    {
      actions: ['approve', 'deny', 'narrow'],
      flags: ['Permanent rule: the bot never removes it', 'Wider than one address: 16 addresses'],
    },
  ),
  hostile: requestView(
    accessRequest({
      id: 'req_01HZXC0HST',
      reason: 'please <!channel> ping <@U0CAROL1> and see <https://evil.example|the docs> & *approve* `now`',
      requester: { platform: 'slack', id: 'U0EVIL01', email: null, displayName: '<!here> Mallory' },
    }),
    { actions: ['approve', 'deny'], banner: 'Requested by <@U0EVIL01>' },
  ),
} satisfies Record<string, RequestView>;

function event(seq: number, fields: Partial<AuditEvent>): AuditEvent {
  return {
    seq,
    at: '2026-03-02T09:15:00.000Z',
    type: 'note',
    requestId: 'req_01HZX4T7Q9',
    registryId: REGISTRY_ID,
    registryName: 'myregistry',
    rule: '198.51.100.23/32',
    actor: null,
    fromStatus: null,
    toStatus: null,
    before: null,
    after: null,
    correlationId: null,
    summary: '',
    details: {},
    ...fields,
  };
}

const RULES = ['40.112.0.0/16', '52.138.231.5', '203.0.113.0/28'];

export const AUDIT: AuditView = {
  registry: 'myregistry',
  truncated: false,
  events: [
    event(41, {
      type: 'requested',
      actor: REQUESTER,
      toStatus: 'pending',
      summary: 'Dana Lee requested 198.51.100.23/32 on myregistry for 4h',
    }),
    event(42, {
      at: approvedAt,
      type: 'approval_recorded',
      actor: CAROL,
      fromStatus: 'pending',
      toStatus: 'pending',
      summary: 'Carol Approver approved (1 of 2)',
    }),
    event(43, {
      at: '2026-03-02T09:41:00.000Z',
      type: 'approved',
      actor: ERIN,
      fromStatus: 'pending',
      toStatus: 'approved',
      summary: 'Erin Ops approved (2 of 2)',
    }),
    event(44, {
      at: '2026-03-02T09:41:05.000Z',
      type: 'apply_started',
      fromStatus: 'approved',
      toStatus: 'applying',
      summary: 'Applying 198.51.100.23/32',
    }),
    event(45, {
      at: '2026-03-02T09:43:00.000Z',
      type: 'applied',
      fromStatus: 'applying',
      toStatus: 'applied',
      before: RULES,
      after: [...RULES, '198.51.100.23/32'],
      correlationId: '7d3e2c1a-0b9f-4e8d-a7c6-5b4a39281706',
      summary: 'Added 198.51.100.23/32 to myregistry (3 → 4 rules)',
    }),
    event(46, {
      at: '2026-03-02T13:43:00.000Z',
      type: 'expired',
      fromStatus: 'applied',
      toStatus: 'expired',
      before: [...RULES, '198.51.100.23/32'],
      after: RULES,
      correlationId: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      summary: 'The grant ended; removed 198.51.100.23/32 from myregistry',
    }),
  ],
};

export const REQUEST_FORM: RequestFormView = requestForm({
  registry: { id: REGISTRY_ID, name: 'myregistry', loginServer: 'myregistry.azurecr.io' },
  ip: '198.51.100.23',
  rule: '198.51.100.23/32',
  durations: [
    { label: '1 hour', value: '1h', ms: HOUR_MS },
    { label: '4 hours', value: '4h', ms: 4 * HOUR_MS },
    { label: '1 day', value: '1d', ms: DAY_MS },
    { label: '7 days', value: '7d', ms: 7 * DAY_MS },
  ],
  defaultDuration: '4h',
  reasonRequired: true,
  ticketRequired: false,
  approversSummary: '2 approvals from carol@contoso.com, Slack user U0CAROL1, group S0PLATFORM',
  flags: ['198.51.100.23 is a documentation address (TEST-NET-2)'],
  breakGlass: { available: false, maxDurationMs: null },
  schedule: null,
  submitData: { registryId: REGISTRY_ID, rule: '198.51.100.23/32', ip: '198.51.100.23', formToken: 'ft_9c2e1d' },
});

export const REQUEST_FORM_BREAK_GLASS: RequestFormView = requestForm({
  ...REQUEST_FORM,
  breakGlass: { available: true, maxDurationMs: HOUR_MS },
});

function decision(d: DecisionFormView['decision'], overrides: Partial<DecisionFormView> = {}): DecisionFormView {
  return decisionForm({
    decision: d,
    requestId: 'req_01HZX4T7Q9',
    version: 2,
    title: `${d[0]!.toUpperCase()}${d.slice(1)} 198.51.100.23/32 on myregistry for Dana Lee?`,
    durations: [],
    defaultDuration: null,
    reasonRequired: false,
    submitData: { requestId: 'req_01HZX4T7Q9', version: 2 },
    ...overrides,
  });
}

export const DECISION_FORMS = {
  deny: decision('deny', { reasonRequired: true }),
  narrow: decision('narrow', {
    durations: [
      { label: '30 minutes', value: '30m', ms: 30 * 60_000 },
      { label: '1 hour', value: '1h', ms: HOUR_MS },
      { label: '2 hours', value: '2h', ms: 2 * HOUR_MS },
    ],
    defaultDuration: '1h',
  }),
  extend: decision('extend', {
    version: 6,
    durations: [
      { label: '1 hour', value: '1h', ms: HOUR_MS },
      { label: '4 hours', value: '4h', ms: 4 * HOUR_MS },
    ],
    defaultDuration: '1h',
    reasonRequired: true,
    submitData: { requestId: 'req_01HZX4T7Q9', version: 6 },
  }),
  revoke: decision('revoke', { version: 6, submitData: { requestId: 'req_01HZX4T7Q9', version: 6 } }),
} satisfies Record<DecisionFormView['decision'], DecisionFormView>;

/** Approval-flow Replies worth a golden file, by file name. */
export function approvalGoldenReplies(): Record<string, Reply> {
  const out: Record<string, Reply> = {};
  for (const [name, view] of Object.entries(VIEWS)) out[`request-${name}`] = { type: 'request', view };
  out['requests-list'] = {
    type: 'requests',
    title: 'Access requests (2 pending)',
    note: "A snapshot: this list does not change and has no buttons. Each request's own card stays current (as of 2026-03-02 10:00 UTC).",
    views: [VIEWS.pending, VIEWS.extension, VIEWS.applied, VIEWS.denied].map((v) =>
      requestView(v.request, { audience: 'snapshot', approversSummary: v.approversSummary }),
    ),
  };
  out['requests-empty'] = {
    type: 'requests',
    note: "A snapshot: this list does not change and has no buttons. Each request's own card stays current (as of 2026-03-02 10:00 UTC).",
    title: 'Pending access requests',
    views: [],
  };
  out.audit = { type: 'audit', view: AUDIT };
  out['audit-empty'] = { type: 'audit', view: { registry: 'myregistry', events: [], truncated: false } };
  out['request-form-message'] = { type: 'request_form', form: REQUEST_FORM };
  out['decision-form-message'] = { type: 'decision_form', form: DECISION_FORMS.deny };
  return out;
}
