/** Pure helpers of the approval flow: rule-set planning, registry fitness, risk flags, duration choices. */
export * from './rules.js';
export * from './registry-fit.js';
export * from './flags.js';
export * from './durations.js';
export * from './overwrites.js';
export * from './start-input.js';
export * from './request-actions.js';
export * from './request-words.js';
