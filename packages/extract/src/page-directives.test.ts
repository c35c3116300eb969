import { describe, expect, it } from 'vitest';
import { extractPage } from './extract-page.js';
import { extractPlainText } from './extract-plain-text.js';
import {
  MAX_ROBOTS_DIRECTIVES,
  pageDirectives,
  robotsDirectivesFor,
  tdmPolicyOf,
} from './page-directives.js';

const page = (head: string) =>
  new TextEncoder().encode(
    `<html><head>${head}</head><body><article><p>${'Words of the page. '.repeat(40)}</p></article></body></html>`,
  );

describe('robotsDirectivesFor', () => {
  it('keeps unnamed directives and those named for gleanerbot, in lower case', () => {
    expect(robotsDirectivesFor('NoIndex, NOFOLLOW')).toEqual(['noindex', 'nofollow']);
    expect(robotsDirectivesFor('GleanerBot: noindex')).toEqual(['noindex']);
    expect(robotsDirectivesFor('googlebot: noindex, nofollow')).toEqual([]);
    expect(robotsDirectivesFor('noarchive, otherbot: noindex, nofollow, gleanerbot: noai')).toEqual([
      'noarchive',
      'noai',
    ]);
  });

  it('does not take a directive with a value for a crawler name', () => {
    expect(robotsDirectivesFor('max-snippet: 20, unavailable_after: 2030-01-01')).toEqual([
      'max-snippet:20',
      'unavailable_after:2030-01-01',
    ]);
  });

  it('caps what a hostile value can add', () => {
    expect(robotsDirectivesFor('x,'.repeat(100_000))).toHaveLength(MAX_ROBOTS_DIRECTIVES);
    expect(robotsDirectivesFor(`${'a'.repeat(10_000)}`)[0]).toHaveLength(100);
  });
});

describe('pageDirectives', () => {
  it('reads robots and gleanerbot tags and the first TDMRep tags', () => {
    expect(
      pageDirectives([
        { name: 'Robots', content: 'noarchive' },
        { name: 'gleanerbot', content: 'nofollow' },
        { name: 'googlebot', content: 'noindex' },
        { name: 'tdm-reservation', content: ' 1 ' },
        { name: 'tdm-reservation', content: '0' },
        { name: 'tdm-policy', content: 'https://example.com/policy.json' },
        { name: 'description' },
      ]),
    ).toEqual({
      robots: ['noarchive', 'nofollow'],
      tdmReservation: 1,
      tdmPolicy: 'https://example.com/policy.json',
    });
  });

  it('reads a malformed TDMRep value as unset', () => {
    expect(pageDirectives([{ name: 'tdm-reservation', content: 'yes' }])).toEqual({ robots: [] });
    expect(tdmPolicyOf('javascript:alert(1)')).toBeUndefined();
    expect(tdmPolicyOf('not a url')).toBeUndefined();
  });

  it('comes with every extracted page, from the full pass and the fallback alike', () => {
    const body = page(
      '<meta name="robots" content="noindex, noai"><meta name="tdm-reservation" content="1"><title>T</title>',
    );
    const expected = { robots: ['noindex', 'noai'], tdmReservation: 1 };
    expect(extractPage({ body, url: 'http://a.test/' }).directives).toEqual(expected);
    expect(extractPlainText(body, 'http://a.test/').directives).toEqual(expected);
    expect(extractPage({ body: page('<title>T</title>'), url: 'http://a.test/' }).directives).toEqual({
      robots: [],
    });
  });
});
