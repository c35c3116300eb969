import type { SigningKey } from '@gleaner/config';
import type { Logger } from '@gleaner/core';
import type {
  AccountStore,
  CampaignStore,
  DatasetStore,
  Db,
  RecordStore,
  SnapshotStore,
  UrlStore,
} from '@gleaner/db';
import type { BlobStore } from '@gleaner/blob-store';
import type { ApiKeyLimiter, GleanerQueues } from '@gleaner/queue';
import type { WebhookStore } from '@gleaner/db';
import type { WebhookSender } from '@gleaner/fetcher';
import type { RemovalTokenCheckOptions } from './removal-token-check.js';
import type { AccountPolicy } from '@gleaner/contracts';
import type { PairingGuardLimits } from './pairing-guard.js';

/** How pairing works on this coordinator (docs/pairing.md); every field has a default. */
export interface PairingSettings {
  /** Who may create accounts. Default `admin-only`. */
  accountPolicy?: AccountPolicy;
  /** How long a pairing waits for its owner, ms. Default 600,000 (10 minutes). */
  ttlMs?: number;
  /** Seconds a node waits between polls. Default 5. */
  intervalSeconds?: number;
  /** Per-address limits on wrong codes and new pairings. */
  limits?: PairingGuardLimits;
}

/** What the REST API needs from the rest of the coordinator. */
export interface ApiDeps {
  db: Db;
  accounts: AccountStore;
  campaigns: CampaignStore;
  urls: UrlStore;
  datasets: DatasetStore;
  /** Writes withdrawals (the admin's withdraw route). */
  records: RecordStore;
  /** Webhook endpoints, events and deliveries (`/v1/webhooks`; withdrawals announce `records.withdrawn`). */
  webhooks: WebhookStore;
  /** Sends the test ping of `POST /v1/webhooks/{id}/ping` (workers send every other delivery). */
  webhookSender: Pick<WebhookSender, 'send'>;
  /** Site owners' removal requests: limits and the private-network guard of their verification. Defaults apply. */
  removals?: RemovalSettings;
  queues: GleanerQueues;
  /** Where raw response bodies are (read by `GET /v1/datasets/{id}/records/{recordId}/raw`). */
  blobs: BlobStore;
  snapshots: SnapshotStore;
  /** The folder published snapshots are in (`<datasetId>/<snapshotId>/...`), written by the worker. */
  snapshotDir: string;
  /** API keys' rate limits, daily quotas, usage and `lastUsedAt` throttling, shared by every coordinator. */
  limiter: ApiKeyLimiter;
  /** The nodes connected to this coordinator's gateway now (stats warn when none can take a campaign's work). */
  connectedNodes?: () => readonly { render: boolean; paused: boolean }[];
  /** The most nodes one owner may register. Default 20 (`DEFAULT_MAX_NODES_PER_OWNER` in @gleaner/db). */
  maxNodesPerOwner?: number;
  /** Pairing nodes by code and who may create accounts (docs/pairing.md); by default accounts are the admin's alone. */
  pairing?: PairingSettings;
  /** Addresses of reverse proxies whose `X-Forwarded-For` the per-address pairing limits believe. Default none. */
  trustedProxies?: readonly string[];
  /** The admin credential, presented as `Authorization: Bearer <adminToken>`; at least 16 characters. */
  adminToken: string;
  /** The coordinator's Ed25519 signing key; without one `GET /v1/signing-key` answers 404. */
  signingKey?: SigningKey;
  logger: Logger;
}

/** Settings of the site owners' removal requests (docs/site-owners.md). */
export interface RemovalSettings extends RemovalTokenCheckOptions {
  /** Most removal requests and verifications one client network (/24, /48) may make per minute. Default 10. */
  requestsPerMinute?: number;
  /** Most removal requests one host may have opened per day. Default 10. */
  maxPerHostPerDay?: number;
}
