/**
 * Approval-flow Replies for the Teams renderer, built to the contract in src/core/approval-views.ts: the request
 * form, each decision form, a request in every status (conversation and personal audience), a list and an audit
 * page. People and policy look like a real tenant; user text includes Markdown and mention injection attempts.
 */
import type { DecisionFormView, RequestFormView, RequestView } from '../../../src/core/approval-views.js';
import { decisionForm, requestForm } from '../../../src/app/approvals/form-view.js';
import { buildRequestView } from '../../../src/app/approvals/request-view.js';
import {
  REQUEST_STATUSES,
  type AccessRequest,
  type AuditEvent,
  type Party,
  type RequestStatus,
} from '../../../src/core/requests/types.js';
import type { Reply } from '../../../src/core/reply.js';

const SUB = '4f2a9c1e-7d3b-4e8a-9f60-2b1c5d7e8a90';
export const REGISTRY_ID = `/subscriptions/${SUB}/resourceGroups/rg-platform/providers/Microsoft.ContainerRegistry/registries/acmeprod`;

export const DANA: Party = {
  platform: 'teams',
  id: '0a1b2c3d-0000-4000-8000-00000000000b',
  email: 'dana.lee@acme.example',
  displayName: 'Dana Lee',
};
export const CAROL: Party = {
  platform: 'teams',
  id: '6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab',
  email: 'carol@acme.example',
  displayName: 'Carol Diaz',
};
const BOB: Party = {
  platform: 'slack',
  id: 'U0123ABCD',
  email: 'bob@acme.example',
  displayName: 'Bob *bold* <at>All</at>',
};

export const APPROVERS: RequestView['approvers'] = [
  { kind: 'teams', value: CAROL.id },
  { kind: 'email', value: 'bob@acme.example' },
  { kind: 'slack', value: 'U0123ABCD' },
  { kind: 'group', value: '5e2d1c0b-9a8f-4e7d-8c6b-a1b2c3d4e5f6' },
];

const T0 = '2025-11-23T09:00:00.000Z';

export function request(over: Partial<AccessRequest> = {}): AccessRequest {
  return {
    id: 'req_01JD7Q3ZK8',
    version: 3,
    kind: 'grant',
    extendsRequestId: null,
    registry: { id: REGISTRY_ID, name: 'acmeprod', loginServer: 'acmeprod.azurecr.io' },
    rule: '20.61.14.37/32',
    durationMs: 4 * 3_600_000,
    reason: 'Nightly build agent pool moved; **urgent** [see](https://evil.example) <at>Everyone</at>',
    ticket: null,
    requester: DANA,
    channel: {
      platform: 'teams',
      conversationId: '19:7e1c1a3b0d8e4f2a@thread.tacv2',
      channelId: '19:7e1c1a3b0d8e4f2a@thread.tacv2',
      direct: false,
    },
    breakGlass: false,
    requiredApprovals: 2,
    approvals: [],
    approvedByRule: null,
    startsAt: null,
    status: 'pending',
    createdAt: T0,
    updatedAt: T0,
    pendingUntil: '2025-11-24T09:00:00.000Z',
    reminderIntervalMs: 3_600_000,
    nextReminderAt: '2025-11-23T10:00:00.000Z',
    remindersSent: 0,
    decision: null,
    apply: { attempts: 0, lastError: null, retryable: false, correlationId: null },
    appliedAt: null,
    endsAt: null,
    expiryWarnedAt: null,
    extendedBy: [],
    ruleAdded: null,
    ruleRemovedAt: null,
    ...over,
  };
}

const approval = (by: Party, at: string) => ({ by, at, as: 'approver' as const, comment: null });

/** The request as it looks in each status. */
export const BY_STATUS: Record<RequestStatus, AccessRequest> = {
  pending: request({ approvals: [approval(BOB, '2025-11-23T09:05:00.000Z')] }),
  approved: request({
    status: 'approved',
    approvals: [approval(BOB, '2025-11-23T09:05:00.000Z'), approval(CAROL, '2025-11-23T09:07:00.000Z')],
  }),
  applying: request({
    status: 'applying',
    approvals: [approval(BOB, '2025-11-23T09:05:00.000Z'), approval(CAROL, '2025-11-23T09:07:00.000Z')],
    apply: { attempts: 1, lastError: null, retryable: false, correlationId: null },
  }),
  applied: request({
    status: 'applied',
    approvals: [approval(BOB, '2025-11-23T09:05:00.000Z'), approval(CAROL, '2025-11-23T09:07:00.000Z')],
    appliedAt: '2025-11-23T09:08:30.000Z',
    endsAt: '2025-11-23T13:08:30.000Z',
    apply: { attempts: 1, lastError: null, retryable: false, correlationId: 'c0ffee00-1111-4222-8333-444455556666' },
  }),
  failed: request({
    status: 'failed',
    approvals: [approval(BOB, '2025-11-23T09:05:00.000Z'), approval(CAROL, '2025-11-23T09:07:00.000Z')],
    apply: {
      attempts: 3,
      lastError: 'ARM answered 429 TooManyRequests three times (retry after 30 s)',
      retryable: true,
      correlationId: null,
    },
  }),
  expired: request({
    status: 'expired',
    approvals: [approval(CAROL, '2025-11-23T09:07:00.000Z')],
    requiredApprovals: 1,
    appliedAt: '2025-11-23T09:08:30.000Z',
    endsAt: '2025-11-23T13:08:30.000Z',
  }),
  revoked: request({
    status: 'revoked',
    approvals: [approval(CAROL, '2025-11-23T09:07:00.000Z')],
    requiredApprovals: 1,
    appliedAt: '2025-11-23T09:08:30.000Z',
    endsAt: '2025-11-23T10:15:00.000Z',
    decision: { by: CAROL, at: '2025-11-23T10:15:00.000Z', reason: 'Pool is back on the NAT gateway' },
  }),
  denied: request({
    status: 'denied',
    decision: {
      by: CAROL,
      at: '2025-11-23T09:20:00.000Z',
      reason: 'Use the private endpoint from the build VNet_instead_',
    },
  }),
  cancelled: request({ status: 'cancelled', decision: { by: DANA, at: '2025-11-23T09:10:00.000Z', reason: null } }),
  timed_out: request({
    status: 'timed_out',
    decision: { by: null, at: '2025-11-24T09:00:00.000Z', reason: 'Nobody decided within 1d' },
  }),
};

/** What the use case would offer in each status: everyone's (conversation) and one approver's (personal). */
const ACTIONS: Record<RequestStatus, { conversation: RequestView['actions']; personal: RequestView['actions'] }> = {
  pending: { conversation: ['approve', 'deny', 'narrow', 'cancel'], personal: ['approve', 'deny', 'narrow'] },
  approved: { conversation: [], personal: [] },
  applying: { conversation: [], personal: [] },
  applied: { conversation: ['extend', 'revoke'], personal: ['revoke'] },
  failed: { conversation: ['retry', 'cancel'], personal: ['retry'] },
  expired: { conversation: [], personal: [] },
  revoked: { conversation: [], personal: [] },
  denied: { conversation: [], personal: [] },
  cancelled: { conversation: [], personal: [] },
  timed_out: { conversation: [], personal: [] },
};

const BANNER: Partial<Record<RequestStatus, string>> = {
  pending: 'Bob approved (1 of 2); waiting for one more approver.',
  applied: 'Applied by the bot; the rule is removed at the end time.',
  failed: 'Azure throttled the bot; retry in a minute.',
};

export function view(
  status: RequestStatus,
  audience: 'conversation' | 'personal' | 'snapshot',
  request: AccessRequest = BY_STATUS[status],
  flags: string[] | null = null,
): RequestView {
  return buildRequestView({
    request,
    actions: audience === 'snapshot' ? [] : ACTIONS[status][audience],
    audience,
    approvers: APPROVERS,
    approversSummary: '2 approvals from Carol Diaz (teams), bob@acme.example, group Platform',
    flags:
      flags ??
      (status === 'pending'
        ? [
            '20.61.14.37 belongs to a Microsoft-hosted range: other tenants may share it',
            'Requested for 4h, the policy maximum',
          ]
        : []),
    banner: audience === 'snapshot' ? null : (BANNER[status] ?? null),
  });
}

export const REQUEST_FORM: RequestFormView = requestForm({
  registry: { id: REGISTRY_ID, name: 'acmeprod', loginServer: 'acmeprod.azurecr.io' },
  ip: '20.61.14.37',
  rule: '20.61.14.37/32',
  durations: [
    { label: '1 hour', value: '1h', ms: 3_600_000 },
    { label: '4 hours', value: '4h', ms: 4 * 3_600_000 },
    { label: '1 day', value: '1d', ms: 24 * 3_600_000 },
  ],
  defaultDuration: '4h',
  reasonRequired: true,
  ticketRequired: false,
  approversSummary: '2 approvals from Carol Diaz, bob@acme.example',
  flags: ['20.61.14.37 is the outbound IP of AKS cluster aks-prod: every workload there gets access'],
  breakGlass: { available: true, maxDurationMs: 3_600_000 },
  schedule: null,
  submitData: { registryId: REGISTRY_ID, rule: '20.61.14.37/32', ip: '20.61.14.37', formToken: 'ft_7Hq2' },
});

const decision = (d: DecisionFormView['decision'], over: Partial<DecisionFormView> = {}): DecisionFormView =>
  decisionForm({
    decision: d,
    requestId: 'req_01JD7Q3ZK8',
    version: 3,
    title: `${d[0]!.toUpperCase()}${d.slice(1)} 20.61.14.37/32 on acmeprod for Dana Lee?`,
    durations: [],
    defaultDuration: null,
    reasonRequired: false,
    submitData: { requestId: 'req_01JD7Q3ZK8', version: 3 },
    ...over,
  });

export const DECISION_FORMS: Record<DecisionFormView['decision'], DecisionFormView> = {
  deny: decision('deny', { reasonRequired: true }),
  narrow: decision('narrow', {
    durations: [
      { label: '30 minutes', value: '30m', ms: 1_800_000 },
      { label: '1 hour', value: '1h', ms: 3_600_000 },
      { label: '2 hours', value: '2h', ms: 7_200_000 },
    ],
    defaultDuration: '1h',
  }),
  extend: decision('extend', {
    durations: [
      { label: '1 hour', value: '1h', ms: 3_600_000 },
      { label: '4 hours', value: '4h', ms: 4 * 3_600_000 },
    ],
    defaultDuration: '1h',
    reasonRequired: true,
  }),
  revoke: decision('revoke'),
};

const event = (seq: number, over: Partial<AuditEvent>): AuditEvent => ({
  seq,
  at: T0,
  type: 'note',
  requestId: 'req_01JD7Q3ZK8',
  registryId: REGISTRY_ID,
  registryName: 'acmeprod',
  rule: '20.61.14.37/32',
  actor: null,
  fromStatus: null,
  toStatus: null,
  before: null,
  after: null,
  correlationId: null,
  summary: '',
  details: {},
  ...over,
});

const RULES = ['20.61.14.0/28', '52.174.33.12', '198.51.100.24/32'];

export const AUDIT_EVENTS: AuditEvent[] = [
  event(1, {
    type: 'requested',
    actor: DANA,
    toStatus: 'pending',
    summary: 'Dana Lee requested 20.61.14.37/32 on acmeprod for 4h',
  }),
  event(2, {
    type: 'approval_recorded',
    at: '2025-11-23T09:05:00.000Z',
    actor: BOB,
    summary: 'bob@acme.example approved (1 of 2)',
  }),
  event(3, {
    type: 'approved',
    at: '2025-11-23T09:07:00.000Z',
    actor: CAROL,
    fromStatus: 'pending',
    toStatus: 'approved',
    summary: 'Carol Diaz approved (2 of 2)',
  }),
  event(4, {
    type: 'applied',
    at: '2025-11-23T09:08:30.000Z',
    fromStatus: 'applying',
    toStatus: 'applied',
    before: RULES,
    after: [...RULES, '20.61.14.37/32'],
    correlationId: 'c0ffee00-1111-4222-8333-444455556666',
    summary: 'Added 20.61.14.37/32 to acmeprod (ends 2025-11-23 13:08 UTC)',
  }),
  event(5, {
    type: 'expired',
    at: '2025-11-23T13:08:30.000Z',
    fromStatus: 'applied',
    toStatus: 'expired',
    summary: 'The grant ended',
  }),
  event(6, {
    type: 'rule_removed',
    at: '2025-11-23T13:08:40.000Z',
    before: [...RULES, '20.61.14.37/32'],
    after: RULES,
    summary: 'Removed 20.61.14.37/32 from acmeprod',
  }),
];

export const APPROVAL_REPLIES: Record<string, Reply> = {
  request_form: { type: 'request_form', form: REQUEST_FORM },
  'request_form-minimal': {
    type: 'request_form',
    form: requestForm({
      ...REQUEST_FORM,
      reasonRequired: false,
      flags: [],
      breakGlass: { available: false, maxDurationMs: null },
      durations: [{ label: 'Permanent', value: 'permanent', ms: null }],
      defaultDuration: 'permanent',
    }),
  },
  ...Object.fromEntries(
    Object.entries(DECISION_FORMS).map(([d, form]) => [
      `decision_form-${d}`,
      { type: 'decision_form', form } satisfies Reply,
    ]),
  ),
  ...Object.fromEntries(
    REQUEST_STATUSES.flatMap((s) =>
      (['conversation', 'personal'] as const).map((a) => [
        `request-${s}-${a}`,
        { type: 'request', view: view(s, a) } satisfies Reply,
      ]),
    ),
  ),
  'request-break_glass-personal': {
    type: 'request',
    view: view(
      'applied',
      'personal',
      {
        ...BY_STATUS.applied,
        breakGlass: true,
        approvals: [{ by: DANA, at: T0, as: 'break_glass', comment: null }],
        requiredApprovals: 2,
      },
      ['Break-glass: self-approved; review after the incident'],
    ),
  },
  'request-extension-conversation': {
    type: 'request',
    view: view('pending', 'conversation', {
      ...BY_STATUS.pending,
      id: 'req_01JD8EXT01',
      kind: 'extension',
      extendsRequestId: 'req_01JD7Q3ZK8',
      durationMs: 3_600_000,
    }),
  },
  'request-permanent-applied-personal': {
    type: 'request',
    view: view('applied', 'personal', { ...BY_STATUS.applied, durationMs: null, endsAt: null }),
  },
  requests: {
    type: 'requests',
    title: 'Pending requests (2)',
    note: "A snapshot: this list does not change and has no buttons. Each request's own card stays current (as of 2026-03-02 10:00 UTC).",
    views: [
      view('pending', 'snapshot'),
      view('pending', 'snapshot', {
        ...BY_STATUS.pending,
        id: 'req_01JD7R0002',
        rule: '203.0.113.9/32',
        reason: '',
        requester: CAROL,
        approvals: [],
      }),
    ],
  },
  'requests-conversation': {
    type: 'requests',
    title: 'Requests in this channel',
    note: "A snapshot: this list does not change and has no buttons. Each request's own card stays current (as of 2026-03-02 10:00 UTC).",
    views: [view('pending', 'snapshot'), view('applied', 'snapshot'), view('denied', 'snapshot')],
  },
  'requests-empty': {
    type: 'requests',
    note: "A snapshot: this list does not change and has no buttons. Each request's own card stays current (as of 2026-03-02 10:00 UTC).",
    title: 'Pending requests',
    views: [],
  },
  audit: { type: 'audit', view: { registry: 'acmeprod', events: AUDIT_EVENTS, truncated: false } },
  'audit-truncated': { type: 'audit', view: { registry: null, events: AUDIT_EVENTS.slice(3), truncated: true } },
  'audit-empty': { type: 'audit', view: { registry: 'acmeprod', events: [], truncated: false } },
};
