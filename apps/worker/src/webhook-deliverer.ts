import { silentLogger, type Logger } from '@gleaner/core';
import type { ClaimedWebhookDelivery, WebhookStore } from '@gleaner/db';
import { DEFAULT_WEBHOOK_TIMEOUT_MS, WebhookSender, type WebhookSendResult } from '@gleaner/fetcher';

/** What sends one attempt (a {@link WebhookSender} by default). */
export type WebhookSend = (
  url: string,
  secret: string,
  message: { id: string; type: string; eventAt: Date; data: unknown },
) => Promise<WebhookSendResult>;

/** Collaborators and settings of the {@link WebhookDeliverer}. */
export interface WebhookDelivererOptions {
  webhooks: WebhookStore;
  logger?: Logger;
  /** How often it looks for due deliveries, ms. Default 1,000. */
  everyMs?: number;
  /** Time limit of one attempt (connection and response), ms. Default 10,000. */
  timeoutMs?: number;
  /** Most deliveries claimed and sent at once. Default 20. */
  batchSize?: number;
  /**
   * Let deliveries reach loopback and private-network addresses (receivers on the operator's own network, tests).
   * Default `false`.
   */
  allowPrivateNetwork?: boolean;
  /**
   * How long delivered and failed deliveries stay in the log, ms; older ones are deleted about once an hour.
   * Default 30 days.
   */
  retentionMs?: number;
  /** Sends one attempt. Default a {@link WebhookSender} with `timeoutMs` and `allowPrivateNetwork`. */
  send?: WebhookSend;
}

/** How often a running deliverer prunes the log, ms. */
const PRUNE_EVERY_MS = 3_600_000;
/** Default time delivered and failed deliveries stay in the log, ms. */
const DEFAULT_RETENTION_MS = 30 * 86_400_000;

/** Margin a claim keeps beyond the attempt's time limit, ms, so no other worker claims a delivery still in flight. */
const CLAIM_MARGIN_MS = 30_000;

/**
 * Sends due webhook deliveries (see `WebhookStore` in @gleaner/db): every `everyMs` it claims what is due, makes
 * one signed attempt at each, and records the outcome, which schedules the next attempt with back-off or ends the
 * delivery. Any number of workers may run one: claims skip what another worker holds.
 */
export class WebhookDeliverer {
  private readonly logger: Logger;
  private readonly send: WebhookSend;
  private readonly everyMs: number;
  private readonly timeoutMs: number;
  private readonly batchSize: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private prunedAt = 0;

  constructor(private readonly options: WebhookDelivererOptions) {
    this.logger = options.logger ?? silentLogger;
    this.everyMs = options.everyMs ?? 1_000;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
    this.batchSize = options.batchSize ?? 20;
    if (options.send) {
      this.send = options.send;
    } else {
      const sender = new WebhookSender({
        timeoutMs: this.timeoutMs,
        allowPrivateNetwork: options.allowPrivateNetwork ?? false,
      });
      this.send = (url, secret, message) => sender.send(url, secret, message);
    }
  }

  /** Starts looking for due deliveries every `everyMs`. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  /** Stops looking and waits for the attempts in flight to be recorded. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /**
   * Claims the deliveries due by `now` (at most `batchSize`), makes one attempt at each at once and records the
   * outcomes; a failed attempt's next one is due its back-off after `now`. Returns the attempts made.
   */
  async deliverDue(now = new Date()): Promise<number> {
    const { webhooks } = this.options;
    const claimed = await webhooks.claimDue({
      now,
      limit: this.batchSize,
      leaseMs: this.timeoutMs + CLAIM_MARGIN_MS,
    });
    await Promise.all(claimed.map((delivery) => this.attempt(delivery, now)));
    return claimed.length;
  }

  private async attempt(delivery: ClaimedWebhookDelivery, now: Date): Promise<void> {
    const result = await this.send(delivery.url, delivery.secret, {
      id: delivery.eventId,
      type: delivery.eventType,
      eventAt: delivery.eventAt,
      data: delivery.data,
    });
    const state = await this.options.webhooks.recordOutcome(delivery, result, { now });
    const fields = {
      endpointId: delivery.endpointId,
      eventId: delivery.eventId,
      type: delivery.eventType,
      attempt: delivery.attempt,
      status: result.status,
      responseMs: result.responseMs,
    };
    if (state === 'failed') this.logger.warn({ ...fields, error: result.error }, 'webhook delivery failed');
    else if (state === 'pending')
      this.logger.info({ ...fields, error: result.error }, 'webhook attempt failed');
    else if (state === 'delivered') this.logger.debug(fields, 'webhook delivered');
    // Otherwise another attempt took over after this one's claim lapsed, or the endpoint was deleted meanwhile.
    else this.logger.info(fields, 'webhook attempt outcome not recorded');
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.round().finally(() => {
        this.running = undefined;
        this.schedule();
      });
    }, this.everyMs);
  }

  /** Delivers until a claim comes back short of a full batch (a backlog drains without waiting a period each). */
  private async round(): Promise<void> {
    try {
      while (!this.stopped && (await this.deliverDue()) >= this.batchSize);
      if (!this.stopped && Date.now() - this.prunedAt >= PRUNE_EVERY_MS) {
        this.prunedAt = Date.now();
        const retentionMs = this.options.retentionMs ?? DEFAULT_RETENTION_MS;
        const pruned = await this.options.webhooks.prune(new Date(Date.now() - retentionMs));
        if (pruned > 0) this.logger.info({ pruned }, 'webhook log pruned');
      }
    } catch (error) {
      this.logger.error({ err: error }, 'webhook round failed');
    }
  }
}
