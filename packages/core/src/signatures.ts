import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';

/** An Ed25519 key pair, both halves as PEM text (what the node keeps on disk). */
export interface NodeKeyPair {
  publicKeyPem: string;
  privateKeyPem: string;
}

/** Makes a new Ed25519 key pair for a node. */
export function generateNodeKeyPair(): NodeKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** Signs a UTF-8 message with an Ed25519 private key (PEM); returns the signature as base64. */
export function signMessage(privateKeyPem: string, message: string): string {
  return sign(null, Buffer.from(message, 'utf8'), createPrivateKey(privateKeyPem)).toString('base64');
}

/** Checks an Ed25519 signature (base64) of a UTF-8 message; false for any malformed input. */
export function verifyMessage(publicKeyPem: string, message: string, signatureB64: string): boolean {
  try {
    return verify(
      null,
      Buffer.from(message, 'utf8'),
      createPublicKey(publicKeyPem),
      Buffer.from(signatureB64, 'base64'),
    );
  } catch {
    return false;
  }
}

/** Whether a PEM text is a valid Ed25519 public key. */
export function isEd25519PublicKey(publicKeyPem: string): boolean {
  try {
    return createPublicKey(publicKeyPem).asymmetricKeyType === 'ed25519';
  } catch {
    return false;
  }
}

/** The exact text a node signs to prove its identity during the handshake. */
export function authMessage(nonce: string, nodeId: string): string {
  return `gleaner-auth-v1\n${nonce}\n${nodeId}`;
}

/** What a node signs for each result (see {@link resultMessage}). */
export interface SignedResultFields {
  jobId: string;
  /** The lease attempt the job named (1 for the first). */
  attempt: number;
  /** The URLs that answered with a redirect, in order, starting at the job's URL; empty without redirects. */
  redirects: readonly string[];
  finalUrl: string;
  status: number;
  bodySha256: string;
}

/**
 * The exact text a node signs for each result: job id, lease attempt, status, body SHA-256, then the redirect chain
 * hop by hop ending at the final URL, one per line. URLs never hold a line break (they are serialized by the WHATWG
 * URL parser), so the text splits back into its fields unambiguously.
 */
export function resultMessage(fields: SignedResultFields): string {
  return [
    'gleaner-result-v2',
    fields.jobId,
    String(fields.attempt),
    String(fields.status),
    fields.bodySha256,
    ...fields.redirects,
    fields.finalUrl,
  ].join('\n');
}
