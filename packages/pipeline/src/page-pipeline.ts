import { NonRetryableError, silentLogger, type Logger } from '@gleaner/core';
import type { BlobStore } from '@gleaner/blob-store';
import type { AcceptOutcome, CampaignStore, RecordProvenance, RecordStore, UrlStore } from '@gleaner/db';
import type { MinHasher, NearDuplicateIndex } from '@gleaner/dedupe';
import { decodeHtml, extractPage, extractStructuredFields } from '@gleaner/extract';
import { pageFetchJob, type Admission, type TdmDeclaration } from '@gleaner/frontier';
import type { ProcessJobData } from '@gleaner/queue';
import type { ExtractPool, PooledPage } from './extract-pool.js';
import type { HostBoilerplate } from './host-boilerplate.js';
import { textHash } from './normalize-text.js';
import { qualityFilterOf } from './page-policies.js';
import { redactPage } from './pii-redactor.js';
import { judgeQuality } from './quality-filter.js';
import { isNofollowLink, siteChoiceOf } from './site-choices.js';

/** Collaborators of the {@link PagePipeline}. */
export interface PagePipelineDeps {
  /** Read through its shared cache (`CampaignStore.cache`). */
  campaigns: CampaignStore;
  urls: UrlStore;
  records: RecordStore;
  blobs: BlobStore;
  admission: Admission;
  /** Extraction on worker threads with a time budget; in this thread, without a budget, when absent. */
  extractor?: ExtractPool;
  /** Per-host boilerplate learning and removal (shared Redis counts); pages are kept as extracted without it. */
  boilerplate?: HostBoilerplate;
  /** Near-duplicate detection (MinHash LSH, shared by every worker); exact deduplication only without it. */
  nearDuplicates?: { hasher: MinHasher; index: NearDuplicateIndex };
  /**
   * How robots.txt allowed each fetch, published with its record (`RobotsGate.decisionFor`), and the TDMRep
   * declaration of the site's tdmrep.json for a URL (`RobotsGate.tdmDeclarationFor`); unrecorded without it.
   */
  robots?: {
    decisionFor(url: string): Promise<string>;
    tdmDeclarationFor?(url: string): Promise<TdmDeclaration | undefined>;
  };
  /** Hosts removed at their owners' request (`SiteRemovalStore`): their pages become no record (`SITE_REMOVED`). */
  removals?: { isRemoved(host: string): Promise<boolean> };
  logger?: Logger;
}

/** Texts with fewer words than this are left to exact deduplication: their shingles say too little. */
const MIN_WORDS_FOR_NEAR_DUPLICATES = 25;

/** What became of one fetched page. */
export type PageOutcome =
  | AcceptOutcome
  | { kind: 'failed'; code: string }
  | { kind: 'skipped'; reason: string }
  | { kind: 'rejected'; reason: string }
  | { kind: 'unchanged' }
  | { kind: 'rerender' };

const HTML_TYPES = ['text/html', 'application/xhtml+xml'];

/** Response headers never kept with a record: they carry the site's cookies, not facts about the page. */
const DROPPED_HEADERS = new Set(['set-cookie', 'set-cookie2']);

/** The response headers a record keeps: every one but the cookie setters, names in lower case. */
function keptHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers)
      .map(([name, value]) => [name.toLowerCase(), value] as const)
      .filter(([name]) => !DROPPED_HEADERS.has(name)),
  );
}

/** The signed fetch behind a page, as its record keeps it. */
function provenanceOf(data: ProcessJobData): RecordProvenance {
  return {
    jobId: data.jobId ?? null,
    attempt: data.attempt ?? null,
    redirects: data.redirects ?? [],
    signature: data.signature ?? null,
  };
}

/**
 * Turns one fetched page into a dataset record: reads the raw body, extracts text, markdown and metadata, feeds
 * the outlinks back to the frontier, then accepts the page (a record and its points) or links it to the record it
 * duplicates. Safe to run again for the same URL.
 */
export class PagePipeline {
  private readonly logger: Logger;

  constructor(private readonly deps: PagePipelineDeps) {
    this.logger = deps.logger ?? silentLogger;
  }

  /** Processes one page; `retry` says this job ran before (admission then re-checks what it queued). */
  async process(data: ProcessJobData, retry = false): Promise<PageOutcome> {
    // The process's shared campaign cache (CampaignStore.cache): at most its TTL behind another process's write.
    const campaign = await this.deps.campaigns.cache.get(data.campaignId);
    if (!campaign) return { kind: 'skipped', reason: 'campaign not found' };
    if (campaign.status === 'cancelled') return { kind: 'skipped', reason: 'campaign cancelled' };
    const round = data.round ?? 0;
    if (data.status === 304 && round > 0) {
      // A conditional refetch of an unchanged page: its record stands, and costs nothing more.
      await this.deps.urls.markUnchanged(data.urlId);
      return { kind: 'unchanged' };
    }
    if (data.status >= 400 || data.status < 200 || data.status === 304) {
      await this.deps.urls.markFailed(data.urlId, 'HTTP_ERROR', `HTTP ${data.status}`, {
        httpStatus: data.status,
      });
      return { kind: 'failed', code: 'HTTP_ERROR' };
    }
    const contentType = data.headers['content-type'] ?? null;
    const mediaType = (contentType ?? 'text/html').split(';')[0]!.trim().toLowerCase();
    if (!HTML_TYPES.includes(mediaType)) {
      await this.deps.urls.markFailed(data.urlId, 'BAD_CONTENT_TYPE', `not an HTML page: ${mediaType}`);
      return { kind: 'failed', code: 'BAD_CONTENT_TYPE' };
    }

    const removals = this.deps.removals;
    if (
      removals &&
      ((await removals.isRemoved(new URL(data.finalUrl).host)) ||
        (await removals.isRemoved(new URL(data.url).host)))
    ) {
      await this.deps.urls.markSkipped([data.urlId], 'SITE_REMOVED', "removed at its owner's request");
      return { kind: 'rejected', reason: 'SITE_REMOVED' };
    }

    const body = await this.deps.blobs.get(data.blobKey);
    let page: PooledPage;
    try {
      const input = { body, url: data.finalUrl, ...(contentType ? { contentType } : {}) };
      page = this.deps.extractor ? await this.deps.extractor.extract(input) : extractPage(input);
    } catch (error) {
      if (error instanceof NonRetryableError) {
        await this.deps.urls.markFailed(data.urlId, error.code, error.message);
        return { kind: 'failed', code: error.code };
      }
      throw error;
    }

    if (campaign.spec.render === 'auto' && !data.rerender && page.needsJavaScript) {
      // Fetched without a browser, the page looks like an app shell: fetch it again, rendered, before judging it.
      const row = await this.deps.urls.requestRender(data.urlId);
      if (row) {
        const target = { id: data.campaignId, spec: campaign.spec };
        await this.deps.admission.enqueue(target, [pageFetchJob(target, row)]);
      }
      return { kind: 'rerender' };
    }
    const site = siteChoiceOf(
      page.directives,
      data.headers,
      await this.deps.robots?.tdmDeclarationFor?.(data.finalUrl),
    );
    // A page-level nofollow holds back every link; rel="nofollow" holds back its link unless the campaign says not.
    const followed =
      campaign.spec.nofollowLinks === 'ignore'
        ? page.outlinks
        : page.outlinks.filter((link) => !isNofollowLink(link.rel));
    if (site.followLinks && data.depth < campaign.spec.maxDepth && followed.length > 0) {
      await this.deps.admission.admit(
        { id: data.campaignId, spec: campaign.spec },
        followed.map((link) => ({ url: link.url, depth: data.depth + 1 })),
        retry,
      );
    }
    if (site.skip) {
      await this.deps.urls.markSkipped([data.urlId], site.skip.reason, site.skip.message);
      return { kind: 'rejected', reason: site.skip.reason };
    }

    if (page.text.trim().length === 0) {
      await this.deps.urls.markFailed(data.urlId, 'EMPTY_CONTENT', 'no main text found');
      return { kind: 'failed', code: 'EMPTY_CONTENT' };
    }
    const filter = qualityFilterOf(campaign.spec);
    if (filter) {
      const verdict = judgeQuality(page.quality, filter, page.language.detected);
      if (!verdict.ok) {
        await this.deps.urls.markSkipped([data.urlId], verdict.reason, verdict.message);
        return { kind: 'rejected', reason: verdict.reason };
      }
    }
    const host = new URL(data.finalUrl).host;
    // Lines this host repeats on many pages (navigation, footers, banners) are learned and dropped.
    const cleaned = this.deps.boilerplate
      ? await this.deps.boilerplate.clean(data.campaignId, host, page.text, page.markdown)
      : { text: page.text, markdown: page.markdown };
    const rules = campaign.spec.structuredFields;
    const structured =
      rules && rules.length > 0
        ? extractStructuredFields(decodeHtml(body, contentType ?? undefined).text, data.finalUrl, rules)
        : undefined;
    const content = {
      title: page.title,
      text: cleaned.text,
      markdown: cleaned.markdown,
      metadata: page.metadata,
      ...(structured ? { fields: structured.fields, fieldErrors: structured.errors } : {}),
    };
    // Personal data goes from everything the record keeps of the page, in one pass.
    const pii = campaign.spec.redactPii;
    const { title, text, markdown, metadata, fields, fieldErrors } = pii
      ? redactPage(content, pii).page
      : content;
    const accepted = {
      datasetId: campaign.datasetId,
      campaignId: data.campaignId,
      urlId: data.urlId,
      url: data.url,
      finalUrl: data.finalUrl,
      host,
      status: data.status,
      contentType,
      fetchedAt: new Date(data.fetchedAt),
      nodeId: data.nodeId,
      ownerId: data.ownerId,
      bodySha256: data.bodySha256,
      blobKey: data.blobKey,
      provenance: provenanceOf(data),
      httpHeaders: keptHeaders(data.headers),
      // The host that answered (after any redirect, which the gateway checked against its robots.txt).
      ...(this.deps.robots ? { robots: await this.deps.robots.decisionFor(data.finalUrl) } : {}),
      siteSignals: site.signals,
      title: title || null,
      text,
      markdown,
      language: page.language.declared ?? page.language.detected ?? null,
      textHash: textHash(text),
      metadata: page.fallback ? { ...metadata, extraction: 'fallback' } : metadata,
      quality: page.quality,
      ...(round > 0 ? { round } : {}),
      // Kept on the URL as it is finished, for the next round's conditional request.
      validators: { etag: data.headers.etag, lastModified: data.headers['last-modified'] },
      ...(structured ? { fields, fieldErrors } : {}),
    };
    if (round > 0 && (await this.deps.records.latestOfUrl(data.urlId))?.textHash === accepted.textHash) {
      // Refetched without a 304 but with the same text: the record stands (new validators are kept for next time).
      await this.deps.urls.markUnchanged(data.urlId, accepted.validators);
      return { kind: 'unchanged' };
    }
    const near = await this.nearDuplicateOf(
      accepted.datasetId,
      data.urlId,
      accepted.textHash,
      text,
      page.quality.wordCount,
    );
    const outcome = near
      ? await this.deps.records.acceptNearDuplicate(accepted, near.recordId, near.similarity)
      : await this.deps.records.accept(accepted);
    this.logger.debug({ urlId: data.urlId, outcome: outcome.kind }, 'page processed');
    return outcome;
  }

  /**
   * The record this text nearly repeats, if any. Exact repeats are left to the database's unique hash; a URL is
   * indexed under its own id, so a retried job finds itself, which does not count.
   */
  private async nearDuplicateOf(
    datasetId: string,
    urlId: number,
    hash: string,
    text: string,
    wordCount: number,
  ): Promise<{ recordId: string; similarity: number } | undefined> {
    const near = this.deps.nearDuplicates;
    if (!near || wordCount < MIN_WORDS_FOR_NEAR_DUPLICATES) return undefined;
    if (await this.deps.records.hasTextHash(datasetId, hash)) return undefined;
    const docId = `u${urlId}`;
    const verdict = await near.index.checkAndAdd(datasetId, docId, near.hasher.signature(text));
    if (!verdict.duplicateOf || verdict.duplicateOf === docId) return undefined;
    const recordId = await this.deps.records.recordIdOfUrl(Number(verdict.duplicateOf.slice(1)));
    // An original whose record never landed (its worker died first) cannot be linked to: keep this page.
    return recordId ? { recordId, similarity: verdict.similarity ?? 0 } : undefined;
  }
}
