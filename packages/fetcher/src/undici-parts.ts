import { createRequire } from 'node:module';
import type { buildConnector as BuildConnector, Pool as PoolClass } from 'undici';

const require = createRequire(import.meta.url);

/*
 * Only the parts of undici the fetcher uses: the connection pool, its request API and the connector. Loading the
 * whole package (fetch, WebSocket, caches, proxies) costs a contributor's idle node about 9 MB more memory.
 * This does what undici's own entry point does for these parts.
 */
const Dispatcher = require('undici/lib/dispatcher/dispatcher.js') as { prototype: object };
Object.assign(Dispatcher.prototype, require('undici/lib/api/index.js') as object);

/** undici's connection pool (the same class as `undici.Pool`). */
export const Pool = require('undici/lib/dispatcher/pool.js') as typeof PoolClass;
/** undici's connector factory (the same function as `undici.buildConnector`). */
export const buildConnector = require('undici/lib/core/connect.js') as typeof BuildConnector;
/** The type of a {@link Pool} instance. */
export type Pool = PoolClass;
