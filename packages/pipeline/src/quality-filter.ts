import { QUALITY_REJECT_REASONS, type QualityRejectReason, type QualitySpec } from '@gleaner/core';
import type { QualitySignals } from '@gleaner/extract';

/** Stable codes for why a page failed a campaign's quality filter (defined in core, beside the other skip reasons). */
export { QUALITY_REJECT_REASONS, type QualityRejectReason };

/**
 * A campaign's quality thresholds, compared with the extractor's {@link QualitySignals}. Every field is
 * optional and its check is off unless it is set. Bounds are inclusive: a page whose measure equals a
 * threshold passes. Ratios are fractions in [0, 1], not percentages.
 */
export type QualityFilter = Omit<QualitySpec, 'preset'>;

/** The verdict of {@link judgeQuality}: pass, or the first failed check with a human-readable message. */
export type QualityVerdict = { ok: true } | { ok: false; reason: QualityRejectReason; message: string };

/**
 * The thresholds of the quality and repetition filters of DeepMind's Gopher / MassiveText (Rae et al., 2021,
 * "Scaling Language Models", appendix A) that Gleaner's signals can express: 50 to 100,000 words, mean word
 * length 3 to 10 characters, at most 0.1 symbols per word, at most 30 % duplicate lines and 30 % duplicate
 * paragraphs, and a most frequent 2-, 3- and 4-gram covering at most 20 %, 18 % and 16 % of characters.
 * Gopher's rules on bullet and ellipsis lines, alphabetic words, stop words, duplicate characters and
 * 5- to 10-gram duplication have no matching signal and are not applied.
 */
export const GOPHER_PRESET: Readonly<QualityFilter> = Object.freeze({
  minWords: 50,
  maxWords: 100_000,
  minMeanWordLength: 3,
  maxMeanWordLength: 10,
  maxSymbolToWordRatio: 0.1,
  maxDuplicateLineRatio: 0.3,
  maxDuplicateParagraphRatio: 0.3,
  maxTop2gramCharRatio: 0.2,
  maxTop3gramCharRatio: 0.18,
  maxTop4gramCharRatio: 0.16,
});

/**
 * FineWeb's stack (Penedo et al., 2024) as far as Gleaner's signals reach: the {@link GOPHER_PRESET}
 * thresholds (FineWeb applies Gopher's quality and repetition filters unchanged) plus FineWeb's own rule that
 * more than 12 % of lines end in punctuation (`minLineEndPunctuationRatio: 0.12`; FineWeb rejects a ratio of
 * exactly 0.12, this preset keeps it). FineWeb's short-line, list and duplicate-line-character rules and its
 * C4 filters have no matching signal and are not applied. Add `allowedLanguages: ["en"]` for FineWeb's
 * English-only selection.
 */
export const FINEWEB_PRESET: Readonly<QualityFilter> = Object.freeze({
  ...GOPHER_PRESET,
  minLineEndPunctuationRatio: 0.12,
});

/** Shows a measure without float noise: at most four decimals, no trailing zeros. */
function show(value: number): string {
  return String(Math.round(value * 10_000) / 10_000);
}

function reject(reason: QualityRejectReason, message: string): QualityVerdict {
  return { ok: false, reason, message };
}

/** True when `language` (e.g. `en-GB`) is allowed by an entry (`en` allows any region; `en-GB` only itself). */
function languageAllowed(language: string, allowed: readonly string[]): boolean {
  const lang = language.toLowerCase();
  const primary = lang.split('-')[0];
  return allowed.some((entry) => {
    const want = entry.toLowerCase();
    return want === lang || want === primary;
  });
}

/** One threshold check: `min` rejects a value below the threshold, `max` one above it. */
type Check = [
  side: 'min' | 'max',
  reason: QualityRejectReason,
  label: string,
  value: number,
  threshold: number | undefined,
];

/** The checks in the order they run; the first failure wins. */
function checksFor(s: QualitySignals, f: QualityFilter): Check[] {
  return [
    ['min', 'TOO_FEW_WORDS', 'word count', s.wordCount, f.minWords],
    ['max', 'TOO_MANY_WORDS', 'word count', s.wordCount, f.maxWords],
    ['min', 'MEAN_WORD_LENGTH', 'mean word length', s.meanWordLength, f.minMeanWordLength],
    ['max', 'MEAN_WORD_LENGTH', 'mean word length', s.meanWordLength, f.maxMeanWordLength],
    ['max', 'SYMBOL_RATIO', 'symbol-to-word ratio', s.symbolToWordRatio, f.maxSymbolToWordRatio],
    ['max', 'DIGIT_RATIO', 'digit ratio', s.digitRatio, f.maxDigitRatio],
    [
      'min',
      'TOO_FEW_PUNCTUATED_LINES',
      'share of lines ending in punctuation',
      s.lineEndPunctuationRatio,
      f.minLineEndPunctuationRatio,
    ],
    ['max', 'DUPLICATE_LINES', 'duplicate line ratio', s.duplicateLineRatio, f.maxDuplicateLineRatio],
    [
      'max',
      'DUPLICATE_PARAGRAPHS',
      'duplicate paragraph ratio',
      s.duplicateParagraphRatio,
      f.maxDuplicateParagraphRatio,
    ],
    ['max', 'NGRAM_REPETITION', 'top 2-gram character share', s.top2gramCharRatio, f.maxTop2gramCharRatio],
    ['max', 'NGRAM_REPETITION', 'top 3-gram character share', s.top3gramCharRatio, f.maxTop3gramCharRatio],
    ['max', 'NGRAM_REPETITION', 'top 4-gram character share', s.top4gramCharRatio, f.maxTop4gramCharRatio],
  ];
}

/**
 * Judge one page's quality signals against a campaign's filter. Checks run in a fixed order — language, word
 * count, mean word length, symbol ratio, digit ratio, punctuated lines, duplicate lines, duplicate paragraphs,
 * n-gram repetition — and the first failure is returned with a stable reason and a message naming the measure,
 * its value and the threshold (e.g. `"mean word length 2.1 below 3"`). Unset thresholds are skipped.
 *
 * @param language the page's detected language (ISO 639-1); when `allowedLanguages` is set and the language is
 *   unknown, the page is rejected with `LANGUAGE_NOT_ALLOWED`.
 */
export function judgeQuality(
  signals: QualitySignals,
  filter: QualityFilter,
  language?: string,
): QualityVerdict {
  const allowed = filter.allowedLanguages;
  if (allowed !== undefined && allowed.length > 0) {
    if (language === undefined || language === '') {
      return reject('LANGUAGE_NOT_ALLOWED', `language unknown, allowed ${allowed.join(', ')}`);
    }
    if (!languageAllowed(language, allowed)) {
      return reject('LANGUAGE_NOT_ALLOWED', `language ${language} not in ${allowed.join(', ')}`);
    }
  }

  for (const [side, reason, label, value, threshold] of checksFor(signals, filter)) {
    if (threshold === undefined) continue;
    if (side === 'min' ? value < threshold : value > threshold) {
      const relation = side === 'min' ? 'below' : 'above';
      return reject(reason, `${label} ${show(value)} ${relation} ${show(threshold)}`);
    }
  }
  return { ok: true };
}
