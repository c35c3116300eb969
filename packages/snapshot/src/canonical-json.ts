/**
 * Canonical JSON, as RFC 8785 (JCS) defines it for the values records hold: no white space; object members sorted
 * by their names' UTF-16 code units; strings escaped as ECMAScript's `JSON.stringify` does; numbers in ECMAScript's
 * shortest round-trip form (`JSON.stringify`). Object members whose value is `undefined` are left out, as in JSON.
 * Throws a `TypeError` for values JSON cannot hold (non-finite numbers, bigints, functions, symbols, `undefined`
 * outside an object).
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no form for ${value}`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item: unknown) => canonicalJson(item)).join(',')}]`;
      const withToJson = value as { toJSON?: () => unknown };
      if (typeof withToJson.toJSON === 'function') return canonicalJson(withToJson.toJSON());
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, member]) => member !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonical JSON has no form for a ${typeof value}`);
  }
}
