import { randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import {
  MAX_WITHDRAWN_IDS_PER_EVENT,
  newId,
  WEBHOOK_PING_EVENT,
  type WebhookEventData,
  type WebhookEventType,
} from '@gleaner/core';
import type { Db } from './database.js';
import type { Tombstone } from './record-store.js';
import { webhookDeliveries, webhookEndpoints, webhookEvents, type WebhookDeliveryState } from './schema.js';

/** A registered endpoint, without its secret. */
export type WebhookEndpoint = Omit<typeof webhookEndpoints.$inferSelect, 'secret'>;

/** One line of an endpoint's delivery log: a delivery and the outcome of its latest attempt. */
export interface WebhookDeliveryLogEntry {
  id: number;
  eventId: string;
  eventType: string;
  state: WebhookDeliveryState;
  attempts: number;
  /** When the next attempt is due (meaningful while `pending`). */
  nextAttemptAt: Date;
  lastAttemptAt: Date | null;
  lastStatus: number | null;
  lastError: string | null;
  lastResponseMs: number | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

/** A delivery a worker has claimed: everything it needs to send one attempt. */
export interface ClaimedWebhookDelivery {
  id: number;
  /** This attempt's number, from 1; recording its outcome names it. */
  attempt: number;
  endpointId: string;
  url: string;
  secret: string;
  /** The `webhook-id`: the same on every attempt. */
  eventId: string;
  eventType: string;
  data: unknown;
  /** When the event happened: the body's `timestamp`. */
  eventAt: Date;
}

/** What one attempt came to. */
export interface WebhookAttemptOutcome {
  /** True for a 2xx response. */
  ok: boolean;
  /** The response's status; null when none came (timeout, refused connection, blocked address). */
  status: number | null;
  /** Why it failed; null when `ok`. */
  error: string | null;
  /** Time from sending to the end of the (capped) response read, ms. */
  responseMs: number;
}

/**
 * Waits between attempts, ms: after the first failed attempt 5 s, then 30 s, 2 min, 10 min and 1 h; a delivery
 * whose sixth attempt fails is marked failed.
 */
export const WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [5_000, 30_000, 120_000, 600_000, 3_600_000];

/** How long to wait after `attempts` failed attempts before the next; undefined once none is left. */
export function webhookRetryDelayMs(attempts: number): number | undefined {
  return attempts >= 1 ? WEBHOOK_RETRY_DELAYS_MS[attempts - 1] : undefined;
}

/** Where {@link WebhookStore.publish} writes: the database, or the caller's transaction. */
export type WebhookTx = Pick<Db, 'execute'>;

/** Options of {@link WebhookStore.claimDue}. */
export interface ClaimWebhookOptions {
  /** The time deliveries must be due by. Default now. */
  now?: Date;
  /** Most deliveries claimed. Default 20. */
  limit?: number;
  /**
   * How long a claimed attempt keeps the delivery, ms: a worker that dies mid-attempt leaves it due again after
   * this. Must be longer than the request timeout. Default 60,000.
   */
  leaseMs?: number;
}

/** Options of {@link WebhookStore.deliveries}. */
export interface WebhookLogPageOptions {
  /** Page size. Default 50. */
  limit?: number;
  /** Only deliveries older than this id (the previous page's `nextBefore`). */
  before?: number;
}

/** Makes an endpoint's signing secret: `whsec_` and 32 random bytes in base64, as Standard Webhooks expects. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

const endpointColumns = {
  id: webhookEndpoints.id,
  url: webhookEndpoints.url,
  events: webhookEndpoints.events,
  description: webhookEndpoints.description,
  createdAt: webhookEndpoints.createdAt,
  disabledAt: webhookEndpoints.disabledAt,
};

interface ClaimedRow extends Record<string, unknown> {
  id: string | number;
  attempts: number;
  endpoint_id: string;
  url: string;
  secret: string;
  event_id: string;
  type: string;
  data: unknown;
  event_at: Date | string;
}

function toClaimed(row: ClaimedRow): ClaimedWebhookDelivery {
  return {
    id: Number(row.id),
    attempt: row.attempts,
    endpointId: row.endpoint_id,
    url: row.url,
    secret: row.secret,
    eventId: row.event_id,
    eventType: row.type,
    data: row.data,
    eventAt: new Date(row.event_at),
  };
}

/**
 * Webhook endpoints, the events announced to them and each delivery's state: the one writer of the webhook tables.
 * Events are written in the transaction of what they announce, so none is lost and none announces a rollback;
 * workers claim due deliveries with `for update skip locked`, so many can share the work without sending twice.
 */
export class WebhookStore {
  constructor(private readonly db: Db) {}

  /** Registers an endpoint; the secret is returned here only. */
  async createEndpoint(input: {
    url: string;
    events: readonly WebhookEventType[];
    description?: string | null;
  }): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const secret = newSecret();
    const [row] = await this.db
      .insert(webhookEndpoints)
      .values({
        id: newId('whk'),
        url: input.url,
        events: [...new Set(input.events)],
        description: input.description ?? null,
        secret,
      })
      .returning(endpointColumns);
    return { endpoint: row!, secret };
  }

  /** Endpoints not deleted, oldest first. */
  async listEndpoints(): Promise<WebhookEndpoint[]> {
    return this.db
      .select(endpointColumns)
      .from(webhookEndpoints)
      .where(isNull(webhookEndpoints.disabledAt))
      .orderBy(webhookEndpoints.createdAt, webhookEndpoints.id);
  }

  /** An endpoint, deleted or not (its log outlives it); undefined when unknown. */
  async getEndpoint(id: string): Promise<WebhookEndpoint | undefined> {
    const [row] = await this.db
      .select(endpointColumns)
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.id, id));
    return row;
  }

  /**
   * Deletes an endpoint: it gets no more events, its pending deliveries fail, its log stays. Returns false when it
   * is unknown or deleted already.
   */
  async disableEndpoint(id: string, now = new Date()): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows = await tx
        .update(webhookEndpoints)
        .set({ disabledAt: now })
        .where(and(eq(webhookEndpoints.id, id), isNull(webhookEndpoints.disabledAt)))
        .returning({ id: webhookEndpoints.id });
      if (rows.length === 0) return false;
      await tx
        .update(webhookDeliveries)
        .set({ state: 'failed', lastError: 'endpoint deleted' })
        .where(and(eq(webhookDeliveries.endpointId, id), eq(webhookDeliveries.state, 'pending')));
      return true;
    });
  }

  /**
   * Announces an event to every endpoint subscribed to its type and not deleted: one pending delivery each, due at
   * once. Pass the transaction of the change it announces, so the event commits or rolls back with it. Returns the
   * event's id (the deliveries' `webhook-id`) and how many endpoints it goes to.
   */
  async publish<T extends WebhookEventType>(
    type: T,
    data: WebhookEventData[T],
    tx: WebhookTx = this.db,
  ): Promise<{ eventId: string; endpoints: number }> {
    const eventId = newId('msg');
    const result = await tx.execute(sql`
      with event as (
        insert into ${webhookEvents} (id, type, data) values (${eventId}, ${type}, ${JSON.stringify(data)}::jsonb)
        returning id
      )
      insert into ${webhookDeliveries} (event_id, endpoint_id)
      select event.id, e.id from event, ${webhookEndpoints} e
      where e.disabled_at is null and ${type} = any(e.events)`);
    return { eventId, endpoints: result.rowCount ?? 0 };
  }

  /**
   * Announces withdrawn records: one `records.withdrawn` event per dataset and reason, each listing at most
   * `MAX_WITHDRAWN_IDS_PER_EVENT` ids (more make more events). Pass the withdrawal's transaction.
   */
  async publishWithdrawals(tombstones: readonly Tombstone[], tx: WebhookTx = this.db): Promise<number> {
    const groups = new Map<string, { datasetId: string; reason: string; recordIds: string[] }>();
    for (const { datasetId, reason, recordId } of tombstones) {
      const key = JSON.stringify([datasetId, reason]);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { datasetId, reason, recordIds: [] }));
      group.recordIds.push(recordId);
    }
    let events = 0;
    for (const { datasetId, reason, recordIds } of groups.values()) {
      for (let i = 0; i < recordIds.length; i += MAX_WITHDRAWN_IDS_PER_EVENT) {
        const ids = recordIds.slice(i, i + MAX_WITHDRAWN_IDS_PER_EVENT);
        await this.publish('records.withdrawn', { datasetId, recordIds: ids, reason }, tx);
        events++;
      }
    }
    return events;
  }

  /**
   * Creates a `webhook.ping` for one endpoint, already claimed for its one attempt (a ping is not retried).
   * Undefined when the endpoint is unknown or deleted.
   */
  async createPing(
    endpointId: string,
    options: { now?: Date; leaseMs?: number } = {},
  ): Promise<ClaimedWebhookDelivery | undefined> {
    const now = options.now ?? new Date();
    const until = new Date(now.getTime() + (options.leaseMs ?? 60_000));
    const eventId = newId('msg');
    const data: WebhookEventData['webhook.ping'] = { endpointId };
    const result = await this.db.execute<ClaimedRow>(sql`
      with event as (
        insert into ${webhookEvents} (id, type, data, created_at)
        values (${eventId}, ${WEBHOOK_PING_EVENT}, ${JSON.stringify(data)}::jsonb, ${now})
        returning id, type, data, created_at
      ), delivery as (
        insert into ${webhookDeliveries} (event_id, endpoint_id, attempts, next_attempt_at, last_attempt_at)
        select event.id, e.id, 1, ${until}, ${now} from event, ${webhookEndpoints} e
        where e.id = ${endpointId} and e.disabled_at is null
        returning id, attempts, endpoint_id
      )
      select d.id, d.attempts, d.endpoint_id, e.url, e.secret, event.id as event_id, event.type, event.data,
        event.created_at as event_at
      from delivery d join ${webhookEndpoints} e on e.id = d.endpoint_id, event`);
    const [row] = result.rows;
    return row && toClaimed(row);
  }

  /**
   * Claims the deliveries due by `now`, earliest first, and starts an attempt on each: its attempt count goes up
   * and it stays out of other claims for `leaseMs`. Rows another worker is claiming are skipped, not waited for.
   */
  async claimDue(options: ClaimWebhookOptions = {}): Promise<ClaimedWebhookDelivery[]> {
    const now = options.now ?? new Date();
    const until = new Date(now.getTime() + (options.leaseMs ?? 60_000));
    const result = await this.db.execute<ClaimedRow>(sql`
      with due as (
        select d.id from ${webhookDeliveries} d
        join ${webhookEndpoints} e on e.id = d.endpoint_id
        where d.state = 'pending' and d.next_attempt_at <= ${now} and e.disabled_at is null
        order by d.next_attempt_at, d.id
        limit ${options.limit ?? 20}
        for update of d skip locked
      )
      update ${webhookDeliveries} d
      set attempts = d.attempts + 1, next_attempt_at = ${until}, last_attempt_at = ${now}
      from due, ${webhookEndpoints} e, ${webhookEvents} ev
      where d.id = due.id and e.id = d.endpoint_id and ev.id = d.event_id
      returning d.id, d.attempts, d.endpoint_id, e.url, e.secret, ev.id as event_id, ev.type, ev.data,
        ev.created_at as event_at`);
    return result.rows.map(toClaimed).sort((a, b) => a.id - b.id);
  }

  /**
   * Records a claimed attempt's outcome: delivered on a 2xx; otherwise due again after the back-off
   * ({@link WEBHOOK_RETRY_DELAYS_MS}), or failed once no attempt is left or `retry` is false. An attempt whose
   * claim lapsed and was claimed again changes nothing. Returns the delivery's new state, or undefined then.
   */
  async recordOutcome(
    delivery: Pick<ClaimedWebhookDelivery, 'id' | 'attempt'>,
    outcome: WebhookAttemptOutcome,
    options: { now?: Date; retry?: boolean } = {},
  ): Promise<WebhookDeliveryState | undefined> {
    const now = options.now ?? new Date();
    const delay = options.retry === false ? undefined : webhookRetryDelayMs(delivery.attempt);
    const state: WebhookDeliveryState = outcome.ok ? 'delivered' : delay === undefined ? 'failed' : 'pending';
    const rows = await this.db
      .update(webhookDeliveries)
      .set({
        state,
        lastStatus: outcome.status,
        lastError: outcome.ok ? null : outcome.error,
        lastResponseMs: Math.round(outcome.responseMs),
        ...(state === 'delivered' ? { deliveredAt: now } : {}),
        ...(state === 'pending' ? { nextAttemptAt: new Date(now.getTime() + delay!) } : {}),
      })
      .where(
        and(
          eq(webhookDeliveries.id, delivery.id),
          eq(webhookDeliveries.attempts, delivery.attempt),
          eq(webhookDeliveries.state, 'pending'),
        ),
      )
      .returning({ state: webhookDeliveries.state });
    return rows[0]?.state;
  }

  /** An endpoint's delivery log, newest first; `nextBefore` asks for the next page when there may be one. */
  async deliveries(
    endpointId: string,
    options: WebhookLogPageOptions = {},
  ): Promise<{ deliveries: WebhookDeliveryLogEntry[]; nextBefore: number | null }> {
    const limit = options.limit ?? 50;
    const rows = await this.db
      .select({
        id: webhookDeliveries.id,
        eventId: webhookDeliveries.eventId,
        eventType: webhookEvents.type,
        state: webhookDeliveries.state,
        attempts: webhookDeliveries.attempts,
        nextAttemptAt: webhookDeliveries.nextAttemptAt,
        lastAttemptAt: webhookDeliveries.lastAttemptAt,
        lastStatus: webhookDeliveries.lastStatus,
        lastError: webhookDeliveries.lastError,
        lastResponseMs: webhookDeliveries.lastResponseMs,
        deliveredAt: webhookDeliveries.deliveredAt,
        createdAt: webhookDeliveries.createdAt,
      })
      .from(webhookDeliveries)
      .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
      .where(
        and(
          eq(webhookDeliveries.endpointId, endpointId),
          options.before === undefined ? undefined : lt(webhookDeliveries.id, options.before),
        ),
      )
      .orderBy(desc(webhookDeliveries.id))
      .limit(limit + 1);
    const page = rows.slice(0, limit);
    return { deliveries: page, nextBefore: rows.length > limit ? page[page.length - 1]!.id : null };
  }

  /**
   * Forgets what is done with: delivered and failed deliveries created before `before` (at most `limit` of them),
   * then the events created before it that no delivery is left of. Pending deliveries stay whatever their age.
   * Returns the deliveries deleted.
   */
  async prune(before: Date, limit = 10_000): Promise<number> {
    return this.db.transaction(async (tx) => {
      const deleted = await tx.execute(sql`
        delete from ${webhookDeliveries} where id in (
          select id from ${webhookDeliveries}
          where state <> 'pending' and created_at < ${before}
          limit ${limit})`);
      await tx.execute(sql`
        delete from ${webhookEvents} ev where ev.created_at < ${before}
        and not exists (select 1 from ${webhookDeliveries} d where d.event_id = ev.id)`);
      return deleted.rowCount ?? 0;
    });
  }

  /** The deliveries of one event, by endpoint (what tests and tools ask of an event). */
  async deliveriesOfEvent(eventId: string): Promise<{ endpointId: string; state: WebhookDeliveryState }[]> {
    return this.db
      .select({ endpointId: webhookDeliveries.endpointId, state: webhookDeliveries.state })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.eventId, eventId));
  }
}
