/**
 * Deterministic outlink batches for the frontier benchmark: `hosts × urlsPerHost` distinct URLs, offered in batches
 * shaped like a page's outlinks (mostly links to the page's own host, a share to other hosts). No randomness, so two
 * runs offer exactly the same links in the same order.
 */
import type { LinkToAdmit } from '@gleaner/queue';

/** The shape of the offered link stream. */
export interface LinkPlan {
  /** Distinct hosts. */
  hosts: number;
  /** Distinct URLs per host. */
  urlsPerHost: number;
  /** Links per batch (one `Admission.admit` call, like one page's outlinks). */
  batchSize: number;
  /** Share of each batch that points to other hosts, 0..1. */
  externalShare: number;
}

/** The name of host `i`, as the campaign's scope lists it. */
export function hostName(i: number): string {
  return `site-${i}.example`;
}

/** All host names of a plan, for a `hosts` scope. */
export function hostNames(hosts: number): string[] {
  return Array.from({ length: hosts }, (_, i) => hostName(i));
}

/**
 * The raw link to URL `index` of host `host`, written the way pages write links (mixed-case host, fragments,
 * tracking parameters, unsorted queries) so normalization does real work. One in ten has a query (counted by the
 * query-variant trap cap), one in ten a date in its path (counted by the calendar cap); all stay under the caps.
 */
export function rawUrl(host: number, index: number): string {
  const origin = `https://Site-${host}.example`;
  switch (index % 10) {
    case 0:
      return `${origin}/list-${index}?sort=asc&utm_source=feed&page=2#results`;
    case 1:
      return `${origin}/2024/05/post-${index}`;
    default:
      return `${origin}/s${index % 7}/./item-${index}#top`;
  }
}

/** Picks a stride coprime with `n`, so `k·stride mod n` visits every residue once per `n` steps. */
function coprimeStride(n: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let stride = 7919;
  while (gcd(stride, n) !== 1) stride += 2;
  return stride;
}

/**
 * Yields every URL of the plan exactly once, in batches. Each host's first `urlsPerHost·(1 − externalShare)` URLs
 * are internal links on the host's own pages (round by round over all hosts, so one host's pages are far apart);
 * the rest are drawn one by one, host by host in a scattered order, as the external links of every batch.
 */
export function* linkBatches(plan: LinkPlan, depth = 1): Generator<LinkToAdmit[]> {
  const external = Math.round(plan.batchSize * plan.externalShare);
  const internalPerBatch = plan.batchSize - external;
  const internalPerHost = Math.round(plan.urlsPerHost * (1 - plan.externalShare));
  const externalPool = plan.hosts * (plan.urlsPerHost - internalPerHost);
  const stride = coprimeStride(plan.hosts);
  let drawn = 0;
  const drawExternal = (count: number): LinkToAdmit[] => {
    const out: LinkToAdmit[] = [];
    for (; out.length < count && drawn < externalPool; drawn++) {
      const host = (drawn * stride) % plan.hosts;
      out.push({ url: rawUrl(host, internalPerHost + Math.floor(drawn / plan.hosts)), depth });
    }
    return out;
  };
  const rounds = internalPerBatch > 0 ? Math.ceil(internalPerHost / internalPerBatch) : 0;
  for (let round = 0; round < rounds; round++) {
    for (let host = 0; host < plan.hosts; host++) {
      const batch: LinkToAdmit[] = [];
      const end = Math.min(internalPerHost, (round + 1) * internalPerBatch);
      for (let i = round * internalPerBatch; i < end; i++) batch.push({ url: rawUrl(host, i), depth });
      batch.push(...drawExternal(external));
      yield batch;
    }
  }
  while (drawn < externalPool) yield drawExternal(plan.batchSize);
}

/** `count` links of one host, indices `from..from+count−1`, in batches of `batchSize`. */
export function* hostBatches(
  host: number,
  from: number,
  count: number,
  batchSize: number,
): Generator<LinkToAdmit[]> {
  for (let start = from; start < from + count; start += batchSize) {
    const batch: LinkToAdmit[] = [];
    for (let i = start; i < Math.min(from + count, start + batchSize); i++)
      batch.push({ url: rawUrl(host, i), depth: 1 });
    yield batch;
  }
}
