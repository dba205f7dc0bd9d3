/** Approval policy: types, validation of a parsed document, and pure decisions. No I/O (the YAML loader is in adapters/policy). */
export * from './types.js';
export { DEFAULT_SETTINGS, NO_POLICY_REASON, builtInPolicy } from './defaults.js';
export { DAY_MS, HOUR_MS, MINUTE_MS, formatDuration, parseDuration } from './duration.js';
export {
  describeApprover,
  matchApprover,
  samePerson,
  verifyIdentity,
  type PartyLike,
  type VerifiedIdentity,
} from './identity.js';
export { globMatch, matchesRegistry, toPattern } from './match.js';
export {
  POLICY_VERSION,
  formatPath,
  parseApprover,
  validatePolicy,
  type PolicyIssue,
  type PolicyPath,
  type PolicyValidation,
} from './validate.js';
export {
  approversFor,
  canApprove,
  canCancel,
  canDeny,
  canNarrow,
  canRequest,
  canRevoke,
  checkRule,
  clampDuration,
  policyFor,
  type ApprovalRole,
  type ApprovalSubject,
  type ApprovalVerdict,
  type ApproverSet,
  type DurationRequest,
  type DurationVerdict,
  type RuleVerdict,
} from './evaluate.js';
export { MAX_REASON, planRequest, type PlanRefusalCode, type RequestAsk, type RequestTerms } from './plan.js';
