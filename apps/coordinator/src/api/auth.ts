import { timingSafeEqual } from 'node:crypto';
import { ForbiddenError, sha256Hex, UnauthorizedError } from '@gleaner/core';
import type { AccountStore, ApiKeyRow, Owner } from '@gleaner/db';
import type { ApiKeyLimiter } from '@gleaner/queue';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { RetryLaterError } from './error-handler.js';

/** Names of the OpenAPI security schemes the routes declare. */
export const SecuritySchemes = {
  admin: 'adminToken',
  owner: 'ownerToken',
  apiKey: 'apiKey',
  apiKeyHeader: 'apiKeyHeader',
} as const;

/** Prefix of every owner token (see `AccountStore.createOwner`). */
const OWNER_TOKEN_PREFIX = 'gow_';
/** Prefix of every lab API key (see `AccountStore.createApiKey`). */
const API_KEY_PREFIX = 'glk_';
/** Longest credential we bother to hash. */
const MAX_CREDENTIAL_CHARS = 512;

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(c: Context): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(c.req.header('authorization') ?? '');
  const token = match?.[1];
  return token && token.length <= MAX_CREDENTIAL_CHARS ? token : undefined;
}

/** Whether two secrets are equal, in time that does not depend on where they differ. */
export function secretsEqual(given: string, expected: string): boolean {
  // Hashing first gives equal-length inputs, so not even the length leaks.
  return timingSafeEqual(Buffer.from(sha256Hex(given), 'hex'), Buffer.from(sha256Hex(expected), 'hex'));
}

/** Middleware that lets through only callers presenting the admin token as a bearer token. */
export function adminAuth(adminToken: string) {
  return createMiddleware(async (c, next) => {
    const token = bearerToken(c);
    if (token === undefined || !secretsEqual(token, adminToken)) {
      throw new UnauthorizedError('this endpoint needs the admin token as a bearer token');
    }
    await next();
  });
}

/** What {@link ownerAuth} sets on the context. */
export interface OwnerVariables {
  owner: Owner;
  /** Null for the account's own token; the id of the token for one issued to a node paired by code. */
  ownerTokenId: string | null;
}

/** Middleware that lets through contributors presenting an owner token, and sets {@link OwnerVariables}. */
export function ownerAuth(accounts: AccountStore) {
  return createMiddleware<{ Variables: OwnerVariables }>(async (c, next) => {
    const token = bearerToken(c);
    // Lookup is by SHA-256 of the token, so its timing tells nothing about the token itself.
    const found = token?.startsWith(OWNER_TOKEN_PREFIX) ? await accounts.ownerCredential(token) : undefined;
    if (!found) throw new UnauthorizedError('this endpoint needs an owner token as a bearer token');
    c.set('owner', found.owner);
    c.set('ownerTokenId', found.issuedTokenId);
    await next();
  });
}

/** What {@link apiKeyAuth} sets on the context: the key, and how many feed records it may still read today. */
export interface ApiKeyVariables {
  apiKey: ApiKeyRow;
  /** Records left in the key's daily quota; null without a records quota. */
  recordsLeft: number | null;
}

const LIMIT_NAMES = {
  requestsPerMinute: 'requests per minute',
  recordsPerDay: 'records per day',
  bytesPerDay: 'bytes per day',
} as const;

/**
 * Middleware that lets through labs presenting a live API key (`X-API-Key` or bearer) carrying `scope`, and sets
 * {@link ApiKeyVariables}. A missing, unknown, revoked or expired key is a 401; a key without the scope, or
 * restricted to other datasets than the route's `{id}`, a 403; a key over its request rate or a used-up daily quota
 * a 429 with `Retry-After`. Requests let through are counted in the key's usage, and `lastUsedAt` is written at
 * most once a minute.
 */
export function apiKeyAuth(deps: { accounts: AccountStore; limiter: ApiKeyLimiter }, scope: string) {
  return createMiddleware<{ Variables: ApiKeyVariables }>(async (c, next) => {
    const header = c.req.header('x-api-key');
    const key =
      header !== undefined && header.length <= MAX_CREDENTIAL_CHARS ? header.trim() : bearerToken(c);
    const row = key?.startsWith(API_KEY_PREFIX) ? await deps.accounts.activeApiKey(key) : undefined;
    if (!row) throw new UnauthorizedError('this endpoint needs a valid, unrevoked API key');
    if (row.expiresAt !== null && row.expiresAt.getTime() <= Date.now())
      throw new UnauthorizedError(`this API key expired at ${row.expiresAt.toISOString()}`);
    if (!row.scopes.includes(scope)) throw new ForbiddenError(`this API key lacks the "${scope}" scope`);
    const datasetId = c.req.param('id') as string | undefined;
    if (datasetId !== undefined && row.datasetIds !== null && !row.datasetIds.includes(datasetId))
      throw new ForbiddenError(`this API key may not read dataset ${datasetId}`);
    const admission = await deps.limiter.admit(row);
    if (!admission.allowed) {
      const seconds = Math.max(1, Math.ceil(admission.retryAfterMs / 1000));
      const limit = row[admission.limit];
      throw admission.limit === 'requestsPerMinute'
        ? new RetryLaterError(
            'RATE_LIMITED',
            `this API key is limited to ${limit} requests per minute`,
            seconds,
          )
        : new RetryLaterError(
            'QUOTA_EXCEEDED',
            `this API key used its ${limit} ${LIMIT_NAMES[admission.limit]} for today (UTC)`,
            seconds,
          );
    }
    if (await deps.limiter.shouldTouch(row.id)) await deps.accounts.touchApiKey(row.id);
    c.set('apiKey', row);
    c.set('recordsLeft', admission.recordsLeft);
    await next();
  });
}
