import { eld } from 'eld/small';

/** Characters of text handed to the detector; more adds time but no accuracy. */
const SAMPLE_CHARS = 4000;

/**
 * Identify the language of `text` with ELD (Efficient Language Detector, n-gram model, 60 languages).
 * Returns an ISO 639-1 code, or undefined when the text is too short or the guess is not reliable.
 */
export function detectLanguage(text: string): string | undefined {
  const sample = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text;
  if (sample.trim().length < 20) return undefined;
  const result = eld.detect(sample);
  if (result.language === '' || !result.isReliable()) return undefined;
  return result.language;
}
