/**
 * What a site said about one page, beyond robots.txt: the robots directives that apply to Gleaner (meta robots and
 * `X-Robots-Tag`) and its TDMRep declaration (the `tdm-reservation` header, meta tag or `/.well-known/tdmrep.json`).
 * Published with every record, so labs see the choices that came with it.
 */
export interface SiteSignals {
  /**
   * Robots directives for Gleaner's crawler from `<meta name="robots">`, `<meta name="gleanerbot">` and the
   * `X-Robots-Tag` header (generic ones and those addressed to `gleanerbot`), lower case, sorted, each once:
   * `nofollow`, `noarchive`, `noimageai`, `nosnippet`, ... A record never carries `noindex`, `none` or `noai`.
   */
  robots: string[];
  /** TDMRep `tdm-reservation`: 0 when the site declares its rights not reserved, null when it declares nothing. */
  tdmReservation: 0 | 1 | null;
  /** TDMRep `tdm-policy`: the URL of the site's licensing policy, when it gives one. */
  tdmPolicy: string | null;
  /** Where the TDMRep declaration came from: the response header, the page's meta tag, or the site's tdmrep.json. */
  tdmSource: 'header' | 'meta' | 'file' | null;
}

/**
 * Why a fetched page became no record because of a choice its site made (stored as the URL's skip reason):
 * `NOINDEX` (meta robots or `X-Robots-Tag` `noindex`/`none`), `NOAI` (`noai`), `TDM_RESERVED` (TDMRep
 * `tdm-reservation: 1`), `SITE_REMOVED` (the site's owner asked for its removal and proved control of it).
 */
export const SITE_SKIP_REASONS = ['NOINDEX', 'NOAI', 'TDM_RESERVED', 'SITE_REMOVED'] as const;

/** One of {@link SITE_SKIP_REASONS}. */
export type SiteSkipReason = (typeof SITE_SKIP_REASONS)[number];

/** The robots.txt-style product token Gleaner's crawler answers to in agent-specific directives. */
export const GLEANER_ROBOTS_AGENT = 'gleanerbot';
