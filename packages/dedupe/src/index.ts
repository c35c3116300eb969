export * from './shingle-hashes.js';
export * from './min-hasher.js';
export * from './lsh-bands.js';
export * from './near-duplicate-index.js';
export * from './synthetic-text.js';
