import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The coordinator's Ed25519 signing key: what signs epoch publications and dataset snapshot manifests. */
export interface SigningKey {
  /** The private key, PKCS#8 PEM. */
  privateKeyPem: string;
  /** Its public key, SPKI PEM (what verifiers pin). */
  publicKeyPem: string;
  /** The first 16 hex digits of the SHA-256 of the public key's SPKI DER: names the key in signed files. */
  keyId: string;
}

/** Raised when a signing key cannot be read or is not an Ed25519 private key; the message says which and why. */
export class SigningKeyError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SigningKeyError';
  }
}

/** The key id of an Ed25519 public key (SPKI PEM): first 16 hex digits of the SHA-256 of its SPKI DER. */
export function signingKeyId(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/** Reads an Ed25519 private key from PEM text; `source` names where it came from in errors. */
export function parseSigningKey(pem: string, source: string): SigningKey {
  let key;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new SigningKeyError(`${source} does not hold a PEM private key`, { cause: error });
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new SigningKeyError(
      `${source} holds a ${key.asymmetricKeyType ?? 'unknown'} key, not an Ed25519 one`,
    );
  const publicKeyPem = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
  return {
    privateKeyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem,
    keyId: signingKeyId(publicKeyPem),
  };
}

/**
 * Loads the signing key from PEM text (`GLEANER_SIGNING_KEY`) or from a file (`GLEANER_SIGNING_KEY_FILE`); giving
 * both is an error, giving neither returns undefined (the caller decides whether it can run without one).
 */
export function loadSigningKey(options: { pem?: string; file?: string }): SigningKey | undefined {
  const { pem, file } = options;
  if (pem !== undefined && file !== undefined)
    throw new SigningKeyError('set GLEANER_SIGNING_KEY or GLEANER_SIGNING_KEY_FILE, not both');
  if (pem !== undefined) return parseSigningKey(pem, 'GLEANER_SIGNING_KEY');
  if (file === undefined) return undefined;
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SigningKeyError(`cannot read the signing key file ${file}`, { cause: error });
  }
  return parseSigningKey(text, `the signing key file ${file}`);
}

/**
 * Makes sure an Ed25519 signing key exists at `path`: creates a new one (PKCS#8 PEM, mode 0600, its folder made as
 * needed) if the file is missing, and leaves an existing file alone. Returns the key the file holds.
 */
export function ensureSigningKeyFile(path: string): SigningKey {
  mkdirSync(dirname(path), { recursive: true });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  try {
    // 'wx' fails if the file exists, so two processes starting at once never overwrite each other's key.
    writeFileSync(path, pem, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
      throw new SigningKeyError(`cannot create the signing key file ${path}`, { cause: error });
  }
  return loadSigningKey({ file: path })!;
}
