import { GLEANER_ROBOTS_AGENT } from '@gleaner/core';

/** What a page's own `<meta>` tags say to crawlers: robots directives and a TDMRep declaration. */
export interface PageDirectives {
  /** Robots directives for Gleaner from `<meta name="robots">` and `<meta name="gleanerbot">`, lower case. */
  robots: string[];
  /** `<meta name="tdm-reservation" content="0|1">`; absent when missing or not 0 or 1 (TDMRep: an error is unset). */
  tdmReservation?: 0 | 1;
  /** `<meta name="tdm-policy" content="…">`, when it is an http(s) URL. */
  tdmPolicy?: string;
}

/** Most directives kept from one header or tag: a hostile page cannot grow a record's signals without bound. */
export const MAX_ROBOTS_DIRECTIVES = 32;

/** Longest header or `content` value read, characters; the rest is ignored. */
const MAX_VALUE_CHARS = 2000;

/** Directives that carry a value after a colon: `max-snippet: 20` is not an agent named `max-snippet`. */
const VALUED_DIRECTIVES = new Set([
  'max-snippet',
  'max-image-preview',
  'max-video-preview',
  'unavailable_after',
]);

/** One directive, normalized: lower case, inner space around `:` removed, length capped. */
function directive(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/\s*:\s*/, ':')
    .slice(0, 100);
}

/**
 * The directives in a robots value (`noindex, nofollow`) that apply to Gleaner. A value may address crawlers by
 * name, as `X-Robots-Tag` allows (`gleanerbot: noindex`, `otherbot: nofollow, noarchive`): a name applies to the
 * directives after it until the next name, and only unnamed ones and those named `gleanerbot` are kept.
 * `agent` names the crawler a whole value is addressed to (a `<meta name="gleanerbot">`), if any.
 */
export function robotsDirectivesFor(value: string, agent?: string): string[] {
  const out: string[] = [];
  let current = agent?.toLowerCase();
  for (const part of value.slice(0, MAX_VALUE_CHARS).split(',')) {
    let token = part.trim();
    const named = /^([a-z0-9_.-]+)\s*:\s*(.*)$/i.exec(token);
    if (named && !VALUED_DIRECTIVES.has(named[1]!.toLowerCase())) {
      current = named[1]!.toLowerCase();
      token = named[2]!;
    }
    if (token === '' || (current !== undefined && current !== GLEANER_ROBOTS_AGENT)) continue;
    out.push(directive(token));
    if (out.length >= MAX_ROBOTS_DIRECTIVES) break;
  }
  return out;
}

/** A TDMRep `tdm-reservation` value: 0 or 1, else undefined (TDMRep reads a malformed value as unset). */
export function tdmReservationOf(value: string | undefined): 0 | 1 | undefined {
  const trimmed = value?.trim();
  return trimmed === '1' ? 1 : trimmed === '0' ? 0 : undefined;
}

/** A TDMRep `tdm-policy` value when it is an absolute http(s) URL, else undefined. */
export function tdmPolicyOf(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed || trimmed.length > MAX_VALUE_CHARS) return undefined;
  try {
    const url = new URL(trimmed);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** The attributes of a `<meta>` element that matter here. */
export interface MetaAttributes {
  name?: string;
  content?: string;
}

/**
 * What a page's `<meta>` tags say to Gleaner: `robots` and `gleanerbot` directives, and TDMRep's
 * `tdm-reservation` and `tdm-policy` (the first of each counts).
 */
export function pageDirectives(metas: readonly MetaAttributes[]): PageDirectives {
  const robots: string[] = [];
  let tdmReservation: 0 | 1 | undefined;
  let tdmPolicy: string | undefined;
  let seenReservation = false;
  let seenPolicy = false;
  for (const meta of metas) {
    const name = meta.name?.trim().toLowerCase();
    const content = meta.content;
    if (!name || content === undefined) continue;
    if ((name === 'robots' || name === GLEANER_ROBOTS_AGENT) && robots.length < MAX_ROBOTS_DIRECTIVES) {
      // A tag addressed to Gleaner by name applies whole; inside it, names of other crawlers still mean them.
      const agent = name === 'robots' ? undefined : name;
      robots.push(...robotsDirectivesFor(content, agent).slice(0, MAX_ROBOTS_DIRECTIVES - robots.length));
    } else if (name === 'tdm-reservation' && !seenReservation) {
      seenReservation = true;
      tdmReservation = tdmReservationOf(content);
    } else if (name === 'tdm-policy' && !seenPolicy) {
      seenPolicy = true;
      tdmPolicy = tdmPolicyOf(content);
    }
  }
  return {
    robots,
    ...(tdmReservation === undefined ? {} : { tdmReservation }),
    ...(tdmPolicy === undefined ? {} : { tdmPolicy }),
  };
}
