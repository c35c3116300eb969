import { sha256Hex } from '@gleaner/core';

/** Pages a line must have appeared on before it counts as boilerplate: 5. */
export const DEFAULT_BOILERPLATE_MIN_PAGES = 5;

/** Share of a host's pages (since the line was first tracked) a line must appear on to be boilerplate: 0.3. */
export const DEFAULT_BOILERPLATE_MIN_SHARE = 0.3;

/** Below this share of the page's words left after removal, the page is kept whole and flagged: 0.2. */
export const DEFAULT_MIN_KEPT_WORD_SHARE = 0.2;

/**
 * The comparable form of one line of text or markdown: NFKC, lower case, markdown link targets dropped, every run
 * of characters that are not letters, marks or digits turned into one space, trimmed. Markdown syntax (`#`, `-`,
 * `*`, `>`, `|`, `**`, `_`, backticks, escapes) is punctuation, so it vanishes and a markdown line and its plain
 * text compare equal; an ordered-list marker (`1. `) is dropped by {@link markdownLineKey} only. Empty for a line
 * of punctuation alone, which is never learned nor removed.
 */
export function boilerplateKey(line: string): string {
  return line
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\]\([^)\s]*\)/g, ' ')
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, ' ')
    .trim();
}

/** {@link boilerplateKey} of a markdown line, after dropping its ordered-list marker (`1. `, `2) `). */
export function markdownLineKey(line: string): string {
  return boilerplateKey(line.replace(/^[\s>]*\d+[.)]\s+/, ''));
}

/** The hash a key is counted under: the first 16 hex digits (64 bits) of its SHA-256. */
export function boilerplateHash(key: string): string {
  return sha256Hex(key).slice(0, 16);
}

const FENCE = /^[\s>]*(`{3,}|~{3,})/;

/** Marks which markdown lines are code (fences included): never learned, never removed. */
function codeLines(lines: readonly string[]): boolean[] {
  const out: boolean[] = [];
  let open: string | undefined;
  for (const line of lines) {
    const fence = FENCE.exec(line)?.[1];
    if (open === undefined) {
      if (fence) open = fence;
      out.push(fence !== undefined);
    } else {
      if (fence && fence.startsWith(open) && line.trim().replace(/^[>\s]*/, '') === fence) open = undefined;
      out.push(true);
    }
  }
  return out;
}

/** Keys of the markdown's code lines: a text line with one of these keys is code too, so it is left alone. */
function codeKeys(mdLines: readonly string[], code: readonly boolean[]): Set<string> {
  const keys = new Set<string>();
  mdLines.forEach((line, i) => {
    if (code[i]) keys.add(boilerplateKey(line));
  });
  return keys;
}

/**
 * The hashes of a page's lines to count for its host: each distinct non-empty {@link boilerplateKey} of a text line
 * (a paragraph, a list item or a line of a multi-line paragraph), code excepted. When there are more than
 * `maxHashes`, the first and last halves are kept: navigation sits at the top of a page and footers at its bottom.
 * @param maxHashes default 2,500 (half the counter's default table).
 */
export function boilerplateHashes(text: string, markdown: string, maxHashes = 2500): string[] {
  const mdLines = markdown.split('\n');
  const code = codeKeys(mdLines, codeLines(mdLines));
  const keys = new Set<string>();
  for (const line of text.split('\n')) {
    const key = boilerplateKey(line);
    if (key !== '' && !code.has(key)) keys.add(key);
  }
  const all = [...keys];
  const picked =
    all.length <= maxHashes
      ? all
      : [...all.slice(0, Math.ceil(maxHashes / 2)), ...all.slice(all.length - Math.floor(maxHashes / 2))];
  return picked.map(boilerplateHash);
}

/** Options for {@link removeBoilerplate}. */
export interface RemoveBoilerplateOptions {
  /** Keep the page whole when fewer than this share of its words would remain. Default {@link DEFAULT_MIN_KEPT_WORD_SHARE}. */
  minKeptWordShare?: number;
}

/** A page with its boilerplate removed (or kept, see `mostlyBoilerplate`). */
export interface BoilerplateRemoval {
  text: string;
  markdown: string;
  /** Lines removed from the text (0 when the page was kept whole). */
  removedLines: number;
  /**
   * True when removal would have left less than `minKeptWordShare` of the words (or nothing): the page is then
   * returned unchanged, and the caller decides (it is mostly the site's template: a tag page, an error page…).
   */
  mostlyBoilerplate: boolean;
}

const wordCount = (text: string): number => text.match(/[\p{L}\p{N}]+/gu)?.length ?? 0;

/**
 * Joins the kept lines. Where lines were removed, the blank lines left around them fold into one (none at the
 * ends), and a markdown hard break (two trailing spaces) that now ends its block is dropped; elsewhere, code
 * included, every line stays as it was.
 */
function joinKept(lines: readonly string[], removed: readonly boolean[], code: readonly boolean[]): string {
  const out: string[] = [];
  let lastContent = -1;
  let lastContentLine = -1;
  let removedSince = false;
  const endBlock = (): void => {
    if (removedSince && lastContent >= 0 && !code[lastContentLine])
      out[lastContent] = out[lastContent]!.trimEnd();
  };
  lines.forEach((line, i) => {
    if (removed[i]) {
      removedSince = true;
      return;
    }
    if (line.trim() === '') {
      endBlock();
      if (removedSince && (out.length === 0 || out[out.length - 1]!.trim() === '')) return;
    } else {
      removedSince = false;
      lastContent = out.length;
      lastContentLine = i;
    }
    out.push(line);
  });
  endBlock();
  if (removedSince) while (out.length > 0 && out[out.length - 1]!.trim() === '') out.pop();
  return out.join('\n');
}

/**
 * Drops the boilerplate lines of a page from its text and its markdown alike: a line goes when the
 * {@link boilerplateHash} of its key is in `boilerplate` (markdown lines keyed by {@link markdownLineKey}, so
 * headings, list items, quotes, emphasis and links match their plain text). Code is never touched, nor lines of
 * punctuation alone; blank lines left behind are folded. Pure.
 *
 * If less than `minKeptWordShare` of the words would remain, the page comes back unchanged with
 * `mostlyBoilerplate: true`. Known gaps: removing a table's header row leaves the rest of the table without one.
 */
export function removeBoilerplate(
  text: string,
  markdown: string,
  boilerplate: ReadonlySet<string>,
  options: RemoveBoilerplateOptions = {},
): BoilerplateRemoval {
  const unchanged = { text, markdown, removedLines: 0, mostlyBoilerplate: false };
  if (boilerplate.size === 0) return unchanged;
  const mdLines = markdown.split('\n');
  const mdCode = codeLines(mdLines);
  const protectedKeys = codeKeys(mdLines, mdCode);
  const drop = (key: string): boolean =>
    key !== '' && !protectedKeys.has(key) && boilerplate.has(boilerplateHash(key));

  const textLines = text.split('\n');
  const textRemoved = textLines.map((line) => drop(boilerplateKey(line)));
  const removedLines = textRemoved.filter(Boolean).length;
  if (removedLines === 0) return unchanged;
  const mdRemoved = mdLines.map((line, i) => !mdCode[i] && drop(markdownLineKey(line)));

  const cleanText = joinKept(textLines, textRemoved, []);
  const minShare = options.minKeptWordShare ?? DEFAULT_MIN_KEPT_WORD_SHARE;
  const before = wordCount(text);
  const after = wordCount(cleanText);
  if (after === 0 || after < minShare * before) return { ...unchanged, mostlyBoilerplate: true };
  return {
    text: cleanText,
    markdown: joinKept(mdLines, mdRemoved, mdCode),
    removedLines,
    mostlyBoilerplate: false,
  };
}

/**
 * The per-host counts {@link HostBoilerplate} needs; `ParagraphCounter` from `@gleaner/queue` is the shared Redis one.
 */
export interface HostParagraphCounts {
  /** Most hashes one page may bring. */
  readonly maxHashesPerPage: number;
  /** Counts one page of a host; answers its page count and which of the page's hashes are frequent on it. */
  countPage(
    scope: string,
    host: string,
    hashes: readonly string[],
    rule: { minPages: number; minShare: number },
  ): Promise<{ pages: number; frequent: string[] }>;
}

/** Options for {@link HostBoilerplate}; every field has a default. */
export interface HostBoilerplateOptions extends RemoveBoilerplateOptions {
  /** Pages a line must appear on. Default {@link DEFAULT_BOILERPLATE_MIN_PAGES}. */
  minPages?: number;
  /** Share (0–1) of the host's pages a line must appear on. Default {@link DEFAULT_BOILERPLATE_MIN_SHARE}. */
  minShare?: number;
}

/** What {@link HostBoilerplate.clean} did to one page. */
export interface HostBoilerplateResult extends BoilerplateRemoval {
  /** Pages of the host counted so far, this one included. */
  hostPages: number;
}

/**
 * Learns per host which lines repeat across its pages (navigation, footers, cookie banners) and removes them.
 * Each page is counted first, then cleaned of the lines that are boilerplate by then — seen on at least `minPages`
 * pages (default 5) and on at least `minShare` (default 0.3) of the host's pages since first seen. The counts live
 * in Redis (`ParagraphCounter` of `@gleaner/queue`), shared by every worker.
 *
 * The first pages of a host are learned from but left as they are: their template was not known yet. A page sent
 * again (a retried job) counts again, and exact copies of one page at several URLs count their text several times,
 * so on a young host their text can pass as boilerplate — the `minShare` test wears that off as the host grows.
 */
export class HostBoilerplate {
  private readonly rule: { minPages: number; minShare: number };

  /**
   * @param counter shared per-host counts.
   * @param options thresholds; see {@link HostBoilerplateOptions}.
   */
  constructor(
    private readonly counter: HostParagraphCounts,
    private readonly options: HostBoilerplateOptions = {},
  ) {
    this.rule = {
      minPages: options.minPages ?? DEFAULT_BOILERPLATE_MIN_PAGES,
      minShare: options.minShare ?? DEFAULT_BOILERPLATE_MIN_SHARE,
    };
    if (!(this.rule.minPages >= 1) || !(this.rule.minShare >= 0 && this.rule.minShare <= 1)) {
      throw new RangeError('minPages must be ≥ 1 and minShare in [0, 1]');
    }
  }

  /**
   * Counts the page for its host and returns it without the host's boilerplate.
   * @param scope whose counts these are (a campaign id: each campaign learns its hosts on its own).
   * @param host the page's host, e.g. `new URL(finalUrl).host`.
   */
  async clean(scope: string, host: string, text: string, markdown: string): Promise<HostBoilerplateResult> {
    const hashes = boilerplateHashes(text, markdown, this.counter.maxHashesPerPage);
    const { pages, frequent } = await this.counter.countPage(scope, host, hashes, this.rule);
    return { ...removeBoilerplate(text, markdown, new Set(frequent), this.options), hostPages: pages };
  }
}
