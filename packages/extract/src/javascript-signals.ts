import { textContent } from './dom-utils.js';
import type { PageScan } from './page-scan.js';

/** Main text at or above this many words means the page does not need rendering, whatever its scripts. */
export const RENDER_BELOW_WORDS = 50;

const ASKS_FOR_JAVASCRIPT = /\b(?:java\s?script|enable\s+js|js\s+(?:is\s+)?(?:disabled|required))\b/i;

/**
 * Whether a page fetched without a browser most likely needs JavaScript to show its content: little main text, code
 * scripts, and one of the tell-tale signs — a `<noscript>` asking for JavaScript, an empty framework mount point
 * (`#root`, `#app`, `#__next`, `[data-reactroot]`, …), or a shell of three or more scripts around fewer than ten
 * words. General signs only; nothing is keyed to particular sites.
 */
export function needsJavaScript(scan: PageScan, mainTextWords: number): boolean {
  if (mainTextWords >= RENDER_BELOW_WORDS || scan.codeScripts === 0) return false;
  if (scan.noscripts.some((el) => ASKS_FOR_JAVASCRIPT.test(textContent(el, 2000)))) return true;
  if (scan.mountPoints.some((el) => textContent(el, 200).trim().length === 0)) return true;
  return mainTextWords < 10 && scan.codeScripts >= 3;
}
