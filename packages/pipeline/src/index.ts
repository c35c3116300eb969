export * from './normalize-text.js';
export * from './page-pipeline.js';
