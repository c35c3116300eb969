import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeHtml, normalizeCharset } from './decode-html.js';

const page = (head: string, body: string): string =>
  `<!doctype html><html><head>${head}<title>t</title></head><body><p>${body}</p></body></html>`;

describe('decodeHtml', () => {
  it('uses the charset of the Content-Type header', () => {
    const bytes = iconv.encode(page('', 'Grüße aus Köln'), 'windows-1252');
    const decoded = decodeHtml(bytes, 'text/html; charset=windows-1252');
    expect(decoded.charset).toBe('windows-1252');
    expect(decoded.text).toContain('Grüße aus Köln');
  });

  it('lets a byte-order mark win over the header, as browsers do', () => {
    const body = Buffer.from(page('', 'Œuvre – café'), 'utf8');
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]);
    const decoded = decodeHtml(bytes, 'text/html; charset=iso-8859-1');
    expect(decoded.charset).toBe('utf-8');
    expect(decoded.text.startsWith('<!doctype')).toBe(true);
    expect(decoded.text).toContain('Œuvre – café');
  });

  it('decodes UTF-16 with a byte-order mark', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(page('', 'naïve'), 'utf16le')]);
    expect(decodeHtml(bytes).text).toContain('naïve');
  });

  it('reads <meta charset> when there is no header', () => {
    const bytes = iconv.encode(page('<meta charset="Shift_JIS">', '日本語のテキストです'), 'shift_jis');
    const decoded = decodeHtml(bytes);
    expect(decoded.charset).toBe('shift_jis');
    expect(decoded.text).toContain('日本語のテキストです');
  });

  it('reads <meta http-equiv="Content-Type"> and maps GB2312 to GBK', () => {
    const head = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">';
    const bytes = iconv.encode(page(head, '中文网页内容，简体字。'), 'gbk');
    const decoded = decodeHtml(bytes);
    expect(decoded.charset).toBe('gbk');
    expect(decoded.text).toContain('中文网页内容，简体字。');
  });

  it('decodes ISO-8859-1 labels as Windows-1252 (curly quotes and the euro sign survive)', () => {
    const bytes = iconv.encode(page('<meta charset="iso-8859-1">', '“Preis” 5 € – Straße'), 'windows-1252');
    const decoded = decodeHtml(bytes);
    expect(decoded.charset).toBe('windows-1252');
    expect(decoded.text).toContain('“Preis” 5 € – Straße');
  });

  it('prefers the header over the meta tag', () => {
    const bytes = iconv.encode(page('<meta charset="utf-8">', 'Ærøskøbing'), 'iso-8859-1');
    expect(decodeHtml(bytes, 'text/html;charset="ISO-8859-1"').text).toContain('Ærøskøbing');
  });

  it('overrules a declared legacy charset when the bytes are valid UTF-8', () => {
    const bytes = Buffer.from(page('<meta charset="iso-8859-1">', 'Müller – “quoted”'), 'utf8');
    const decoded = decodeHtml(bytes);
    expect(decoded.charset).toBe('utf-8');
    expect(decoded.text).toContain('Müller – “quoted”');
  });

  it('overrules a declared UTF-8 when the bytes are not UTF-8', () => {
    const text =
      'Die Größe der Städte wächst über die Grenzen hinaus, während die Dörfer schrumpfen. '.repeat(5);
    const bytes = iconv.encode(page('<meta charset="utf-8">', text), 'windows-1252');
    const decoded = decodeHtml(bytes);
    expect(decoded.text).toContain('Die Größe der Städte wächst');
    expect(decoded.text).not.toContain('\ufffd');
  });

  it('sniffs undeclared UTF-8', () => {
    const bytes = Buffer.from(page('', 'Ελληνικά και русский текст'), 'utf8');
    expect(decodeHtml(bytes)).toMatchObject({ charset: 'utf-8' });
  });

  it('sniffs undeclared Shift_JIS and Windows-1252 with the statistical detector', () => {
    const japanese =
      'これは日本語で書かれた長い文章です。文字コードを推測するために十分な長さが必要です。'.repeat(4);
    const sjis = decodeHtml(iconv.encode(page('', japanese), 'shift_jis'));
    expect(sjis.charset).toBe('shift_jis');
    expect(sjis.text).toContain(japanese);
    const french =
      'Les élèves étudièrent à côté de la forêt où les garçons jouèrent près du château. '.repeat(4);
    const latin = decodeHtml(iconv.encode(page('', french), 'windows-1252'));
    expect(latin.text).toContain(french.trim());
  });

  it('ignores unknown labels and falls back to sniffing', () => {
    const bytes = Buffer.from(page('<meta charset="x-made-up">', 'plain ascii'), 'utf8');
    expect(decodeHtml(bytes, 'text/html; charset=bogus').charset).toBe('utf-8');
  });
});

describe('normalizeCharset', () => {
  it('maps labels to what browsers decode', () => {
    expect(normalizeCharset('ISO-8859-1')).toBe('windows-1252');
    expect(normalizeCharset('"utf8"')).toBe('utf-8');
    expect(normalizeCharset('x-sjis')).toBe('shift_jis');
    expect(normalizeCharset('nope')).toBeUndefined();
    expect(normalizeCharset('')).toBeUndefined();
  });
});
