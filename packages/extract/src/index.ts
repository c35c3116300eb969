/**
 * `@gleaner/extract`: from raw response bytes to clean main content, metadata, outlinks, language and quality
 * signals. Built on cheerio's parser (htmlparser2 + domhandler); every tree walk uses an explicit stack.
 */
export { extractPage, DEFAULT_MAX_BODY_BYTES } from './extract-page.js';
export type { ExtractInput, ExtractOptions, ExtractedPage } from './extract-page.js';
export { decodeHtml, normalizeCharset } from './decode-html.js';
export type { DecodedHtml } from './decode-html.js';
export { detectLanguage } from './detect-language.js';
export { needsJavaScript, RENDER_BELOW_WORDS } from './javascript-signals.js';
export { qualitySignals, MAX_QUALITY_CHARS } from './quality-signals.js';
export type { QualitySignals } from './quality-signals.js';
export type { PageMetadata } from './metadata.js';
export { normalizeDate, dateFromUrl } from './metadata.js';
export type { Outlink } from './outlinks.js';
export { resolveLink } from './outlinks.js';
export { parseHtml, MAX_NESTING_DEPTH } from './parse-html.js';
export {
  extractStructuredFields,
  checkStructuredFieldRules,
  MAX_STRUCTURED_FIELD_RULES,
  DEFAULT_MAX_LIST_ITEMS,
  DEFAULT_MAX_VALUE_CHARS,
  DEFAULT_MAX_TOTAL_CHARS,
} from './structured-fields.js';
export type {
  StructuredFieldRule,
  StructuredFieldType,
  StructuredFieldError,
  StructuredFieldErrorCode,
  StructuredFieldsResult,
  StructuredFieldsOptions,
} from './structured-fields.js';
export { extractPlainText, PLAIN_TEXT_MAX_CHARS } from './extract-plain-text.js';
export type { PlainTextPage } from './extract-plain-text.js';
export {
  pageDirectives,
  robotsDirectivesFor,
  tdmReservationOf,
  tdmPolicyOf,
  MAX_ROBOTS_DIRECTIVES,
} from './page-directives.js';
export type { PageDirectives, MetaAttributes } from './page-directives.js';
