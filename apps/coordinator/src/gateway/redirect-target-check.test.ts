import { describe, expect, it } from 'vitest';
import type { CampaignSpec } from '@gleaner/core';
import { CampaignScope } from '@gleaner/frontier';
import type { CachedRobots } from '@gleaner/queue';
import { RedirectTargetCheck, type RobotsSource } from './redirect-target-check.js';

/** robots.txt by host, as the workers' cache would hold them. */
function robotsOf(files: Record<string, CachedRobots>): RobotsSource {
  return { get: (host) => Promise.resolve(files[host]) };
}

const spec = (overrides: Partial<CampaignSpec> = {}): CampaignSpec => ({
  seeds: ['http://a.test/'],
  scope: { mode: 'hosts', hosts: ['a.test', 'b.test'] },
  include: [],
  exclude: ['/private/'],
  maxPages: 100,
  maxDepth: 3,
  render: 'never',
  ...overrides,
});

describe('RedirectTargetCheck', () => {
  const robots = robotsOf({
    'a.test': { status: 200, text: 'User-agent: *\nDisallow: /no/\n', fetchedAt: 1 },
    'b.test': { status: 200, text: 'User-agent: GleanerBot\nDisallow: /\n', fetchedAt: 1 },
    'down.test': { status: 503, text: '', fetchedAt: 1 },
  });
  const check = new RedirectTargetCheck(robots);
  const scope = new CampaignScope(spec());

  it('lets a redirect within scope and allowed by robots.txt become a record', async () => {
    expect(await check.problem('http://a.test/moved', 'http://a.test/old', scope)).toBeUndefined();
  });

  it('refuses a final URL outside the campaign’s scope or patterns', async () => {
    expect(await check.problem('http://c.test/', 'http://a.test/old', scope)).toMatch(/leaves the campaign/);
    expect(await check.problem('http://a.test/private/x', 'http://a.test/old', scope)).toMatch(
      /leaves the campaign/,
    );
  });

  it('refuses a final URL that its host’s robots.txt disallows, for Gleaner by name too', async () => {
    expect(await check.problem('http://a.test/no/1', 'http://a.test/old', scope)).toMatch(
      /disallowed by robots/,
    );
    expect(await check.problem('http://b.test/any', 'http://a.test/old', scope)).toMatch(
      /disallowed by robots/,
    );
  });

  it('refuses another host whose robots.txt is unknown or unavailable, and trusts the job’s own host', async () => {
    const wide = new CampaignScope(
      spec({ scope: { mode: 'hosts', hosts: ['a.test', 'new.test', 'down.test'] } }),
    );
    expect(await check.problem('http://new.test/x', 'http://a.test/old', wide)).toMatch(
      /robots.txt is not known/,
    );
    expect(await check.problem('http://down.test/x', 'http://a.test/old', wide)).toMatch(
      /disallowed by robots/,
    );
    const fresh = new RedirectTargetCheck(robotsOf({}));
    expect(await fresh.problem('http://a.test/moved', 'http://a.test/old', scope)).toBeUndefined();
  });
});
