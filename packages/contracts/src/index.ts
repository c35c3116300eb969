export * from './node-protocol.js';
export * from './api/index.js';
