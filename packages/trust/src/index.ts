export * from './trust-score.js';
export * from './node-standing.js';
export * from './verification-policy.js';
export * from './text-fingerprint.js';
export * from './majority-vote.js';
export * from './canary-page.js';
export * from './node-trust.js';
