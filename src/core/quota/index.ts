/** Rule-quota hygiene: the analysis, the "Free N slots" change and its words. Pure. */
export * from './analyse.js';
export * from './cleanup.js';
export * from './merge-policy.js';
export * from './view.js';
export * from './request-words.js';
