export * from './normalize-url.js';
export * from './campaign-scope.js';
export * from './admission.js';
