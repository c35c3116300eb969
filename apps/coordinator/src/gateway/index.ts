export * from './node-gateway.js';
