import { randomGenerator } from './site-model.js';

const WORDS = (
  'river stone harvest lantern meadow orbit signal copper garden thunder velvet anchor window ember glacier ' +
  'compass willow harbor canyon falcon marble quiet timber bright hollow summit cedar linen amber crystal ' +
  'station market ledger pilot engine valley border morning shadow silver forest island letter number ' +
  'measure pattern reason season system travel village weather winter yellow zephyr bridge castle desert'
).split(' ');

/** Deterministic paragraphs of plain prose, different for every key. */
export function pageParagraphs(key: string, paragraphs = 4, wordsPerParagraph = 60): string[] {
  let seed = 0;
  for (const ch of key) seed = (Math.imul(seed, 31) + ch.charCodeAt(0)) >>> 0;
  const random = randomGenerator(seed);
  const out: string[] = [];
  for (let p = 0; p < paragraphs; p++) {
    const words: string[] = [];
    for (let w = 0; w < wordsPerParagraph; w++) words.push(WORDS[Math.floor(random() * WORDS.length)]!);
    words[0] = words[0]!.charAt(0).toUpperCase() + words[0]!.slice(1);
    out.push(`${words.join(' ')} (${key} §${p + 1}).`);
  }
  return out;
}
