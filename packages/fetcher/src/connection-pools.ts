import type { LookupAddress } from 'node:dns';
import { Pool, buildConnector } from './undici-parts.js';
import type { AddressPolicy } from './address-guard.js';
import { FetchFailure } from './fetch-failure.js';

/** What a pooled connection is bound to: everything a connection's safety and limits depend on. */
export interface PoolTarget {
  /** `scheme://host:port` of the URL (TLS verifies this host). */
  origin: string;
  /** The resolved addresses, every one already judged allowed; connections go to these and nowhere else. */
  addresses: LookupAddress[];
  /** Response header size limit, bytes (undici sets it per connection). */
  maxHeaderBytes: number;
  /** Connect timeout, ms. */
  connectTimeoutMs: number;
}

/** A pool of keep-alive connections to one {@link PoolTarget}. */
export interface PinnedPool {
  pool: Pool;
  /** The peer address of the pool's latest connection (each one was judged by the guard when it connected). */
  peer: () => string;
}

/** A `lookup` for net/tls that answers only with the addresses already checked: no second resolution. */
export function pinnedLookup(addresses: LookupAddress[]) {
  return (
    _hostname: string,
    options: { all?: boolean } | number | undefined,
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    const all = typeof options === 'object' && options.all === true;
    const first = addresses[0];
    if (all) callback(null, addresses);
    else if (first !== undefined) callback(null, first.address, first.family);
    else callback(Object.assign(new Error('no pinned address'), { code: 'ENOTFOUND' }), '');
  };
}

/** Builds a pool whose every connection goes to the pinned addresses and is judged again once connected. */
export function createPinnedPool(target: PoolTarget, policy: AddressPolicy): PinnedPool {
  let peer = '';
  const base = buildConnector({ lookup: pinnedLookup(target.addresses), timeout: target.connectTimeoutMs });
  const pool = new Pool(target.origin, {
    connect: (opts, callback) => {
      base(opts, (error, socket) => {
        if (error !== null) return callback(error, null);
        const address = socket.remoteAddress ?? '';
        const verdict = policy.check(address);
        if (!verdict.allowed) {
          socket.destroy();
          return callback(
            new FetchFailure('BLOCKED_ADDRESS', `connected to a ${verdict.kind} address`),
            null,
          );
        }
        peer = address;
        callback(null, socket);
      });
    },
    maxHeaderSize: target.maxHeaderBytes,
    pipelining: 1,
    keepAliveTimeout: 4_000,
    keepAliveMaxTimeout: 10_000,
  });
  return { pool, peer: () => peer };
}

/**
 * Keep-alive connection pools of one fetcher, keyed by origin, pinned addresses and per-connection limits. A hop
 * resolves and judges its host every time and then takes the pool of exactly that answer, so a connection is only
 * ever reused for the address it was judged for (a name whose answer changes gets a different pool). Least recently
 * used pools are closed beyond `maxPools`.
 */
export class ConnectionPools {
  readonly #pools = new Map<string, PinnedPool>();
  readonly #maxPools: number;

  constructor(
    private readonly policy: AddressPolicy,
    /** Most pools kept at once. Default 64. */
    maxPools = 64,
  ) {
    this.#maxPools = maxPools;
  }

  /** The pool for `target`, created on first use. */
  get(target: PoolTarget): PinnedPool {
    const addresses = target.addresses.map((a) => `${a.family}/${a.address}`).join(',');
    const key = `${target.origin} ${addresses} ${target.maxHeaderBytes} ${target.connectTimeoutMs}`;
    let entry = this.#pools.get(key);
    if (entry !== undefined && !entry.pool.destroyed && !entry.pool.closed) {
      this.#pools.delete(key); // re-inserted below: the Map's order is the LRU order
    } else {
      entry = createPinnedPool(target, this.policy);
    }
    this.#pools.set(key, entry);
    for (const [oldKey, old] of this.#pools) {
      if (this.#pools.size <= this.#maxPools) break;
      this.#pools.delete(oldKey);
      old.pool.close().catch(() => undefined);
    }
    return entry;
  }

  /** Destroys every pool and its connections (requests still running fail). The instance stays usable. */
  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((p) => p.pool.destroy().catch(() => undefined)));
  }
}
