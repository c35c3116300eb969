import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** WCXB's development split, next to the repository (see ../shared/corpus/README.md); read, never copied. */
const groundTruthDir = path.resolve(repoRoot, '../shared/corpus/wcxb-dev/dev/ground-truth');

/** One page's main text: WCXB's ground-truth `main_content`, split into sentences for the A/B variants. */
export interface CorpusText {
  id: string;
  text: string;
  sentences: string[];
}

/** Splits a text at sentence ends and line breaks; keeps every piece that has a letter or digit. */
function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}

/** Every WCXB dev page with a non-empty ground-truth main text, in file order. */
export function loadCorpusTexts(): CorpusText[] {
  const texts: CorpusText[] = [];
  for (const name of readdirSync(groundTruthDir).sort()) {
    if (!name.endsWith('.json')) continue;
    const json = JSON.parse(readFileSync(path.join(groundTruthDir, name), 'utf8')) as {
      ground_truth?: { main_content?: string | null };
    };
    const text = json.ground_truth?.main_content?.trim();
    if (!text) continue;
    const sentences = sentencesOf(text);
    if (sentences.length === 0) continue;
    texts.push({ id: name.replace(/\.json$/, ''), text, sentences });
  }
  return texts;
}
