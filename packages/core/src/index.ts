export * from './errors.js';
export * from './hashing.js';
export * from './signatures.js';
export * from './protocol.js';
export * from './logger.js';
export * from './campaign.js';
export * from './webhook-events.js';
