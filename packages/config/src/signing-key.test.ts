import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureSigningKeyFile, loadSigningKey, SigningKeyError, signingKeyId } from './signing-key.js';

describe('signing key', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gleaner-signing-key-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a key file once, mode 0600, and reads the same key back', () => {
    const path = join(dir, 'keys', 'signing-key.pem');
    const created = ensureSigningKeyFile(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const again = ensureSigningKeyFile(path);
    expect(again).toEqual(created);
    expect(loadSigningKey({ file: path })).toEqual(created);
    const signature = sign(null, Buffer.from('hello'), created.privateKeyPem);
    expect(verify(null, Buffer.from('hello'), created.publicKeyPem, signature)).toBe(true);
  });

  it('names a key by the first 16 hex digits of the SHA-256 of its SPKI DER', () => {
    const key = loadSigningKey({ pem: ensureSigningKeyFile(join(dir, 'k.pem')).privateKeyPem })!;
    expect(key.keyId).toMatch(/^[0-9a-f]{16}$/);
    const der = createPublicKey(key.publicKeyPem).export({ type: 'spki', format: 'der' });
    expect(key.keyId).toBe(createHash('sha256').update(der).digest('hex').slice(0, 16));
    expect(signingKeyId(key.publicKeyPem)).toBe(key.keyId);
  });

  it('returns undefined without a key and refuses both sources, bad PEM, other key types and missing files', () => {
    expect(loadSigningKey({})).toBeUndefined();
    expect(() => loadSigningKey({ pem: 'x', file: 'y' })).toThrow(/not both/);
    expect(() => loadSigningKey({ pem: 'not a key' })).toThrow(SigningKeyError);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(() => loadSigningKey({ pem: rsa })).toThrow(/rsa key, not an Ed25519/);
    expect(() => loadSigningKey({ file: join(dir, 'missing.pem') })).toThrow(/cannot read/);
    const bad = join(dir, 'bad.pem');
    writeFileSync(bad, 'garbage');
    expect(() => loadSigningKey({ file: bad })).toThrow(/does not hold a PEM private key/);
  });
});
