import { textFingerprint } from '@gleaner/trust';
import type { CorpusText } from './corpus-texts.js';
import { hashString, pick } from './prng.js';

/** A URL of the simulated campaign: its host, the corpus text it serves, and whether it is dynamic. */
export interface SimPage {
  url: string;
  host: string;
  textIndex: number;
  dynamic: boolean;
}

/** One fetch's main text, as a description: a corpus text, and for a dynamic page what that fetch got. */
export interface Answer {
  textIndex: number;
  dynamic?: { page: SimPage; atMs: number; variant: number; ad: number };
}

/** How dynamic pages change between fetches. */
export interface DynamicOptions {
  /** A/B variants a dynamic page serves; each fetch gets one at random. Default 2. */
  variants: number;
  /** Share of sentences each variant swaps for other copy (each sentence, independently). Default 0.2. */
  swapShare: number;
}

export const DEFAULT_DYNAMIC: DynamicOptions = { variants: 2, swapShare: 0.2 };

/** Rotating ad copy: one line per fetch of a dynamic page. */
const AD_LINES = [
  'Sponsored: Save 20 percent on winter tyres this week only at your local garage.',
  'Sponsored: Try our meal kits free for a month, cancel any time online.',
  'Advertisement: The new phone with three cameras is here, order today for free delivery.',
  'Sponsored: Learn a language in ten minutes a day with our award winning app.',
  'Advertisement: Holiday cottages by the sea from 49 per night, book early and save.',
  'Sponsored: Compare energy prices in your area and switch supplier in minutes.',
  'Advertisement: Running shoes for every distance, free returns within 60 days.',
  'Sponsored: Your credit score for free, check it now without any impact on your rating.',
];

/** Most dynamic page bodies kept in memory at once. */
const MAX_CACHED_VARIANTS = 20_000;

/**
 * The web the simulated nodes fetch: static pages serve their corpus text unchanged; dynamic pages serve, on every
 * fetch, a fresh "Updated" timestamp, one rotating ad line, and one of `variants` A/B versions in which a share of
 * the sentences is replaced by other copy of the same length (see {@link PageWorld.variantSentences}).
 */
export class PageWorld {
  private readonly variants = new Map<string, string>();
  private readonly staticFingerprints = new Map<number, Uint32Array>();

  constructor(
    readonly texts: readonly CorpusText[],
    private readonly dynamic: DynamicOptions = DEFAULT_DYNAMIC,
  ) {}

  /** What a true fetch of `page` at `atMs` gets: the variant and ad line are drawn now, the text built on demand. */
  fetch(page: SimPage, atMs: number, random: () => number): Answer {
    if (!page.dynamic) return { textIndex: page.textIndex };
    const variant = pick(random, this.dynamic.variants);
    const ad = pick(random, AD_LINES.length);
    return { textIndex: page.textIndex, dynamic: { page, atMs, variant, ad } };
  }

  /** The main text of an answer. */
  textOf(answer: Answer): string {
    const base = this.texts[answer.textIndex]!;
    const dynamic = answer.dynamic;
    if (!dynamic) return base.text;
    const key = `${dynamic.page.url}#${answer.textIndex}#${dynamic.variant}`;
    let body = this.variants.get(key);
    if (body === undefined) {
      body = this.variantSentences(dynamic.page, base.sentences, dynamic.variant).join('\n');
      // A memo only (the body is a pure function of its key); URLs are drawn per run, so it is kept bounded or a
      // long sweep runs out of heap.
      if (this.variants.size >= MAX_CACHED_VARIANTS) this.variants.clear();
      this.variants.set(key, body);
    }
    return [`Updated ${new Date(dynamic.atMs).toISOString()}`, body, AD_LINES[dynamic.ad]!].join('\n');
  }

  /**
   * The fingerprint the coordinator computes (`textFingerprint`) of an answer's main text; static texts are
   * fingerprinted once, as the function is pure.
   */
  fingerprintOf(answer: Answer): Uint32Array {
    if (answer.dynamic) return textFingerprint(this.textOf(answer));
    let fingerprint = this.staticFingerprints.get(answer.textIndex);
    if (!fingerprint) {
      fingerprint = textFingerprint(this.texts[answer.textIndex]!.text);
      this.staticFingerprints.set(answer.textIndex, fingerprint);
    }
    return fingerprint;
  }

  /**
   * The sentences of one A/B variant: `round(swapShare × sentences)` of them, chosen per URL and variant, replaced
   * by as many words of other copy (a run of words from another corpus page), so a variant keeps the page's length.
   */
  private variantSentences(page: SimPage, sentences: readonly string[], variant: number): string[] {
    const swaps = Math.round(this.dynamic.swapShare * sentences.length);
    if (swaps === 0) return [...sentences];
    const order = sentences
      .map((_, i) => ({ i, key: hashString(`${page.url}#${variant}#${i}`) }))
      .sort((a, b) => a.key - b.key)
      .slice(0, swaps);
    const donor =
      this.texts[
        (page.textIndex + 1 + (hashString(page.url) % (this.texts.length - 1))) % this.texts.length
      ]!;
    const donorWords = donor.text.split(/\s+/);
    const out = [...sentences];
    for (const { i, key } of order) {
      const length = out[i]!.split(/\s+/).length;
      const start = key % Math.max(1, donorWords.length - length);
      const words: string[] = [];
      for (let w = 0; w < length; w++) words.push(donorWords[(start + w) % donorWords.length]!);
      out[i] = words.join(' ');
    }
    return out;
  }

  /** What a fabricating node answers instead: the text of another corpus page, a plausible page that is not this one. */
  fabricate(page: SimPage, random: () => number): Answer {
    return { textIndex: (page.textIndex + 1 + pick(random, this.texts.length - 1)) % this.texts.length };
  }
}
