import { pathPatternMatcher } from './robots-rules.js';

/** Where TDMRep puts a site's declarations. */
export const TDMREP_PATH = '/.well-known/tdmrep.json';

/** Largest tdmrep.json read, bytes; the rest is ignored (a truncated file is malformed, so declares nothing). */
export const MAX_TDMREP_BYTES = 512_000;

/** Most rules read from one file. */
export const MAX_TDMREP_RULES = 1000;

/** One TDMRep declaration: rights reserved (1) or not (0), and the site's licensing policy, if it names one. */
export interface TdmDeclaration {
  reservation: 0 | 1;
  policy?: string;
}

/** The declarations of one tdmrep.json. */
export interface TdmrepRules {
  /** The declaration of the first rule whose `location` matches the path and query, if any. */
  declarationFor(pathAndQuery: string): TdmDeclaration | undefined;
}

/** Rules that declare nothing: no file, an unreadable one, or one that is not TDMRep. */
export const NO_TDMREP: TdmrepRules = Object.freeze({ declarationFor: () => undefined });

function policyOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2000) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Parses a `/.well-known/tdmrep.json` (TDMRep, W3C Community Group final report): an array of rules, each a
 * `location` in robots.txt path syntax with a `tdm-reservation` of 0 or 1 and an optional `tdm-policy` URL; the first
 * rule whose location matches a path applies. A file that is not such an array declares nothing; a rule without a
 * usable location or reservation is skipped (TDMRep reads a protocol error as no reservation).
 */
export function parseTdmrep(text: string): TdmrepRules {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.length > MAX_TDMREP_BYTES ? text.slice(0, MAX_TDMREP_BYTES) : text);
  } catch {
    return NO_TDMREP;
  }
  if (!Array.isArray(parsed)) return NO_TDMREP;
  const rules: { matches: (path: string) => boolean; declaration: TdmDeclaration }[] = [];
  for (const entry of parsed.slice(0, MAX_TDMREP_RULES) as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const {
      location,
      'tdm-reservation': reservation,
      'tdm-policy': policy,
    } = entry as Record<string, unknown>;
    if (typeof location !== 'string' || location.length > 2000) continue;
    if (reservation !== 0 && reservation !== 1 && reservation !== '0' && reservation !== '1') continue;
    const matches = pathPatternMatcher(location);
    if (!matches) continue;
    const url = policyOf(policy);
    rules.push({
      matches,
      declaration: { reservation: Number(reservation) as 0 | 1, ...(url ? { policy: url } : {}) },
    });
  }
  if (rules.length === 0) return NO_TDMREP;
  return {
    declarationFor: (pathAndQuery) => rules.find((rule) => rule.matches(pathAndQuery))?.declaration,
  };
}
