export * from './postgres-server.js';
export * from './wait-for.js';
