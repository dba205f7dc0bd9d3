/** Approval policy: types, validation of a parsed document, and pure decisions. No I/O (the YAML loader is in adapters/policy). */
export * from './types.js';
export { builtInPolicy } from './defaults.js';
export { DAY_MS, HOUR_MS, MINUTE_MS, formatDuration, parseDuration } from './duration.js';
export { verifyIdentity } from './identity.js';
export { globMatch } from './match.js';
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
  type ApprovalSubject,
} from './evaluate.js';
export { planRequest, type RequestAsk } from './plan.js';
export { MAX_TICKET } from './ticket.js';
