/** Text-quality measures in the style of Gopher's and FineWeb's filters. Ratios are in [0, 1]. */
export interface QualitySignals {
  /** Words (runs of non-space characters). */
  wordCount: number;
  /** Mean characters per word. */
  meanWordLength: number;
  /** (`#` + `...`/`…`) per word (Gopher's symbol-to-word ratio). */
  symbolToWordRatio: number;
  /** Digits per non-space character. */
  digitRatio: number;
  /** Share of non-empty lines ending in terminal punctuation (FineWeb). */
  lineEndPunctuationRatio: number;
  /** Share of non-empty lines that repeat an earlier line. */
  duplicateLineRatio: number;
  /** Share of paragraphs (blank-line separated) that repeat an earlier paragraph. */
  duplicateParagraphRatio: number;
  /** Share of characters covered by the most frequent word 2-gram (Gopher). */
  top2gramCharRatio: number;
  /** Share of characters covered by the most frequent word 3-gram. */
  top3gramCharRatio: number;
  /** Share of characters covered by the most frequent word 4-gram. */
  top4gramCharRatio: number;
}

/** Longest text measured; longer text is measured on its first this many characters. */
export const MAX_QUALITY_CHARS = 1_000_000;

const TERMINAL = /[.!?…。！？"'”’»)\]:;]$/u;

function duplicateShare(items: string[]): number {
  if (items.length === 0) return 0;
  const seen = new Set<string>();
  let duplicates = 0;
  for (const item of items) {
    if (seen.has(item)) duplicates++;
    else seen.add(item);
  }
  return duplicates / items.length;
}

function topNgramCharRatio(words: string[], n: number, totalChars: number): number {
  if (words.length < n || totalChars === 0) return 0;
  const counts = new Map<string, number>();
  let best = '';
  let bestCount = 0;
  for (let i = 0; i + n <= words.length; i++) {
    const gram = words.slice(i, i + n).join(' ');
    const count = (counts.get(gram) ?? 0) + 1;
    counts.set(gram, count);
    if (count > bestCount) {
      bestCount = count;
      best = gram;
    }
  }
  if (bestCount < 2) return 0;
  const gramChars = best.length - (n - 1);
  return Math.min(1, (gramChars * bestCount) / totalChars);
}

const round = (value: number): number => Math.round(value * 10_000) / 10_000;

/**
 * Measure `text` (main-content text, paragraphs separated by blank lines). Texts longer than
 * {@link MAX_QUALITY_CHARS} are measured on their beginning. N-grams are of lower-cased words.
 */
export function qualitySignals(text: string): QualitySignals {
  const sample = text.length > MAX_QUALITY_CHARS ? text.slice(0, MAX_QUALITY_CHARS) : text;
  const words = sample.split(/\s+/u).filter((w) => w !== '');
  const wordChars = words.reduce((sum, w) => sum + w.length, 0);
  let symbols = 0;
  for (const word of words) {
    if (word.includes('#')) symbols++;
    if (word.includes('...') || word.includes('…')) symbols++;
  }
  const digits = sample.match(/\p{Nd}/gu)?.length ?? 0;
  const lines = sample
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const paragraphs = sample
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const lowered = words.map((w) => w.toLowerCase());
  return {
    wordCount: words.length,
    meanWordLength: words.length === 0 ? 0 : round(wordChars / words.length),
    symbolToWordRatio: words.length === 0 ? 0 : round(symbols / words.length),
    digitRatio: wordChars === 0 ? 0 : round(digits / wordChars),
    lineEndPunctuationRatio:
      lines.length === 0 ? 0 : round(lines.filter((l) => TERMINAL.test(l)).length / lines.length),
    duplicateLineRatio: round(duplicateShare(lines)),
    duplicateParagraphRatio: round(duplicateShare(paragraphs)),
    top2gramCharRatio: round(topNgramCharRatio(lowered, 2, wordChars)),
    top3gramCharRatio: round(topNgramCharRatio(lowered, 3, wordChars)),
    top4gramCharRatio: round(topNgramCharRatio(lowered, 4, wordChars)),
  };
}
