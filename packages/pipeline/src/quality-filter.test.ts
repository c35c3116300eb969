import type { QualitySignals } from '@gleaner/extract';
import { qualitySignals } from '@gleaner/extract';
import { describe, expect, it } from 'vitest';
import type { QualityFilter, QualityRejectReason } from './quality-filter.js';
import { FINEWEB_PRESET, GOPHER_PRESET, judgeQuality, QUALITY_REJECT_REASONS } from './quality-filter.js';

/** Signals of a clean, ordinary page; tests override one measure at a time. */
const good: QualitySignals = {
  wordCount: 800,
  meanWordLength: 4.8,
  symbolToWordRatio: 0.01,
  digitRatio: 0.02,
  lineEndPunctuationRatio: 0.7,
  duplicateLineRatio: 0.02,
  duplicateParagraphRatio: 0,
  top2gramCharRatio: 0.03,
  top3gramCharRatio: 0.02,
  top4gramCharRatio: 0.01,
};

const signals = (overrides: Partial<QualitySignals>): QualitySignals => ({ ...good, ...overrides });

describe('judgeQuality', () => {
  it('passes everything with an empty filter', () => {
    const awful = signals({ wordCount: 0, meanWordLength: 0, duplicateLineRatio: 1, top2gramCharRatio: 1 });
    expect(judgeQuality(awful, {})).toEqual({ ok: true });
  });

  it('passes a clean page under both presets', () => {
    expect(judgeQuality(good, GOPHER_PRESET)).toEqual({ ok: true });
    expect(judgeQuality(good, FINEWEB_PRESET)).toEqual({ ok: true });
  });

  const cases: [QualityRejectReason, Partial<QualitySignals>, QualityFilter, string][] = [
    ['TOO_FEW_WORDS', { wordCount: 12 }, { minWords: 50 }, 'word count 12 below 50'],
    ['TOO_MANY_WORDS', { wordCount: 150_000 }, { maxWords: 100_000 }, 'word count 150000 above 100000'],
    ['MEAN_WORD_LENGTH', { meanWordLength: 2.1 }, { minMeanWordLength: 3 }, 'mean word length 2.1 below 3'],
    [
      'MEAN_WORD_LENGTH',
      { meanWordLength: 12.5 },
      { maxMeanWordLength: 10 },
      'mean word length 12.5 above 10',
    ],
    [
      'SYMBOL_RATIO',
      { symbolToWordRatio: 0.15 },
      { maxSymbolToWordRatio: 0.1 },
      'symbol-to-word ratio 0.15 above 0.1',
    ],
    ['DIGIT_RATIO', { digitRatio: 0.4 }, { maxDigitRatio: 0.25 }, 'digit ratio 0.4 above 0.25'],
    [
      'TOO_FEW_PUNCTUATED_LINES',
      { lineEndPunctuationRatio: 0.05 },
      { minLineEndPunctuationRatio: 0.12 },
      'share of lines ending in punctuation 0.05 below 0.12',
    ],
    [
      'DUPLICATE_LINES',
      { duplicateLineRatio: 0.45 },
      { maxDuplicateLineRatio: 0.3 },
      'duplicate line ratio 0.45 above 0.3',
    ],
    [
      'DUPLICATE_PARAGRAPHS',
      { duplicateParagraphRatio: 0.5 },
      { maxDuplicateParagraphRatio: 0.3 },
      'duplicate paragraph ratio 0.5 above 0.3',
    ],
    [
      'NGRAM_REPETITION',
      { top2gramCharRatio: 0.25 },
      { maxTop2gramCharRatio: 0.2 },
      'top 2-gram character share 0.25 above 0.2',
    ],
    [
      'NGRAM_REPETITION',
      { top3gramCharRatio: 0.2 },
      { maxTop3gramCharRatio: 0.18 },
      'top 3-gram character share 0.2 above 0.18',
    ],
    [
      'NGRAM_REPETITION',
      { top4gramCharRatio: 0.17 },
      { maxTop4gramCharRatio: 0.16 },
      'top 4-gram character share 0.17 above 0.16',
    ],
  ];

  it.each(cases)('rejects with %s (%j, %j)', (reason, overrides, filter, message) => {
    expect(judgeQuality(signals(overrides), filter)).toEqual({ ok: false, reason, message });
  });

  it.each(cases)('does not reject with %s when that threshold is unset', (_reason, overrides) => {
    expect(judgeQuality(signals(overrides), {})).toEqual({ ok: true });
  });

  it('treats thresholds as inclusive', () => {
    const edge = signals({
      wordCount: 50,
      meanWordLength: 10,
      symbolToWordRatio: 0.1,
      top2gramCharRatio: 0.2,
    });
    expect(judgeQuality(edge, GOPHER_PRESET)).toEqual({ ok: true });
  });

  it('shows measures without float noise', () => {
    const verdict = judgeQuality(signals({ digitRatio: 0.1 + 0.2 }), { maxDigitRatio: 0.25 });
    expect(verdict).toEqual({ ok: false, reason: 'DIGIT_RATIO', message: 'digit ratio 0.3 above 0.25' });
  });

  it('reports the first failure in the documented order', () => {
    const bad = signals({ wordCount: 10, meanWordLength: 1, duplicateLineRatio: 0.9 });
    expect(judgeQuality(bad, GOPHER_PRESET)).toMatchObject({ reason: 'TOO_FEW_WORDS' });
    expect(judgeQuality(bad, { ...GOPHER_PRESET, allowedLanguages: ['en'] }, 'fr')).toMatchObject({
      reason: 'LANGUAGE_NOT_ALLOWED',
    });
  });

  it('returns only documented reasons', () => {
    for (const [, overrides, filter] of cases) {
      const verdict = judgeQuality(signals(overrides), filter);
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) expect(QUALITY_REJECT_REASONS).toContain(verdict.reason);
    }
  });
});

describe('language allow-list', () => {
  const filter: QualityFilter = { allowedLanguages: ['en', 'de-AT'] };

  it('accepts an allowed language, its regional variants and any letter case', () => {
    expect(judgeQuality(good, filter, 'en')).toEqual({ ok: true });
    expect(judgeQuality(good, filter, 'en-GB')).toEqual({ ok: true });
    expect(judgeQuality(good, filter, 'EN')).toEqual({ ok: true });
    expect(judgeQuality(good, filter, 'de-at')).toEqual({ ok: true });
  });

  it('rejects other languages, and other regions of a region-specific entry', () => {
    expect(judgeQuality(good, filter, 'fr')).toEqual({
      ok: false,
      reason: 'LANGUAGE_NOT_ALLOWED',
      message: 'language fr not in en, de-AT',
    });
    expect(judgeQuality(good, filter, 'de')).toMatchObject({ reason: 'LANGUAGE_NOT_ALLOWED' });
  });

  it('rejects a page whose language could not be detected', () => {
    expect(judgeQuality(good, filter)).toEqual({
      ok: false,
      reason: 'LANGUAGE_NOT_ALLOWED',
      message: 'language unknown, allowed en, de-AT',
    });
    expect(judgeQuality(good, filter, '')).toMatchObject({ reason: 'LANGUAGE_NOT_ALLOWED' });
  });

  it('is off when the list is empty or absent', () => {
    expect(judgeQuality(good, { allowedLanguages: [] }, 'fr')).toEqual({ ok: true });
    expect(judgeQuality(good, {})).toEqual({ ok: true });
  });
});

describe('presets', () => {
  it('hold the published Gopher thresholds', () => {
    expect(GOPHER_PRESET).toEqual({
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
  });

  it('add FineWeb line-punctuation rule to Gopher', () => {
    expect(FINEWEB_PRESET).toEqual({ ...GOPHER_PRESET, minLineEndPunctuationRatio: 0.12 });
    const listy = signals({ lineEndPunctuationRatio: 0.1 });
    expect(judgeQuality(listy, GOPHER_PRESET)).toEqual({ ok: true });
    expect(judgeQuality(listy, FINEWEB_PRESET)).toMatchObject({ reason: 'TOO_FEW_PUNCTUATED_LINES' });
  });

  it('are frozen', () => {
    expect(Object.isFrozen(GOPHER_PRESET)).toBe(true);
    expect(Object.isFrozen(FINEWEB_PRESET)).toBe(true);
  });
});

describe('with signals measured by the extractor', () => {
  const prose = Array.from(
    { length: 12 },
    (_, i) =>
      `Paragraph ${i + 1} explains how the harbour town rebuilt its wooden piers after the storm of that winter. ` +
      `Fishermen, carpenters and ${i + 2} volunteers worked through the cold months and finished before spring.`,
  ).join('\n\n');

  it('passes ordinary prose under FineWeb', () => {
    expect(judgeQuality(qualitySignals(prose), FINEWEB_PRESET, 'en')).toEqual({ ok: true });
  });

  it('rejects a navigation menu for lacking punctuation', () => {
    const menu = Array.from({ length: 60 }, (_, i) => `Section ${i} overview page`).join('\n');
    expect(judgeQuality(qualitySignals(menu), FINEWEB_PRESET)).toMatchObject({
      reason: 'TOO_FEW_PUNCTUATED_LINES',
    });
  });

  it('rejects spam that repeats one line', () => {
    const spam = Array.from(
      { length: 40 },
      () => 'Buy cheap watches online today, best prices guaranteed.',
    ).join('\n');
    expect(judgeQuality(qualitySignals(spam), GOPHER_PRESET)).toMatchObject({ reason: 'DUPLICATE_LINES' });
  });

  it('rejects a short stub', () => {
    expect(judgeQuality(qualitySignals('Page not found.'), GOPHER_PRESET)).toEqual({
      ok: false,
      reason: 'TOO_FEW_WORDS',
      message: 'word count 3 below 50',
    });
  });
});
