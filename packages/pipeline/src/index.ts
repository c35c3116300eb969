export * from './normalize-text.js';
export * from './page-pipeline.js';
export * from './quality-filter.js';
export * from './pii-redactor.js';
export * from './page-policies.js';
export * from './extract-pool.js';
export * from './host-boilerplate.js';
export * from './verifier.js';
