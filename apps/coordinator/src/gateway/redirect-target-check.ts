import {
  ALLOW_ALL_ROBOTS,
  DISALLOW_ALL_ROBOTS,
  parseRobots,
  robotsPolicyForStatus,
  type CampaignScope,
  type RobotsRules,
} from '@gleaner/frontier';
import type { CachedRobots } from '@gleaner/queue';

/** Where the gateway reads a host's robots.txt (the workers' shared cache). */
export interface RobotsSource {
  get(host: string): Promise<CachedRobots | undefined>;
}

/** How many hosts' parsed robots.txt the check keeps. */
const MAX_PARSED_HOSTS = 10_000;

/**
 * Judges where a redirect led: a final URL outside the campaign's scope, or one that robots.txt disallows, is not a
 * record. A target on another host whose robots.txt was never fetched is refused too: no rule is known to allow it,
 * and the page can still be reached through admission, which fetches that robots.txt first.
 */
export class RedirectTargetCheck {
  private readonly parsed = new Map<string, { fetchedAt: number; rules: RobotsRules }>();

  constructor(private readonly robots: RobotsSource) {}

  /** Undefined when the final URL may become a record, else why not. */
  async problem(finalUrl: string, jobUrl: string, scope: CampaignScope): Promise<string | undefined> {
    const target = new URL(finalUrl);
    const outside = scope.check(target.href);
    if (outside) return `redirect to ${target.host} leaves the campaign's ${outside}`;
    const cached = await this.robots.get(target.host);
    if (!cached) {
      return target.host === new URL(jobUrl).host
        ? undefined
        : `redirect to ${target.host}, whose robots.txt is not known`;
    }
    const rules = this.rulesFor(target.host, cached);
    return rules.isAllowed(target.pathname + target.search)
      ? undefined
      : `redirect to ${target.pathname} is disallowed by robots.txt`;
  }

  private rulesFor(host: string, robots: CachedRobots): RobotsRules {
    const memo = this.parsed.get(host);
    if (memo && memo.fetchedAt === robots.fetchedAt) return memo.rules;
    const policy = robotsPolicyForStatus(robots.status || 'unreachable');
    const rules =
      policy === 'parse'
        ? parseRobots(robots.text)
        : policy === 'allow-all'
          ? ALLOW_ALL_ROBOTS
          : DISALLOW_ALL_ROBOTS;
    if (this.parsed.size >= MAX_PARSED_HOSTS) this.parsed.clear();
    this.parsed.set(host, { fetchedAt: robots.fetchedAt, rules });
    return rules;
  }
}
