import type { CampaignSpec } from '@gleaner/core';

/** Why a URL was not admitted. */
export type SkipReason = 'scope' | 'pattern' | 'depth' | 'seen' | 'limit' | 'trap' | 'invalid';

/** Decides whether normalized URLs belong to a campaign (hosts, domains, include and exclude patterns). */
export class CampaignScope {
  private readonly hosts: Set<string>;
  private readonly domains: Set<string>;
  private readonly include: RegExp[];
  private readonly exclude: RegExp[];

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
    this.include = spec.include.map((p) => new RegExp(p));
    this.exclude = spec.exclude.map((p) => new RegExp(p));
  }

  /** Undefined when the URL is in scope, else the reason it is not. */
  check(url: string): SkipReason | undefined {
    const host = new URL(url).hostname;
    const hostOk =
      this.spec.scope.mode === 'same-domain'
        ? this.domains.has(registrableDomain(host))
        : this.hosts.has(host);
    if (!hostOk) return 'scope';
    if (this.include.length > 0 && !this.include.some((r) => r.test(url))) return 'pattern';
    if (this.exclude.some((r) => r.test(url))) return 'pattern';
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
