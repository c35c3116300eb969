export * from './normalize-url.js';
export * from './campaign-scope.js';
export * from './admission.js';
export * from './robots-rules.js';
export * from './robots-gate.js';
export * from './sitemap-parser.js';
export * from './trap-rules.js';
export * from './page-fetch-job.js';
