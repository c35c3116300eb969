import type { BlobStore } from '@gleaner/blob-store';
import type { Logger } from '@gleaner/core';
import type { CampaignStore, SnapshotStore, UrlStore, WebhookStore } from '@gleaner/db';
import type { Admission, RobotsGate } from '@gleaner/frontier';
import type { ExtractPool, PagePipeline, Verifier } from '@gleaner/pipeline';
import type { CappedCounter, GleanerQueues, SeenSet, SitemapTracker } from '@gleaner/queue';
import type { EpochCloser } from './epoch-closer.js';
import type { LostJobReconciler } from './lost-job-reconciler.js';
import type { PointsSettler } from './points-settler.js';
import type { SnapshotPublisher } from './snapshot-publisher.js';
import type { SnapshotSchedule } from './snapshot-schedule.js';
import type { WebhookDeliverer } from './webhook-deliverer.js';

/**
 * What the worker's processors and sweeps need, built once per process by `createWorkerDeps`. Each part takes the
 * `Pick` of it that it uses.
 */
export interface WorkerDeps {
  logger: Logger;
  /** The BullMQ queues, under the configured prefix. */
  queues: GleanerQueues;
  /** Campaign rows; hot paths read them through its shared cache (`campaigns.cache`). */
  campaigns: CampaignStore;
  /** The only writer of a URL's state. */
  urls: UrlStore;
  snapshots: SnapshotStore;
  /** Webhook events (`campaign.completed`, `snapshot.published`); the deliverer sends them. */
  webhooks: WebhookStore;
  /** Raw response bodies, as the gateway stored them. */
  blobs: BlobStore;
  /** Each campaign's seen-set (which enforces `maxPages`). */
  seen: SeenSet;
  /** The sitemaps each campaign waits for. */
  sitemaps: SitemapTracker;
  /** Each campaign's per-host quota and trap counters; they go with its seen-set when it ends. */
  counters: readonly CappedCounter[];
  /** The frontier: admits links into campaigns and queues their fetches. */
  admission: Admission;
  /** robots.txt in front of every fetch, and the URLs parked behind it. */
  robots: RobotsGate;
  /** Turns fetched pages into records. */
  pipeline: PagePipeline;
  /** Redundant fetches and canaries: samples records for votes and takes verification fetches. */
  verifier: Verifier;
  /** Re-queues URLs whose jobs were lost. */
  reconciler: LostJobReconciler;
  /** The `settle` queue's work: settling points and carrying out bans. */
  settler: PointsSettler;
  /** Closes reward epochs after each settle sweep; absent without a signing key (epochs then stay open). */
  epochCloser?: EpochCloser;
  /** When snapshots are cut without an admin asking. */
  snapshotSchedule: SnapshotSchedule;
  /** Builds and publishes snapshots. */
  publisher: SnapshotPublisher;
  /** Sends webhook deliveries; started and stopped with the service. */
  deliverer: WebhookDeliverer;
  /** Extraction threads; absent when pages are extracted in the worker's own thread. Closed with the service. */
  extractor?: ExtractPool;
}
