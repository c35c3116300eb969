export * from './node-identity.js';
export * from './gateway-client.js';
