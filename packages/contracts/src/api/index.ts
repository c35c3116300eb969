export * from './common.js';
export * from './error-response.js';
export * from './campaign-spec.js';
export * from './campaigns.js';
export * from './accounts.js';
export * from './datasets.js';
export * from './structured-fields.js';
