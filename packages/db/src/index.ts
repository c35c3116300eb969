export * from './schema.js';
export * from './database.js';
export * from './embedded-postgres.js';
export * from './account-store.js';
export * from './campaign-store.js';
export * from './url-store.js';
export * from './record-store.js';
export * from './dataset-store.js';
