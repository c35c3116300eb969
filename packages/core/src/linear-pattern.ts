import { RE2JS, RE2JSException, RE2Set } from 're2js';

/** Most compiled patterns {@link LinearPattern.compile} keeps; the oldest is dropped beyond it. */
export const LINEAR_PATTERN_CACHE_SIZE = 10_000;

/** A pattern that the linear-time engine cannot run; `reason` says why in one line for people. */
export class UnsupportedPatternError extends Error {
  constructor(
    readonly source: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    // Quoted as written, not JSON-escaped: the message often travels in JSON, which would double every backslash.
    super(`pattern "${source.length > 80 ? `${source.slice(0, 77)}...` : source}": ${reason}`, options);
    this.name = 'UnsupportedPatternError';
  }
}

/** One match of a {@link LinearPattern}: the whole match at 0, then each group (null when it took no part). */
export type LinearMatch = readonly [string, ...(string | null)[]];

/**
 * A user-supplied regular expression run on RE2 (the `re2js` port), whose matching time grows linearly with the
 * input whatever the pattern: `(a+)+$` cannot hang a process on a hostile URL or page. The syntax is RE2's
 * (https://github.com/google/re2/wiki/Syntax): JavaScript's, less backreferences and lookaround, with `(?i)`-style
 * flags and `\x{…}` for code points. Matching is Unicode-aware (`.` is one code point) and unanchored, like
 * `RegExp.test`.
 */
export class LinearPattern {
  private static readonly cache = new Map<string, LinearPattern | UnsupportedPatternError>();

  private constructor(
    /** The pattern as the user wrote it. */
    readonly source: string,
    private readonly re: RE2JS,
  ) {}

  /**
   * The compiled pattern for `source`, compiled once per process (cached by source, also when it fails, for at
   * most {@link LINEAR_PATTERN_CACHE_SIZE} sources). Throws {@link UnsupportedPatternError} when RE2 cannot run it.
   */
  static compile(source: string): LinearPattern {
    const cache = LinearPattern.cache;
    let entry = cache.get(source);
    if (entry === undefined) {
      const problem = unsupportedFeature(source);
      if (problem !== undefined) {
        entry = new UnsupportedPatternError(source, problem);
      } else {
        try {
          entry = new LinearPattern(source, RE2JS.compile(source));
        } catch (error) {
          if (!(error instanceof RE2JSException)) throw error;
          entry = new UnsupportedPatternError(source, syntaxReason(error), { cause: error });
        }
      }
      if (cache.size >= LINEAR_PATTERN_CACHE_SIZE) {
        const oldest = cache.keys().next();
        if (!oldest.done) cache.delete(oldest.value);
      }
      cache.set(source, entry);
    }
    if (entry instanceof UnsupportedPatternError) throw entry;
    return entry;
  }

  /** The error {@link compile} would throw for `source` (its `message` names the pattern and says why), if any. */
  static check(source: string): UnsupportedPatternError | undefined {
    try {
      LinearPattern.compile(source);
      return undefined;
    } catch (error) {
      if (error instanceof UnsupportedPatternError) return error;
      throw error;
    }
  }

  /** True when the pattern matches anywhere in `input`. */
  test(input: string): boolean {
    return this.re.test(input);
  }

  /** The first match in `input` with its groups, or null when there is none. */
  exec(input: string): LinearMatch | null {
    const matcher = this.re.matcher(input);
    if (!matcher.find()) return null;
    const groups: (string | null)[] = [];
    for (let i = 1; i <= this.re.groupCount(); i++) groups.push(matcher.group(i));
    return [matcher.group(0) ?? '', ...groups];
  }
}

/** Most compiled pattern lists {@link LinearPatternSet.of} keeps; the oldest is dropped beyond it. */
export const LINEAR_PATTERN_SET_CACHE_SIZE = 1000;

/**
 * Patterns matched together: {@link test} says whether any of them matches, in one pass over the input (RE2's set
 * matching) instead of one per pattern, so a list of a hundred costs about what one does. Lists too large for one
 * machine are matched pattern by pattern.
 */
export class LinearPatternSet {
  private static readonly cache = new Map<string, LinearPatternSet>();

  private constructor(
    private readonly patterns: readonly LinearPattern[],
    private readonly set: RE2Set | undefined,
  ) {}

  /**
   * The set of `sources`, compiled once per process for each list (at most {@link LINEAR_PATTERN_SET_CACHE_SIZE}
   * lists kept). Throws the {@link UnsupportedPatternError} of the first pattern RE2 cannot run.
   */
  static of(sources: readonly string[]): LinearPatternSet {
    const key = sources.join('\u0000');
    const cached = LinearPatternSet.cache.get(key);
    if (cached) return cached;
    const patterns = sources.map((source) => LinearPattern.compile(source));
    let set: RE2Set | undefined;
    if (patterns.length > 1) {
      try {
        set = new RE2Set(RE2Set.UNANCHORED);
        for (const source of sources) set.add(source);
        set.compile();
      } catch (error) {
        if (!(error instanceof RE2JSException)) throw error;
        set = undefined; // too large for one machine: each pattern on its own
      }
    }
    const compiled = new LinearPatternSet(patterns, set);
    if (LinearPatternSet.cache.size >= LINEAR_PATTERN_SET_CACHE_SIZE) {
      const oldest = LinearPatternSet.cache.keys().next();
      if (!oldest.done) LinearPatternSet.cache.delete(oldest.value);
    }
    LinearPatternSet.cache.set(key, compiled);
    return compiled;
  }

  /** How many patterns the set holds. */
  get size(): number {
    return this.patterns.length;
  }

  /** True when any of the patterns matches anywhere in `input`; false for an empty set. */
  test(input: string): boolean {
    if (this.set) return this.set.match(input).length > 0;
    return this.patterns.some((pattern) => pattern.test(input));
  }
}

const BACKREFERENCE = /^\\(?:[1-9]|k<)/;
const LOOKAROUND = /^\(\?<?[=!]/;

/** Said plainly for the features people most often reach for; RE2's own message covers the rest. */
function unsupportedFeature(source: string): string | undefined {
  if (hasOutsideClass(source, BACKREFERENCE)) {
    return 'backreferences (\\1, \\k<name>) are not supported: patterns run on a linear-time engine (RE2)';
  }
  if (hasOutsideClass(source, LOOKAROUND)) {
    return 'lookahead and lookbehind ((?=, (?!, (?<=, (?<!) are not supported: patterns run on a linear-time engine (RE2)';
  }
  return undefined;
}

function syntaxReason(error: Error): string {
  const detail = error.message.replace(/^error parsing regexp: /, '');
  const hint = detail.includes('`\\u') ? ' (write \\x{20AC} for a code point)' : '';
  return `not a valid RE2 regular expression: ${detail}${hint}`;
}

/** Whether `re` matches `source` at a position outside a character class and not right after an escape. */
function hasOutsideClass(source: string, re: RegExp): boolean {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      if (!inClass && re.test(source.slice(i, i + 3))) return true;
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(' && re.test(source.slice(i, i + 4))) {
      return true;
    }
  }
  return false;
}
