/** When a campaign's pages are rendered in a browser. */
export type RenderPolicy = 'never' | 'always' | 'auto';

/** How far a campaign may wander from its seeds. */
export type ScopeMode = 'same-host' | 'same-domain' | 'hosts';

/** A campaign's validated specification (see the API's `CampaignSpec` schema for defaults). */
export interface CampaignSpec {
  /** Absolute http(s) URLs to start from. */
  seeds: string[];
  /** `same-host`: the seeds' hosts; `same-domain`: their registrable domains and subdomains; `hosts`: `hosts` only. */
  scope: { mode: ScopeMode; hosts: string[] };
  /** Regular expressions; when any is given, a URL must match one. */
  include: string[];
  /** Regular expressions; a URL matching any is skipped. */
  exclude: string[];
  /** Most URLs the campaign admits. */
  maxPages: number;
  /** Most links followed from a seed (seeds are depth 0). */
  maxDepth: number;
  /**
   * Whether nodes render pages in a browser: `never`, `always`, or `auto` — fetched without one, and fetched again
   * with one when the page looks like it needs JavaScript (little text, an empty app mount point, a `<noscript>`
   * asking for JavaScript).
   */
  render: RenderPolicy;
  /** Sitemaps to read (sitemap indexes and gzipped sitemaps too); their URLs are admitted as seeds. */
  sitemaps?: string[];
  /** Also read the sitemaps each host's robots.txt lists. Default true. */
  discoverSitemaps?: boolean;
  /**
   * Links marked `rel="nofollow"`: `honour` leaves them out of the frontier, `ignore` follows them like any link.
   * Default `honour`. A page-level `nofollow` (meta robots, `X-Robots-Tag`) is always honoured.
   */
  nofollowLinks?: 'honour' | 'ignore';
  /**
   * Media types (prefixes, e.g. `text/html`) the campaign's pages may have; the node refuses others at the headers
   * (`BAD_CONTENT_TYPE`) without downloading them. Default: every type the node accepts.
   */
  allowedContentTypes?: string[];
  /**
   * 1 (lowest) to 10 (highest); default 5. When nodes are scarce, due pages of higher-priority campaigns are leased
   * first; within one priority, due pages go first come, first served. robots.txt and sitemaps always go first.
   */
  priority?: number;
  /**
   * URL normalization (docs/frontier.md): `dropParameters` replaces the default list of tracking parameters (exact
   * names or `prefix*`; `[]` keeps every parameter), `sortQuery` (default true) sorts the query by name.
   */
  normalization?: { dropParameters?: string[]; sortQuery?: boolean };
  /** Most URLs admitted per host; unlimited when absent. */
  maxPagesPerHost?: number;
  /** Per-host pace: at least `minIntervalMs` between requests, at most `maxInFlight` at once. */
  politeness?: { minIntervalMs: number; maxInFlight: number };
  /** Pages whose quality signals fail these thresholds are skipped with the reason (docs/quality-and-pii.md). */
  quality?: QualitySpec;
  /** Replace e-mail addresses, phone numbers and IP addresses in stored text with placeholders. */
  redactPii?: { emails: boolean; phones: boolean; ipAddresses: boolean };
  /** Declarative field rules that add typed JSON fields to each record (docs/structured-fields.md). */
  structuredFields?: StructuredFieldRule[];
  /** Fetch the campaign's pages again, `intervalMs` after each round completes (docs/frontier.md, Recrawls). */
  recrawl?: RecrawlSpec;
  /** Snapshots of the campaign's dataset cut automatically, and what their dataset card says (docs/datasets.md). */
  snapshots?: SnapshotSpec;
}

/** Automatic snapshots of a campaign's dataset. */
export interface SnapshotSpec {
  /** Cut a snapshot when the campaign completes and at the end of each recrawl round. */
  afterEachRound: boolean;
  /** Also cut one every so many hours while the campaign runs. */
  everyHours?: number;
  /** The Hugging Face licence id the dataset card names (for example `cc-by-4.0`); `other` when absent. */
  license?: string;
  /** A paragraph for the dataset card. */
  description?: string;
}

/**
 * A recrawl schedule: `intervalMs` after a round completes, every page the campaign recorded is fetched again with
 * a conditional request; an unchanged page costs a 304 and keeps its record, a changed one gets a new version.
 */
export interface RecrawlSpec {
  /** Time from the end of one round to the start of the next, ms. */
  intervalMs: number;
  /** How many recrawl rounds to run after the first crawl; unlimited when absent. */
  rounds?: number;
}

/**
 * A campaign's quality filter: a preset, overridden field by field. Each threshold is off unless set; bounds are
 * inclusive; ratios are fractions in [0, 1].
 */
export interface QualitySpec {
  /** The thresholds a preset fills in (`gopher`, `fineweb`); the fields below override them one by one. */
  preset: 'none' | 'gopher' | 'fineweb';
  /** Detected languages accepted (ISO 639-1, e.g. `["en", "de"]`); off when absent or empty. */
  allowedLanguages?: string[];
  /** Fewest words (whitespace-separated tokens). */
  minWords?: number;
  /** Most words. */
  maxWords?: number;
  /** Shortest mean word length, in characters. */
  minMeanWordLength?: number;
  /** Longest mean word length, in characters. */
  maxMeanWordLength?: number;
  /** Highest symbol-to-word ratio (`#` and ellipses per word). */
  maxSymbolToWordRatio?: number;
  /** Highest share of digits among non-space characters. */
  maxDigitRatio?: number;
  /** Lowest share of non-empty lines that end in terminal punctuation. */
  minLineEndPunctuationRatio?: number;
  /** Highest share of non-empty lines that repeat an earlier line. */
  maxDuplicateLineRatio?: number;
  /** Highest share of paragraphs that repeat an earlier paragraph. */
  maxDuplicateParagraphRatio?: number;
  /** Highest share of characters covered by the most frequent word 2-gram. */
  maxTop2gramCharRatio?: number;
  /** Highest share of characters covered by the most frequent word 3-gram. */
  maxTop3gramCharRatio?: number;
  /** Highest share of characters covered by the most frequent word 4-gram. */
  maxTop4gramCharRatio?: number;
}

/** One structured-field rule: a CSS selector read as a typed value (see the extract package for the semantics). */
export interface StructuredFieldRule {
  name: string;
  selector: string;
  attribute?: string;
  type: 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'url';
  list: boolean;
  required: boolean;
  default?: string | number | boolean | null;
  pattern?: string;
  trim: boolean;
  decimalSeparator?: '.' | ',';
}

/** A campaign's priority when its spec sets none. */
export const DEFAULT_CAMPAIGN_PRIORITY = 5;

/** The pace of a host when a campaign sets none: one request a second, two at most in flight. */
export const DEFAULT_POLITENESS = { minIntervalMs: 1000, maxInFlight: 2 } as const;

/** Lifecycle of a campaign. */
export type CampaignStatus = 'draft' | 'running' | 'paused' | 'completed' | 'cancelled';
