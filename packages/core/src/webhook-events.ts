/**
 * The events Gleaner announces to registered webhook endpoints (docs/webhooks.md), and the `data` each carries.
 * Deliveries follow the Standard Webhooks specification: the body is `{ type, timestamp, data }`.
 */

import type { CampaignStatus } from './campaign.js';

/** Event types an endpoint may subscribe to. */
export const WEBHOOK_EVENT_TYPES = ['snapshot.published', 'campaign.completed', 'records.withdrawn'] as const;

/** An event type an endpoint may subscribe to. */
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The event `POST /v1/webhooks/{id}/ping` sends to one endpoint, whatever it subscribed to. */
export const WEBHOOK_PING_EVENT = 'webhook.ping';

/** Most record ids one `records.withdrawn` event lists; a larger withdrawal is announced in several events. */
export const MAX_WITHDRAWN_IDS_PER_EVENT = 1000;

/** The `data` of each event type. */
export interface WebhookEventData {
  /** A dataset snapshot was published: its files are complete and immutable from now on. */
  'snapshot.published': {
    datasetId: string;
    snapshotId: string;
    /** Records in the snapshot. */
    records: number;
    /** Total size of its files, bytes. */
    bytes: number;
    /** Merkle root over its records (docs/datasets.md), hex. */
    merkleRoot: string;
    /** SHA-256 of its manifest.json, hex. */
    manifestSha256: string;
  };
  /** A campaign round ended: every URL of the round is settled. */
  'campaign.completed': {
    campaignId: string;
    datasetId: string;
    /** The round that ended, as campaigns count them: 0 for the first crawl, then one more for each recrawl. */
    round: number;
    /** The campaign's status once the round ended (`completed`, or `running` while recrawls follow). */
    status: CampaignStatus;
  };
  /** Records left a dataset (a banned node's unverified records, an admin's takedown); the feed has tombstones. */
  'records.withdrawn': {
    datasetId: string;
    /** At most {@link MAX_WITHDRAWN_IDS_PER_EVENT} ids, each withdrawn for the first time. */
    recordIds: string[];
    reason: string;
  };
  /** A test event sent at an admin's request. */
  'webhook.ping': {
    endpointId: string;
  };
}
