import { describe, expect, it } from 'vitest';
import { extractPage, extractStructuredFields } from '@gleaner/extract';
import { isIpv6, isPhone, redactPage, redactPii, REDACT_ALL_PII } from './pii-redactor.js';

const emails = (text: string): string => redactPii(text, { emails: true }).text;
const phones = (text: string): string => redactPii(text, { phones: true }).text;
const ips = (text: string): string => redactPii(text, { ipAddresses: true }).text;

describe('redactPii options and counts', () => {
  const sample = 'Write to ann@example.org from 192.168.0.7 or call +44 20 7946 0958.';

  it('touches nothing when no kind is switched on', () => {
    expect(redactPii(sample, {})).toEqual({ text: sample, counts: { emails: 0, phones: 0, ipAddresses: 0 } });
  });

  it('redacts only the kinds switched on', () => {
    expect(redactPii(sample, { emails: true }).text).toBe(
      'Write to [EMAIL] from 192.168.0.7 or call +44 20 7946 0958.',
    );
    expect(redactPii(sample, { ipAddresses: true, phones: false }).text).toBe(
      'Write to ann@example.org from [IP] or call +44 20 7946 0958.',
    );
  });

  it('counts each kind', () => {
    const result = redactPii(`${sample} Also bob@example.net, 10.0.0.1 and ::1.`, REDACT_ALL_PII);
    expect(result.text).toBe('Write to [EMAIL] from [IP] or call [PHONE]. Also [EMAIL], [IP] and [IP].');
    expect(result.counts).toEqual({ emails: 2, phones: 1, ipAddresses: 3 });
  });

  it('is stable: redacting twice changes nothing more', () => {
    const once = redactPii(sample, REDACT_ALL_PII).text;
    expect(redactPii(once, REDACT_ALL_PII)).toEqual({
      text: once,
      counts: { emails: 0, phones: 0, ipAddresses: 0 },
    });
  });
});

describe('e-mail addresses', () => {
  it.each([
    ['ann@example.org', '[EMAIL]'],
    ['first.last+tag@mail.example.co.uk', '[EMAIL]'],
    ['under_score-dash%x@sub-domain.example.io', '[EMAIL]'],
    ['UPPER@EXAMPLE.COM', '[EMAIL]'],
    ['jörg.müller@beispiel.de', '[EMAIL]'],
    ['Mail me: ann@example.org.', 'Mail me: [EMAIL].'],
    ['(ann@example.org)', '([EMAIL])'],
    ['"ann@example.org",', '"[EMAIL]",'],
    ['ann@example.org;bob@example.net', '[EMAIL];[EMAIL]'],
    ['https://user:secret@example.com/path', 'https://user:[EMAIL]/path'],
  ])('redacts %s', (input, expected) => {
    expect(emails(input)).toBe(expected);
  });

  it.each([
    ['ann [at] example [dot] org', '[EMAIL]'],
    ['ann(at)example(dot)org', '[EMAIL]'],
    ['ann {AT} example {DOT} org', '[EMAIL]'],
    ['ann [at] example.org', '[EMAIL]'],
    ['first.last [at] mail [dot] example [dot] com today', '[EMAIL] today'],
  ])('redacts the bracketed obfuscation %s', (input, expected) => {
    expect(emails(input)).toBe(expected);
  });

  it.each([
    'look at this dot com boom',
    'ann at example dot org',
    'follow @gleaner on social media',
    'https://medium.com/@author/a-post',
    'npm install lodash@4.17.21 and react@18',
    '![logo](/img/logo@2x.png) and icon@3x.webp and hero@1.5x.jpg',
    'an @ sign alone, a@b, a@b.c and a@b.c1',
    'price: 5 @ $3.00',
  ])('leaves %s alone', (input) => {
    expect(emails(input)).toBe(input);
  });

  describe('in markdown', () => {
    it('redacts both the label and the URL of a mailto link', () => {
      expect(emails('[ann@example.org](mailto:ann@example.org)')).toBe('[[EMAIL]](mailto:[EMAIL])');
    });

    it('keeps query strings of mailto links and link labels that are not addresses', () => {
      expect(emails('[Write us](mailto:ann@example.org?subject=Hi "Title")')).toBe(
        '[Write us](mailto:[EMAIL]?subject=Hi "Title")',
      );
    });

    it('keeps emphasis, code and autolink brackets around the address', () => {
      expect(emails('**ann@example.org** _ann@example.org_ `ann@example.org` <ann@example.org>')).toBe(
        '**[EMAIL]** _[EMAIL]_ `[EMAIL]` <[EMAIL]>',
      );
      expect(emails('- ann@example.org\n> bob@example.net')).toBe('- [EMAIL]\n> [EMAIL]');
    });

    it('redacts an address whose underscore markdown escaped', () => {
      expect(emails('ann\\_lee@example.org')).toBe('[EMAIL]');
    });

    it('keeps markdown characters that lead into the address', () => {
      expect(emails('__ann@example.org__')).toBe('__[EMAIL]__');
    });
  });
});

describe('phone numbers', () => {
  it.each([
    // International
    ['+1 (212) 555-0123'],
    ['+1-212-555-0123'],
    ['+44 20 7946 0958'],
    ['+44 (0) 20 7946 0958'],
    ['+49 30 12345678'],
    ['+33 1 23 45 67 89'],
    ['+7 495 123-45-67'],
    ['+358 9 1234567'],
    ['+4915112345678'],
    ['(+44) 20 7946 0958'],
    ['0044 20 7946 0958'],
    // North American
    ['(212) 555-0123'],
    ['(212)555-0123'],
    ['212-555-0123'],
    ['212.555.0123'],
    ['212 555 0123'],
    ['1-800-555-0199'],
    ['1 (800) 555-0199'],
    // National with a trunk 0
    ['020 7946 0958'],
    ['(020) 7946 0958'],
    ['07700 900123'],
    ['030 12345678'],
    ['01 23 45 67 89'],
    ['01.23.45.67.89'],
    ['06-12345678'],
    ['03-1234-5678'],
  ])('redacts %s', (phone) => {
    expect(phones(`Call ${phone} today.`)).toBe('Call [PHONE] today.');
  });

  it.each([
    // Dates and times
    ['2024-01-02'],
    ['02.01.2024'],
    ['01/02/2024'],
    ['2024.01.02'],
    ['01-02-2024 0930'],
    ['2024-01-02 10:30:45'],
    ['12:30:45'],
    // Book numbers
    ['ISBN 978-3-16-148410-0'],
    ['ISBN-13: 978-0-306-40615-7'],
    ['ISBN 0-306-40615-2'],
    ['978-3-16-148410-0'],
    ['0-306-40615-2'],
    // Prices and amounts
    ['$1,234,567.89'],
    ['1 234 567 €'],
    ['€ 1.234.567,00'],
    ['£2 500 000'],
    ['12.5%'],
    // Versions and identifiers
    ['v1.2.3'],
    ['10.0.19041.1'],
    ['1.2.3.4.5.6.7.8'],
    ['1234567890123'],
    ['1700000000'],
    ['5551234567'],
    ['order #5551234567'],
    ['ID12345678'],
    ['4111 1111 1111 1111'],
    // Ranges, short numbers, counts
    ['1990-2000'],
    ['pages 123-4567'],
    ['555-1234'],
    ['1 2 3 4 5 6 7 8'],
    ['123 456 789'],
    ['0 800 12 3'],
  ])('leaves %s alone', (text) => {
    expect(phones(text)).toBe(text);
  });

  it('finds a phone after other numbers and before a trailing number', () => {
    expect(phones('1. 212-555-0123')).toBe('1. [PHONE]');
    expect(phones('Room 12 212-555-0123')).toBe('Room 12 [PHONE]');
    expect(phones('212-555-0123 24 hours a day')).toBe('[PHONE] 24 hours a day');
  });

  it('redacts tel: links in markdown without breaking them', () => {
    expect(phones('[+1 212 555 0123](tel:+12125550123)')).toBe('[[PHONE]](tel:[PHONE])');
    expect(phones('[Call us](tel:+1-212-555-0123)')).toBe('[Call us](tel:[PHONE])');
    expect(phones('| Office | 020 7946 0958 |')).toBe('| Office | [PHONE] |');
  });

  it('does not take IP addresses for phones once IPs are redacted first', () => {
    expect(redactPii('host 192.168.100.200', REDACT_ALL_PII).text).toBe('host [IP]');
  });

  it('exposes its decision on a single candidate', () => {
    expect(isPhone('+44 20 7946 0958')).toBe(true);
    expect(isPhone('+44 20')).toBe(false);
    expect(isPhone('+1234567')).toBe(false);
    expect(isPhone('+1234 567 890')).toBe(false);
    expect(isPhone('020-7946 0958')).toBe(false);
    expect(isPhone('(112) 555-0123')).toBe(false);
  });
});

describe('IP addresses', () => {
  it.each([
    ['192.168.0.1', '[IP]'],
    ['0.0.0.0', '[IP]'],
    ['255.255.255.255', '[IP]'],
    ['from 8.8.8.8, then', 'from [IP], then'],
    ['10.0.0.1:8080', '[IP]:8080'],
    ['10.0.0.0/8', '[IP]/8'],
    ['http://172.16.5.4/admin', 'http://[IP]/admin'],
    ['10.0.0.1-10.0.0.9', '[IP]-[IP]'],
    ['It was 1.2.3.4.', 'It was [IP].'],
  ])('redacts IPv4 %s', (input, expected) => {
    expect(ips(input)).toBe(expected);
  });

  it.each([
    '1.2.3',
    '10.0.0.0.1',
    '256.1.1.1',
    '1.2.3.999',
    '01.02.03.04',
    'v1.2.3.4',
    'build1.2.3.4',
    '1.2.3.4a',
    '1.2.3.4.5',
    '2024.01.02',
  ])('leaves %s alone', (input) => {
    expect(ips(input)).toBe(input);
  });

  it.each([
    ['2001:0db8:85a3:0000:0000:8a2e:0370:7334', '[IP]'],
    ['2001:db8::1', '[IP]'],
    ['::1', '[IP]'],
    ['fe80::1%eth0', '[IP]%eth0'],
    ['::ffff:192.0.2.128', '[IP]'],
    ['64:ff9b::192.0.2.33', '[IP]'],
    ['2001:DB8:0:0:8:800:200C:417A', '[IP]'],
    ['2001:db8::/32', '[IP]/32'],
    ['Loopback is ::1.', 'Loopback is [IP].'],
  ])('redacts IPv6 %s', (input, expected) => {
    expect(ips(input)).toBe(expected);
  });

  it('keeps the brackets of an IPv6 URL host', () => {
    expect(ips('http://[2001:db8::2]:80/')).toBe('http://[[IP]]:80/');
  });

  it.each([
    'std::vector<int>',
    'face::bad',
    'a :: b',
    '00:1A:2B:3C:4D:5E',
    '12:30:45',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '2001:db8::1::2',
    '2001:db8:12345::1',
    '1.2.3.4::1',
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  ])('leaves %s alone', (input) => {
    expect(ips(input)).toBe(input);
  });

  it('exposes its IPv6 check', () => {
    expect(isIpv6('1:2:3:4:5:6:7:8')).toBe(true);
    expect(isIpv6('1::2:3:4:5:6:7')).toBe(true);
    expect(isIpv6('1::2:3:4:5:6:7:8')).toBe(false);
    expect(isIpv6('::')).toBe(false);
  });
});

describe('linear time', () => {
  const SIZE = 1_000_000;
  const fill = (unit: string): string => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);
  const adversarial = [
    'a',
    'a.',
    'a@',
    'a@b.',
    '@',
    'a.b_c+d-',
    'a [at] b [dot] ',
    '1',
    '1 ',
    '11 ',
    '123 ',
    '0 ',
    '1-',
    '1.',
    '+1 ',
    '(1) ',
    '212-555-0123 ',
    '1.1.1.1.',
    'a:',
    'a::',
    ':',
    'a1.b2@c3-d4 5(6) +7:8.',
  ];

  it.each(adversarial)('redacts 1 MB of %j in well under a second of CPU time', (unit) => {
    const text = fill(unit);
    const before = process.cpuUsage();
    redactPii(text, REDACT_ALL_PII);
    const used = process.cpuUsage(before);
    expect((used.user + used.system) / 1000).toBeLessThan(1000);
  });

  it('handles one long local part followed by a domain without a top-level domain', () => {
    const text = `${'x'.repeat(SIZE)}@${'b.'.repeat(1000)}1`;
    const before = process.cpuUsage();
    expect(redactPii(text, REDACT_ALL_PII).counts.emails).toBe(0);
    const used = process.cpuUsage(before);
    expect((used.user + used.system) / 1000).toBeLessThan(1000);
  });
});

describe('redactPage on a really extracted page', () => {
  const html = `<!doctype html><html lang="en"><head>
    <title>Visit our workshop</title>
    <meta name="description" content="Questions? Mail shop@example.com or ring +44 20 7946 0958.">
    <meta name="author" content="Ann Smith (ann.smith@example.org, 212-555-0123)">
    <meta property="og:title" content="Workshop — call 020 7946 0958">
    <meta property="og:description" content="Write to hello@example.net from 192.0.2.7">
    <script type="application/ld+json">{"@context":"https://schema.org","@type":"LocalBusiness","name":"Workshop",
      "email":"mailto:owner@example.com","telephone":"+1 212 555 0199",
      "founder":{"@type":"Person","name":"Bo","contactPoint":[{"email":"bo@example.com","__proto__":"bo2@example.com"}]},
      "openingHours":"Mo-Fr 09:00-17:00","geo":{"latitude":51.5,"longitude":-0.12}}</script>
    </head><body><article><h1>Visit our workshop</h1>
    <p>Our workshop has been building fine wooden furniture for three generations, and every piece is made by hand.</p>
    <p>Come and see how chairs, tables and cabinets are made, or write to desk@example.com for an appointment.</p>
    <p class="contact">Call us on +44 20 7946 0000 any weekday.</p>
    </article></body></html>`;
  const url = 'https://workshop.example/visit';

  it('redacts the description, author, JSON-LD, OpenGraph and structured fields, counting every replacement', () => {
    const extracted = extractPage({ body: Buffer.from(html), url, contentType: 'text/html; charset=utf-8' });
    expect(extracted.metadata.description).toContain('shop@example.com');
    expect(extracted.metadata.author).toContain('ann.smith@example.org');
    const structured = extractStructuredFields(html, url, [
      { name: 'contact', selector: '.contact', type: 'string' },
      { name: 'phone', selector: '.contact', type: 'string', pattern: '^No phone here$' },
    ]);
    const before = JSON.stringify({ extracted, structured });

    const { page, counts } = redactPage(
      { ...extracted, fields: structured.fields, fieldErrors: structured.errors },
      REDACT_ALL_PII,
    );

    expect(page.metadata.description).toBe('Questions? Mail [EMAIL] or ring [PHONE].');
    expect(page.metadata.author).toBe('Ann Smith ([EMAIL], [PHONE])');
    expect(page.metadata.openGraph).toEqual({
      title: 'Workshop — call [PHONE]',
      description: 'Write to [EMAIL] from [IP]',
    });
    const [ld] = page.metadata.jsonLd as Record<string, unknown>[];
    expect(ld).toMatchObject({
      '@context': 'https://schema.org',
      email: 'mailto:[EMAIL]',
      telephone: '[PHONE]',
      openingHours: 'Mo-Fr 09:00-17:00',
      geo: { latitude: 51.5, longitude: -0.12 },
    });
    const contactPoint = (ld!.founder as { contactPoint: Record<string, unknown>[] }).contactPoint[0]!;
    expect(Object.getOwnPropertyDescriptor(contactPoint, '__proto__')?.value).toBe('[EMAIL]');
    expect(contactPoint.email).toBe('[EMAIL]');
    expect(Object.getPrototypeOf(contactPoint)).toBe(Object.prototype);
    expect(page.fields).toEqual({ contact: 'Call us on [PHONE] any weekday.' });
    expect(page.fieldErrors).toEqual([
      {
        field: 'phone',
        code: 'PATTERN_MISMATCH',
        message: '"Call us on [PHONE] any weekday." does not match the pattern',
      },
    ]);
    expect(page.text).toContain('write to [EMAIL] for an appointment');
    expect(page.markdown).toContain('[EMAIL]');

    const everything = JSON.stringify(page);
    for (const pii of ['@example.', '7946', '555-0123', '555 0199', '192.0.2.7'])
      expect(everything).not.toContain(pii);
    // og:title is also the title and metadata.title: three phones from one tag.
    expect(page.title).toBe('Workshop — call [PHONE]');
    expect(counts).toEqual({ emails: 8, phones: 10, ipAddresses: 1 });
    // The extracted page itself is left as it was.
    expect(JSON.stringify({ extracted, structured })).toBe(before);
  });

  it('leaves a page as it is when nothing is switched on, and survives deep JSON-LD', () => {
    const extracted = extractPage({ body: Buffer.from(html), url });
    expect(redactPage(extracted, {}).page).toBe(extracted);
    let deep: unknown = 'deep@example.com';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const { page, counts } = redactPage({ ...extracted, metadata: { jsonLd: [deep] } }, { emails: true });
    let inner: unknown = (page.metadata as { jsonLd: unknown[] }).jsonLd[0];
    while (Array.isArray(inner)) inner = inner[0];
    expect(inner).toBe('[EMAIL]');
    expect(counts.emails).toBeGreaterThan(1);
  });
});
