import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, FEED_START } from './feed-cursor.js';

const b64 = (text: string) => Buffer.from(text).toString('base64url');

describe('feed cursors', () => {
  it('round-trips every cursor it hands out, up to the largest bigint', () => {
    for (const cursor of [
      FEED_START,
      { txid: 731n, seq: 42 },
      { txid: 9_223_372_036_854_775_807n, seq: 2 ** 53 - 1 },
    ])
      expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it('refuses numbers out of range, other spellings and garbage', () => {
    for (const text of [
      b64('9999999999999999999.1'),
      b64('9223372036854775808.1'),
      b64('1.9007199254740992'),
      b64('007.1'),
      b64('1.'),
      b64('.1'),
      b64('1.2\n'),
      `${b64('1.2')}==`,
      'MS4yMx',
      '',
      '***',
    ])
      expect(decodeCursor(text), text).toBeUndefined();
    expect(decodeCursor('MS4yMw')).toEqual({ txid: 1n, seq: 23 });
  });
});
