import { describe, expect, it } from 'vitest';
import { CampaignSpecSchema, parseCampaignSpec } from './campaign-spec.js';

describe('parseCampaignSpec', () => {
  it('fills in every default', () => {
    expect(parseCampaignSpec({ seeds: ['https://example.com/'] })).toEqual({
      seeds: ['https://example.com/'],
      scope: { mode: 'same-host', hosts: [] },
      include: [],
      exclude: [],
      maxPages: 1000,
      maxDepth: 3,
      render: 'never',
      politeness: { minIntervalMs: 1000, maxInFlight: 2 },
    });
  });

  it('takes a render policy, with true and false as aliases of always and never', () => {
    const render = (value: unknown) => parseCampaignSpec({ seeds: ['https://e.com/'], render: value }).render;
    expect(render('auto')).toBe('auto');
    expect(render(true)).toBe('always');
    expect(render(false)).toBe('never');
    expect(CampaignSpecSchema.safeParse({ seeds: ['https://e.com/'], render: 'sometimes' }).success).toBe(
      false,
    );
  });

  it.each([
    ['a relative seed', { seeds: ['example.com'] }],
    ['a javascript: seed', { seeds: ['javascript:alert(1)'] }],
    ['a regex that does not compile', { seeds: ['https://e.com/'], exclude: ['*'] }],
    ['a backreference', { seeds: ['https://e.com/'], include: ['/(\\w+)/\\1/'] }],
    ['a lookahead', { seeds: ['https://e.com/'], exclude: ['/(?!en/)'] }],
    ['hosts mode without hosts', { seeds: ['https://e.com/'], scope: { mode: 'hosts', hosts: [] } }],
    ['a host with a path', { seeds: ['https://e.com/'], scope: { mode: 'hosts', hosts: ['e.com/x'] } }],
    ['a fractional maxPages', { seeds: ['https://e.com/'], maxPages: 1.5 }],
    ['maxDepth above 100', { seeds: ['https://e.com/'], maxDepth: 101 }],
    ['a content type that is not a media type', { seeds: ['https://e.com/'], allowedContentTypes: ['html'] }],
    ['an empty content-type list', { seeds: ['https://e.com/'], allowedContentTypes: [] }],
    ['a recrawl faster than a second', { seeds: ['https://e.com/'], recrawl: { intervalMs: 10 } }],
  ])('rejects %s', (_label, input) => {
    expect(CampaignSpecSchema.safeParse(input).success).toBe(false);
  });

  it('accepts patterns a backtracking engine would take exponential time on, since they run on RE2', () => {
    const spec = CampaignSpecSchema.parse({ seeds: ['https://e.com/'], include: ['(a+)+$'] });
    expect(spec.include).toEqual(['(a+)+$']);
  });

  it('names a refused pattern and says why', () => {
    const result = CampaignSpecSchema.safeParse({
      seeds: ['https://e.com/'],
      exclude: ['\\.pdf$', '(?<=/)x'],
    });
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ['exclude', 1],
        message:
          'pattern "(?<=/)x": lookahead and lookbehind ((?=, (?!, (?<=, (?<!) are not supported: patterns run on a linear-time engine (RE2)',
      }),
    ]);
  });
});
