export * from './site-model.js';
export * from './page-text.js';
export * from './sample-site.js';
