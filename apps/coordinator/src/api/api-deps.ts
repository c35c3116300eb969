import type { Logger } from '@gleaner/core';
import type { AccountStore, CampaignStore, DatasetStore, Db, UrlStore } from '@gleaner/db';
import type { GleanerQueues } from '@gleaner/queue';

/** What the REST API needs from the rest of the coordinator. */
export interface ApiDeps {
  db: Db;
  accounts: AccountStore;
  campaigns: CampaignStore;
  urls: UrlStore;
  datasets: DatasetStore;
  queues: GleanerQueues;
  /** The nodes connected to this coordinator's gateway now (stats warn when none can take a campaign's work). */
  connectedNodes?: () => readonly { render: boolean; paused: boolean }[];
  /** The admin credential, presented as `Authorization: Bearer <adminToken>`; at least 16 characters. */
  adminToken: string;
  logger: Logger;
}
