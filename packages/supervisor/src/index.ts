export * from './service-process.js';
export * from './stop-on-signals.js';
