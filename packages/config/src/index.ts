export * from './parse-env.js';
export * from './signing-key.js';
export * from './snapshot-dir.js';
