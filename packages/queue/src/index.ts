export * from './queue-names.js';
export * from './redis-connection.js';
export * from './gleaner-queues.js';
export * from './embedded-redis.js';
export * from './lease-source.js';
export * from './seen-set.js';
export * from './politeness-slots.js';
export * from './host-quota.js';
export { Worker, UnrecoverableError, type Job, DelayedError } from 'bullmq';
