/**
 * `application/warc-fields` bodies (WARC/1.1 §5.1): `name: value` lines ending in CRLF; a name may repeat.
 * Values here never hold a line break (ids, digests, base64, URLs serialized by the WHATWG URL parser).
 */
export function formatWarcFields(fields: [string, string][]): string {
  return fields
    .map(([name, value]) => {
      if (/[\r\n]/.test(value) || /[\r\n:]/.test(name))
        throw new TypeError(`WARC field ${name} holds a line break`);
      return `${name}: ${value}\r\n`;
    })
    .join('');
}

/** Parses a `application/warc-fields` body into its names (lower-cased) and values, in order. */
export function parseWarcFields(text: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const line of text.split(/\r?\n/)) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const values = fields.get(name) ?? [];
    values.push(line.slice(colon + 1).trim());
    fields.set(name, values);
  }
  return fields;
}
