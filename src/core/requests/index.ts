/** Access requests: the record, its events, the one transition table and the pure transition function. */
export * from './types.js';
export type { RequestEvent, RequestEventType, RuleChange } from './events.js';
export { DECISION_EVENTS, TRANSITIONS } from './table.js';
export { transition, type TransitionRefusalCode } from './transition.js';
export { newRequestFrom, openRequest, type NewRequest } from './create.js';
export { chatPlatformOf, nameOf, partyOf, ruleDiff } from './audit.js';
export { grantOf, type Grant } from './grant.js';
export { windowOpen } from './schedule.js';
