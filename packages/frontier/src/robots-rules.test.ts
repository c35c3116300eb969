import { describe, expect, it } from 'vitest';
import {
  ALLOW_ALL_ROBOTS,
  DISALLOW_ALL_ROBOTS,
  MAX_CRAWL_DELAY_MS,
  MAX_ROBOTS_BYTES,
  normalizeRobotsPath,
  parseRobots,
  robotsPolicyForStatus,
} from './robots-rules.js';

describe('parseRobots: groups', () => {
  const file = [
    'User-agent: *',
    'Disallow: /private/',
    '',
    'User-agent: gleanerbot',
    'Disallow: /no-gleaner/',
    '',
    'User-agent: OtherBot',
    'Disallow: /',
  ].join('\n');

  it('uses the group named after the product token, case-insensitively, and ignores the * group then', () => {
    const rules = parseRobots(file);
    expect(rules.isAllowed('/no-gleaner/page')).toBe(false);
    expect(rules.isAllowed('/private/page')).toBe(true);
  });

  it('falls back to the * group for an unnamed product', () => {
    const rules = parseRobots(file, 'SomeCrawler');
    expect(rules.isAllowed('/private/x')).toBe(false);
    expect(rules.isAllowed('/no-gleaner/x')).toBe(true);
  });

  it('allows everything when no group matches and there is no * group', () => {
    expect(parseRobots('User-agent: OtherBot\nDisallow: /').isAllowed('/x')).toBe(true);
  });

  it('reduces a user-agent value with a version to its token', () => {
    const rules = parseRobots('User-agent: GleanerBot/1.2 (+https://gleaner.example)\nDisallow: /x');
    expect(rules.isAllowed('/x')).toBe(false);
  });

  it('lets consecutive user-agent lines share one group', () => {
    const rules = parseRobots('User-agent: a\nUser-agent: GleanerBot\nUser-agent: b\nDisallow: /shared');
    expect(rules.isAllowed('/shared')).toBe(false);
  });

  it('merges every group that names the product token', () => {
    const rules = parseRobots(
      'User-agent: GleanerBot\nDisallow: /a\n\nUser-agent: x\nDisallow: /b\n\nUser-agent: GLEANERBOT\nDisallow: /c',
    );
    expect(rules.isAllowed('/a')).toBe(false);
    expect(rules.isAllowed('/b')).toBe(true);
    expect(rules.isAllowed('/c')).toBe(false);
  });

  it('starts a new group on a user-agent line that follows rules', () => {
    const rules = parseRobots('User-agent: GleanerBot\nDisallow: /a\nUser-agent: other\nDisallow: /b');
    expect(rules.isAllowed('/a')).toBe(false);
    expect(rules.isAllowed('/b')).toBe(true);
  });

  it('ignores rules that come before any user-agent line', () => {
    expect(parseRobots('Disallow: /\nUser-agent: *\nDisallow: /x').isAllowed('/y')).toBe(true);
  });
});

describe('parseRobots: rules', () => {
  const check = (body: string, path: string): boolean =>
    parseRobots(`User-agent: *\n${body}`).isAllowed(path);

  it('matches by prefix', () => {
    expect(check('Disallow: /fish', '/fish')).toBe(false);
    expect(check('Disallow: /fish', '/fish.html')).toBe(false);
    expect(check('Disallow: /fish', '/fishheads/yummy.html')).toBe(false);
    expect(check('Disallow: /fish', '/Fish.asp')).toBe(true);
    expect(check('Disallow: /fish', '/catfish')).toBe(true);
    expect(check('Disallow: /fish/', '/fish')).toBe(true);
  });

  it('treats an empty Disallow as no rule', () => {
    expect(check('Disallow:', '/anything')).toBe(true);
    expect(check('Disallow:\nDisallow: /x', '/x')).toBe(false);
  });

  it('lets the longest match win', () => {
    expect(check('Disallow: /folder\nAllow: /folder/page', '/folder/page')).toBe(true);
    expect(check('Allow: /folder\nDisallow: /folder/page', '/folder/page')).toBe(false);
    expect(check('Allow: /folder\nDisallow: /folder/page', '/folder/other')).toBe(true);
  });

  it('lets Allow win a tie, whatever the order', () => {
    expect(check('Disallow: /page\nAllow: /page', '/page')).toBe(true);
    expect(check('Allow: /page\nDisallow: /page', '/page')).toBe(true);
    expect(check('Disallow: /p*e\nAllow: /pag*', '/page')).toBe(true);
  });

  it('supports * anywhere', () => {
    expect(check('Disallow: /*.php', '/index.php')).toBe(false);
    expect(check('Disallow: /*.php', '/dir/index.php?x=1')).toBe(false);
    expect(check('Disallow: /*.php', '/index.html')).toBe(true);
    expect(check('Disallow: /a*b*c', '/a-x-b-y-c-z')).toBe(false);
    expect(check('Disallow: /a*b*c', '/a-x-c-y-b')).toBe(true);
    expect(check('Disallow: *', '/anything')).toBe(false);
    expect(check('Disallow: /**x', '/yyx')).toBe(false);
  });

  it('anchors on a final $', () => {
    expect(check('Disallow: /*.php$', '/index.php')).toBe(false);
    expect(check('Disallow: /*.php$', '/index.php?x=1')).toBe(true);
    expect(check('Disallow: /*.php$', '/index.php5')).toBe(true);
    expect(check('Disallow: /$', '/')).toBe(false);
    expect(check('Disallow: /$', '/page')).toBe(true);
    expect(check('Disallow: /a*a$', '/aXa')).toBe(false);
    expect(check('Disallow: /a*a$', '/a')).toBe(true);
  });

  it('lets a more specific Allow open one page in a disallowed site', () => {
    const body = 'Disallow: /\nAllow: /$\nAllow: /public/';
    expect(check(body, '/')).toBe(true);
    expect(check(body, '/public/a')).toBe(true);
    expect(check(body, '/secret')).toBe(false);
  });

  it('matches the query string too', () => {
    expect(check('Disallow: /*?sessionid=', '/page?sessionid=1')).toBe(false);
    expect(check('Disallow: /*?sessionid=', '/page?x=1')).toBe(true);
  });

  it('always allows /robots.txt', () => {
    expect(check('Disallow: /', '/robots.txt')).toBe(true);
    expect(check('Disallow: /', '/robots.txt.bak')).toBe(false);
  });

  it('treats an empty path as /', () => {
    expect(check('Disallow: /$', '')).toBe(false);
  });

  it('adds the missing leading slash of a pattern', () => {
    expect(check('Disallow: private', '/private/x')).toBe(false);
  });
});

describe('parseRobots: percent-encoding', () => {
  const check = (pattern: string, path: string): boolean =>
    parseRobots(`User-agent: *\nDisallow: ${pattern}`).isAllowed(path);

  // The equivalences listed in RFC 9309 §2.2.2, restated.
  it.each([
    ['/foo/bar?baz=quz', '/foo/bar?baz=quz'],
    ['/foo/bar/ツ', '/foo/bar/%E3%83%84'],
    ['/foo/bar/%E3%83%84', '/foo/bar/%E3%83%84'],
    ['/foo/bar/%62%61%7A', '/foo/bar/baz'],
    ['/foo/bar/baz', '/foo/bar/%62%61%7a'],
    ['/foo/bar/%e3%83%84', '/foo/bar/ツ'],
  ])('pattern %s matches path %s', (pattern, path) => {
    expect(check(pattern, path)).toBe(false);
  });

  it('keeps reserved escapes distinct from their characters', () => {
    expect(check('/a%2Fb', '/a/b')).toBe(true);
    expect(check('/a%2Fb', '/a%2fb')).toBe(false);
  });

  it('normalizes a lone % and spaces', () => {
    expect(normalizeRobotsPath('/a%zz b')).toBe('/a%25zz%20b');
    expect(normalizeRobotsPath('/%7e%41')).toBe('/~A');
  });
});

describe('parseRobots: tolerance', () => {
  it('handles a BOM, CRLF and CR line ends, comments and odd spacing', () => {
    const rules = parseRobots(
      '\uFEFFUser-Agent:GleanerBot # us\r\n  DISALLOW :   /a   # no\r\rdisallow: /b\r\n',
    );
    expect(rules.isAllowed('/a')).toBe(false);
    expect(rules.isAllowed('/b')).toBe(false);
    expect(rules.isAllowed('/c')).toBe(true);
  });

  it('skips garbage, HTML and unknown keys', () => {
    const rules = parseRobots(
      '<html><body>oops</body></html>\nfoo bar baz\nUser-agent: *\nNoindex: /a\nHost: example.com\n:::\nDisallow: /b\n\u0000\u0001',
    );
    expect(rules.isAllowed('/a')).toBe(true);
    expect(rules.isAllowed('/b')).toBe(false);
  });

  it('accepts a missing colon and common misspellings', () => {
    const rules = parseRobots('useragent GleanerBot\ndisalow /a\nDissallow: /b');
    expect(rules.isAllowed('/a')).toBe(false);
    expect(rules.isAllowed('/b')).toBe(false);
  });

  it('allows everything for an empty file', () => {
    expect(parseRobots('').isAllowed('/x')).toBe(true);
  });

  it('reads only the first MAX_ROBOTS_BYTES bytes and drops a line cut in half', () => {
    const filler = `# ${'x'.repeat(998)}\n`; // 1000 bytes a line
    const head = `User-agent: *\n${filler.repeat(Math.floor(MAX_ROBOTS_BYTES / 1000) - 1)}`;
    const before = head + 'Disallow: /before\n';
    const cut = `Disallow: /cut-${'y'.repeat(MAX_ROBOTS_BYTES)}`;
    const rules = parseRobots(`${before}${cut}\nDisallow: /after\n`);
    expect(new TextEncoder().encode(before).length).toBeLessThan(MAX_ROBOTS_BYTES);
    expect(rules.isAllowed('/before')).toBe(false);
    expect(rules.isAllowed('/cut-y')).toBe(true);
    expect(rules.isAllowed('/after')).toBe(true);
  });
});

describe('parseRobots: crawl-delay and sitemaps', () => {
  it('reads Crawl-delay in seconds, fractional too', () => {
    expect(parseRobots('User-agent: *\nCrawl-delay: 2').crawlDelayMs).toBe(2000);
    expect(parseRobots('User-agent: *\nCrawl-delay: 0.5').crawlDelayMs).toBe(500);
  });

  it('clamps Crawl-delay to 30 s and ignores bad values', () => {
    expect(parseRobots('User-agent: *\nCrawl-delay: 3600').crawlDelayMs).toBe(MAX_CRAWL_DELAY_MS);
    expect(parseRobots('User-agent: *\nCrawl-delay: soon').crawlDelayMs).toBeUndefined();
    expect(parseRobots('User-agent: *\nCrawl-delay: -4').crawlDelayMs).toBeUndefined();
    expect(parseRobots('User-agent: *\nDisallow: /').crawlDelayMs).toBeUndefined();
  });

  it('takes Crawl-delay from the chosen group only', () => {
    const file = 'User-agent: *\nCrawl-delay: 10\n\nUser-agent: GleanerBot\nCrawl-delay: 3\nDisallow: /x';
    expect(parseRobots(file).crawlDelayMs).toBe(3000);
    expect(parseRobots(file, 'Other').crawlDelayMs).toBe(10_000);
  });

  it('collects Sitemap lines from anywhere, absolute http(s) only, deduplicated', () => {
    const rules = parseRobots(
      [
        'Sitemap: https://a.test/sitemap.xml',
        'User-agent: OtherBot',
        'Disallow: /',
        'sitemap: https://a.test/news.xml.gz',
        'Sitemap: /relative.xml',
        'Sitemap: ftp://a.test/x.xml',
        'Sitemap: https://a.test/sitemap.xml',
      ].join('\n'),
    );
    expect(rules.sitemaps).toEqual(['https://a.test/sitemap.xml', 'https://a.test/news.xml.gz']);
  });
});

describe('robotsPolicyForStatus', () => {
  it.each([
    [200, 'parse'],
    [204, 'parse'],
    [301, 'allow-all'],
    [401, 'allow-all'],
    [403, 'allow-all'],
    [404, 'allow-all'],
    [410, 'allow-all'],
    [429, 'disallow-all'],
    [500, 'disallow-all'],
    [503, 'disallow-all'],
    [100, 'disallow-all'],
    ['unreachable', 'disallow-all'],
  ] as const)('%s → %s', (status, policy) => {
    expect(robotsPolicyForStatus(status)).toBe(policy);
  });

  it('has ready-made rules for the two blanket policies', () => {
    expect(ALLOW_ALL_ROBOTS.isAllowed('/x')).toBe(true);
    expect(DISALLOW_ALL_ROBOTS.isAllowed('/x')).toBe(false);
    expect(DISALLOW_ALL_ROBOTS.isAllowed('/robots.txt')).toBe(true);
  });
});
