/** Access requests: the record, its events, the one transition table and the pure transition function. */
export * from './types.js';
export type { RequestEvent, RequestEventType, RuleChange } from './events.js';
export { DECISION_EVENTS, TRANSITIONS, allowedFrom, type Edge } from './table.js';
export { transition, type TransitionRefusal, type TransitionRefusalCode, type TransitionResult } from './transition.js';
export { describeDuration, newRequestFrom, openRequest, type NewRequest } from './create.js';
export { auditFor, nameOf, partyOf, ruleDiff } from './audit.js';
