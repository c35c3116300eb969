import { type EditMode, exactJaccard, shingleSet, SyntheticText } from '@gleaner/dedupe';

/** Word-level edit rates applied to every base document, in both edit modes. */
export const EDIT_RATES = [0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5];
export const EDIT_MODES: EditMode[] = ['scattered', 'block'];

/** One document of the labelled set. */
export interface LabelledDoc {
  id: string;
  family: number;
  /** `base`, or `<mode> <rate>%` for an edited copy of the family's base. */
  kind: string;
  text: string;
  /** Exact Jaccard of 5-word shingles with the family's base. */
  jaccardToBase: number;
}

/**
 * `families` base documents of 300–800 words, each followed by one edited copy per edit mode and rate, shuffled
 * into one stream (so a copy may come before its base). Seeded: the same arguments give the same set.
 */
export function labelledSet(families: number, seed = 20_251): LabelledDoc[] {
  const generator = new SyntheticText(seed);
  const docs: LabelledDoc[] = [];
  for (let family = 0; family < families; family++) {
    const base = generator.document(generator.int(300, 800));
    const baseText = base.join(' ');
    const baseShingles = shingleSet(baseText);
    docs.push({ id: `f${family}-base`, family, kind: 'base', text: baseText, jaccardToBase: 1 });
    for (const mode of EDIT_MODES) {
      for (const rate of EDIT_RATES) {
        const text = generator.edit(base, rate, mode).join(' ');
        const kind = `${mode} ${rate * 100}%`;
        const jaccardToBase = exactJaccard(baseShingles, shingleSet(text));
        docs.push({ id: `f${family}-${mode}-${rate}`, family, kind, text, jaccardToBase });
      }
    }
  }
  for (let i = docs.length - 1; i > 0; i--) {
    const j = Math.floor(generator.next() * (i + 1));
    [docs[i], docs[j]] = [docs[j]!, docs[i]!];
  }
  return docs;
}

/** Exact shingle Jaccard between documents of the set, by id, with shingle sets built once. */
export class ExactJaccard {
  private readonly shingles = new Map<string, Set<string>>();
  constructor(private readonly byId: Map<string, LabelledDoc>) {}

  between(a: string, b: string): number {
    return exactJaccard(this.setOf(a), this.setOf(b));
  }

  private setOf(id: string): Set<string> {
    let set = this.shingles.get(id);
    if (!set) {
      set = shingleSet(this.byId.get(id)!.text);
      this.shingles.set(id, set);
    }
    return set;
  }
}
