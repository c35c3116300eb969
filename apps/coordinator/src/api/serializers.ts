import { DEFAULT_POLITENESS } from '@gleaner/core';
import type {
  ApiKey,
  Campaign,
  CampaignUrl,
  ContributorNode,
  Dataset,
  DatasetRecord,
  DatasetSummary,
  NodeKey,
  Tombstone,
} from '@gleaner/contracts';
import type {
  ApiKeyRow,
  CampaignRow,
  DatasetRow,
  DatasetSummary as DatasetSummaryRow,
  NodeKey as NodeKeyRow,
  NodeRow,
  RecordRow,
  TombstoneRow,
  UrlRow,
} from '@gleaner/db';

const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);

/** A campaign row as the API shows it. */
export function toCampaign(row: CampaignRow): Campaign {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    spec: { ...row.spec, politeness: row.spec.politeness ?? { ...DEFAULT_POLITENESS } },
    datasetId: row.datasetId,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    completedAt: isoOrNull(row.completedAt),
    round: row.round,
    nextRecrawlAt: isoOrNull(row.nextRecrawlAt),
  };
}

/** The head of a campaign's stats: what the campaign row says of its progress. */
export function statsHead(row: CampaignRow) {
  return {
    campaignId: row.id,
    status: row.status,
    round: row.round,
    nextRecrawlAt: isoOrNull(row.nextRecrawlAt),
  };
}

/** A URL row as the API shows it. */
export function toCampaignUrl(row: UrlRow): CampaignUrl {
  return {
    id: row.id,
    url: row.url,
    host: row.host,
    depth: row.depth,
    state: row.state,
    attempts: row.attempts,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

/** An API key row without its hash. */
export function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes,
    datasetIds: row.datasetIds,
    expiresAt: isoOrNull(row.expiresAt),
    recordsPerDay: row.recordsPerDay,
    bytesPerDay: row.bytesPerDay,
    requestsPerMinute: row.requestsPerMinute,
    createdAt: iso(row.createdAt),
    revokedAt: isoOrNull(row.revokedAt),
    lastUsedAt: isoOrNull(row.lastUsedAt),
  };
}

/** A node row with its points, as its owner sees it. */
export function toContributorNode(row: NodeRow & { points: number }): ContributorNode {
  return {
    id: row.id,
    name: row.name,
    publicKey: row.publicKey,
    points: row.points,
    createdAt: iso(row.createdAt),
    lastSeenAt: isoOrNull(row.lastSeenAt),
  };
}

/** A dataset row as lists show it. */
export function toDataset(row: DatasetRow): Dataset {
  return { id: row.id, name: row.name, campaignId: row.campaignId, createdAt: iso(row.createdAt) };
}

/** A dataset summary as labs see it. */
export function toDatasetSummary(row: DatasetSummaryRow): DatasetSummary {
  return {
    ...toDataset(row),
    records: row.records,
    withdrawn: row.withdrawn,
    duplicates: row.duplicates,
    textBytes: row.textBytes,
    languages: row.languages,
    hosts: row.hosts,
    firstFetchedAt: row.firstFetchedAt,
    lastFetchedAt: row.lastFetchedAt,
  };
}

/** A record as a `record` line of the NDJSON feed: every stored field but internal ids and feed positions. */
export function toDatasetRecord(row: RecordRow): DatasetRecord {
  return {
    type: 'record',
    id: row.id,
    url: row.url,
    finalUrl: row.finalUrl,
    host: row.host,
    status: row.status,
    fetchedAt: iso(row.fetchedAt),
    nodeId: row.nodeId,
    title: row.title,
    text: row.text,
    markdown: row.markdown,
    language: row.language,
    bodySha256: row.bodySha256,
    blobKey: row.blobKey,
    contentType: row.contentType,
    httpHeaders: row.httpHeaders ?? null,
    provenance: row.provenance ?? null,
    robots: row.robots ?? null,
    siteSignals: row.siteSignals ?? null,
    metadata: row.metadata ?? null,
    quality: (row.quality as Record<string, number> | null) ?? null,
    fields: (row.fields as Record<string, unknown> | null) ?? null,
    fieldErrors: row.fieldErrors ?? null,
    round: row.round,
    version: row.version,
  };
}

/** A withdrawn record as a `tombstone` line of the NDJSON feed. */
export function toTombstone(row: Pick<TombstoneRow, 'recordId' | 'reason' | 'withdrawnAt'>): Tombstone {
  return { type: 'tombstone', id: row.recordId, reason: row.reason, withdrawnAt: iso(row.withdrawnAt) };
}

/** A node's public key as `GET /v1/nodes/keys` lists it. */
export function toNodeKey(row: NodeKeyRow): NodeKey {
  return { nodeId: row.nodeId, publicKey: row.publicKey, createdAt: iso(row.createdAt) };
}
