import { NonRetryableError, silentLogger, type CampaignSpec, type CampaignStatus, type Logger } from '@gleaner/core';
import type { BlobStore } from '@gleaner/blob-store';
import type { AcceptOutcome, CampaignStore, RecordStore, UrlStore } from '@gleaner/db';
import { extractPage } from '@gleaner/extract';
import type { Admission } from '@gleaner/frontier';
import type { ProcessJobData } from '@gleaner/queue';
import { textHash } from './normalize-text.js';

/** Collaborators of the {@link PagePipeline}. */
export interface PagePipelineDeps {
  campaigns: CampaignStore;
  urls: UrlStore;
  records: RecordStore;
  blobs: BlobStore;
  admission: Admission;
  logger?: Logger;
}

/** What became of one fetched page. */
export type PageOutcome = AcceptOutcome | { kind: 'failed'; code: string } | { kind: 'skipped'; reason: string };

const HTML_TYPES = ['text/html', 'application/xhtml+xml'];

/**
 * Turns one fetched page into a dataset record: reads the raw body, extracts text, markdown and metadata, feeds
 * the outlinks back to the frontier, then accepts the page (a record and its points) or links it to the record it
 * duplicates. Safe to run again for the same URL.
 */
export class PagePipeline {
  private readonly logger: Logger;
  private readonly campaignCache = new Map<string, { spec: CampaignSpec; datasetId: string; status: CampaignStatus }>();

  constructor(private readonly deps: PagePipelineDeps) {
    this.logger = deps.logger ?? silentLogger;
  }

  /** Processes one page; `retry` says this job ran before (admission then re-checks what it queued). */
  async process(data: ProcessJobData, retry = false): Promise<PageOutcome> {
    const campaign = await this.campaign(data.campaignId);
    if (!campaign) return { kind: 'skipped', reason: 'campaign not found' };
    if (campaign.status === 'cancelled') return { kind: 'skipped', reason: 'campaign cancelled' };
    if (data.status >= 400 || data.status < 200) {
      await this.deps.urls.markFailed(data.urlId, 'HTTP_ERROR', `HTTP ${data.status}`);
      return { kind: 'failed', code: 'HTTP_ERROR' };
    }
    const contentType = data.headers['content-type'] ?? null;
    const mediaType = (contentType ?? 'text/html').split(';')[0]!.trim().toLowerCase();
    if (!HTML_TYPES.includes(mediaType)) {
      await this.deps.urls.markFailed(data.urlId, 'BAD_CONTENT_TYPE', `not an HTML page: ${mediaType}`);
      return { kind: 'failed', code: 'BAD_CONTENT_TYPE' };
    }

    const body = await this.deps.blobs.get(data.blobKey);
    let page;
    try {
      page = extractPage({ body, url: data.finalUrl, ...(contentType ? { contentType } : {}) });
    } catch (error) {
      if (error instanceof NonRetryableError) {
        await this.deps.urls.markFailed(data.urlId, error.code, error.message);
        return { kind: 'failed', code: error.code };
      }
      throw error;
    }

    if (data.depth < campaign.spec.maxDepth && page.outlinks.length > 0) {
      await this.deps.admission.admit(
        { id: data.campaignId, spec: campaign.spec },
        page.outlinks.map((link) => ({ url: link.url, depth: data.depth + 1 })),
        retry,
      );
    }

    if (page.text.trim().length === 0) {
      await this.deps.urls.markFailed(data.urlId, 'EMPTY_CONTENT', 'no main text found');
      return { kind: 'failed', code: 'EMPTY_CONTENT' };
    }
    const outcome = await this.deps.records.accept({
      datasetId: campaign.datasetId,
      campaignId: data.campaignId,
      urlId: data.urlId,
      url: data.url,
      finalUrl: data.finalUrl,
      host: new URL(data.finalUrl).host,
      status: data.status,
      contentType,
      fetchedAt: new Date(data.fetchedAt),
      nodeId: data.nodeId,
      ownerId: data.ownerId,
      bodySha256: data.bodySha256,
      blobKey: data.blobKey,
      title: page.title || null,
      text: page.text,
      markdown: page.markdown,
      language: page.language.declared ?? page.language.detected ?? null,
      textHash: textHash(page.text),
      metadata: page.metadata,
    });
    this.logger.debug({ urlId: data.urlId, outcome: outcome.kind }, 'page processed');
    return outcome;
  }

  private async campaign(id: string) {
    const cached = this.campaignCache.get(id);
    if (cached && cached.status === 'running') return cached;
    const row = await this.deps.campaigns.get(id);
    if (!row) return undefined;
    const entry = { spec: row.spec, datasetId: row.datasetId, status: row.status };
    this.campaignCache.set(id, entry);
    return entry;
  }
}
