export * from './config.js';
export * from './worker-service.js';
