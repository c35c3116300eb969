import { LinearPattern, LinearPatternSet, UnsupportedPatternError, type CampaignSpec } from '@gleaner/core';

/** Why a URL was not admitted. */
export type SkipReason = 'scope' | 'pattern' | 'depth' | 'seen' | 'limit' | 'trap' | 'invalid';

/**
 * Decides whether normalized URLs belong to a campaign (hosts, domains, include and exclude patterns). Patterns run
 * on RE2, all of a list in one pass ({@link LinearPatternSet}), so a URL from a hostile page costs time linear in its length whatever the pattern.
 */
export class CampaignScope {
  private readonly hosts: Set<string>;
  private readonly domains: Set<string>;
  private readonly include: LinearPatternSet | undefined;
  private readonly exclude: LinearPatternSet | undefined;
  /**
   * The first of the spec's patterns RE2 cannot run, if any. The API refuses such specs; one stored before it did
   * admits no URL by pattern until its spec is edited, rather than crawl more, or less, than its author meant.
   */
  readonly unsupportedPattern: UnsupportedPatternError | undefined;

  constructor(private readonly spec: CampaignSpec) {
    const seedHosts = spec.seeds.flatMap((s) => {
      try {
        return [new URL(s).hostname.toLowerCase()];
      } catch {
        return [];
      }
    });
    const listed = spec.scope.mode === 'hosts' ? spec.scope.hosts.map((h) => h.toLowerCase()) : seedHosts;
    this.hosts = new Set(listed);
    this.domains = new Set(spec.scope.mode === 'same-domain' ? seedHosts.map(registrableDomain) : []);
    const sources = [...spec.include, ...spec.exclude];
    this.unsupportedPattern = sources
      .map((source) => LinearPattern.check(source))
      .find((e) => e !== undefined);
    const compile = (list: readonly string[]): LinearPatternSet | undefined =>
      this.unsupportedPattern || list.length === 0 ? undefined : LinearPatternSet.of(list);
    this.include = compile(spec.include);
    this.exclude = compile(spec.exclude);
  }

  /** Undefined when the URL is in scope, else the reason it is not. */
  check(url: string): SkipReason | undefined {
    const host = new URL(url).hostname;
    const hostOk =
      this.spec.scope.mode === 'same-domain'
        ? this.domains.has(registrableDomain(host))
        : this.hosts.has(host);
    if (!hostOk) return 'scope';
    if (this.unsupportedPattern) return 'pattern';
    if (this.include && !this.include.test(url)) return 'pattern';
    if (this.exclude?.test(url)) return 'pattern';
    return undefined;
  }
}

const IP_LITERAL = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\])$/i;
const TWO_LEVEL_SUFFIXES = new Set([
  'co.uk',
  'org.uk',
  'ac.uk',
  'gov.uk',
  'com.au',
  'net.au',
  'org.au',
  'co.jp',
  'co.nz',
  'com.br',
  'co.in',
  'co.za',
]);

/**
 * The registrable domain of a host (`a.b.example.co.uk` → `example.co.uk`): the last two labels, or three under a
 * common two-level public suffix. IP literals are their own domain.
 */
export function registrableDomain(host: string): string {
  if (IP_LITERAL.test(host)) return host;
  const labels = host.split('.');
  if (labels.length <= 2) return host;
  const lastTwo = labels.slice(-2).join('.');
  return TWO_LEVEL_SUFFIXES.has(lastTwo) ? labels.slice(-3).join('.') : lastTwo;
}
