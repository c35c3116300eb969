export * from './parse-env.js';
export * from './signing-key.js';
