import type { SiteSignals, SiteSkipReason } from '@gleaner/core';
import {
  robotsDirectivesFor,
  tdmPolicyOf,
  tdmReservationOf,
  MAX_ROBOTS_DIRECTIVES,
  type PageDirectives,
} from '@gleaner/extract';
import type { TdmDeclaration } from '@gleaner/frontier';

/** What a page's site chose for it: whether it may be a record, whether its links may be followed, and the signals. */
export interface SiteChoice {
  /** Set when the page must not become a record: why, as the URL's skip reason, and a message for people. */
  skip?: { reason: SiteSkipReason; message: string };
  /** False under a page-level `nofollow` (or `none`): none of its links are admitted. */
  followLinks: boolean;
  /** Published with the record. */
  signals: SiteSignals;
}

/** A response header by name, whatever case the node kept it in. */
function header(headers: Record<string, string>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

/**
 * Reads the choices a site made for one page from its meta tags, its response headers (`X-Robots-Tag`,
 * `tdm-reservation`, `tdm-policy`) and its tdmrep.json. Robots directives count from either place (both are the
 * site's word); TDMRep is read in its own order — tdmrep.json, then the header, then the meta tag — and the first
 * that declares anything decides. `noindex`/`none` → `NOINDEX`, `noai` → `NOAI`, a reservation → `TDM_RESERVED`;
 * page-level `nofollow`/`none` → no links admitted; everything else (`noarchive`, `noimageai`, ...) is published.
 */
export function siteChoiceOf(
  page: PageDirectives,
  headers: Record<string, string>,
  file: TdmDeclaration | undefined,
): SiteChoice {
  const xRobots = header(headers, 'x-robots-tag');
  const robots = [
    ...new Set([...page.robots, ...(xRobots === undefined ? [] : robotsDirectivesFor(xRobots))]),
  ]
    .sort()
    .slice(0, MAX_ROBOTS_DIRECTIVES);
  const has = (directive: string) => robots.includes(directive);

  const fromHeader = tdmReservationOf(header(headers, 'tdm-reservation'));
  const tdm =
    file !== undefined
      ? { reservation: file.reservation, policy: file.policy, source: 'file' as const }
      : fromHeader !== undefined
        ? {
            reservation: fromHeader,
            policy: tdmPolicyOf(header(headers, 'tdm-policy')),
            source: 'header' as const,
          }
        : page.tdmReservation !== undefined
          ? { reservation: page.tdmReservation, policy: page.tdmPolicy, source: 'meta' as const }
          : undefined;
  const signals: SiteSignals = {
    robots,
    tdmReservation: tdm?.reservation ?? null,
    tdmPolicy: tdm?.policy ?? null,
    tdmSource: tdm?.source ?? null,
  };
  const followLinks = !has('nofollow') && !has('none');
  const skip =
    has('noindex') || has('none')
      ? { reason: 'NOINDEX' as const, message: 'the page asks not to be indexed (noindex)' }
      : has('noai')
        ? { reason: 'NOAI' as const, message: 'the page asks not to be used for AI (noai)' }
        : tdm?.reservation === 1
          ? {
              reason: 'TDM_RESERVED' as const,
              message: `text and data mining rights reserved (TDMRep ${tdm.source}${tdm.policy ? `, policy ${tdm.policy}` : ''})`,
            }
          : undefined;
  return { ...(skip ? { skip } : {}), followLinks, signals };
}

/** Whether a link's `rel` marks it `nofollow`. */
export function isNofollowLink(rel: string): boolean {
  return rel.split(/\s+/).includes('nofollow');
}
