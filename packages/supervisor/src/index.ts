export * from './parent-watch.js';
export * from './service-process.js';
export * from './spawn-watched.js';
export * from './stop-on-signals.js';
