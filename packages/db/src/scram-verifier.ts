import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/** The one SASL mechanism {@link ScramVerifier} offers. */
export const SCRAM_MECHANISM = 'SCRAM-SHA-256';

const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();

/** One SCRAM exchange in progress: the server-first message sent, waiting for the client's proof. */
export interface ScramExchange {
  /** `server-first-message`, to send in AuthenticationSASLContinue. */
  serverFirst: string;
  /**
   * Checks the client's `client-final-message`; returns the `server-final-message` (for AuthenticationSASLFinal)
   * when its proof holds, undefined when it does not.
   */
  finish(clientFinal: string): string | undefined;
}

/**
 * Server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) for one password, as PostgreSQL runs it: no channel binding
 * (the embedded server speaks plain TCP on loopback) and the user name taken from the startup message, not from
 * SCRAM's `n=`. The password is salted and stretched once, at construction (4,096 PBKDF2 rounds by default, as
 * PostgreSQL does); each exchange then costs a few HMACs.
 */
export class ScramVerifier {
  private readonly salt: Buffer;
  private readonly storedKey: Buffer;
  private readonly serverKey: Buffer;

  constructor(
    password: string,
    private readonly iterations = 4096,
  ) {
    this.salt = randomBytes(16);
    const salted = pbkdf2Sync(password.normalize('NFKC'), this.salt, iterations, 32, 'sha256');
    this.storedKey = sha256(hmac(salted, 'Client Key'));
    this.serverKey = hmac(salted, 'Server Key');
  }

  /**
   * Starts an exchange from the client's `client-first-message` (`n,,n=…,r=<nonce>`); undefined when the message
   * is malformed or asks for channel binding.
   */
  begin(clientFirst: string): ScramExchange | undefined {
    const header = /^([ny]),,/.exec(clientFirst);
    if (!header) return undefined;
    const gs2Header = header[0];
    const clientFirstBare = clientFirst.slice(gs2Header.length);
    const clientNonce = /(?:^|,)r=([^,]+)/.exec(clientFirstBare)?.[1];
    if (!clientNonce) return undefined;
    const nonce = clientNonce + randomBytes(18).toString('base64');
    const serverFirst = `r=${nonce},s=${this.salt.toString('base64')},i=${this.iterations}`;
    return {
      serverFirst,
      finish: (clientFinal) => {
        const match = /^c=([^,]*),r=([^,]*)(?:,.*)?,p=([^,]+)$/.exec(clientFinal);
        if (!match || match[2] !== nonce) return undefined;
        if (match[1] !== Buffer.from(gs2Header).toString('base64')) return undefined;
        const withoutProof = clientFinal.slice(0, clientFinal.lastIndexOf(',p='));
        const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
        const proof = Buffer.from(match[3]!, 'base64');
        if (proof.length !== 32) return undefined;
        const signature = hmac(this.storedKey, authMessage);
        const clientKey = Buffer.from(proof.map((byte, i) => byte ^ signature[i]!));
        if (!timingSafeEqual(sha256(clientKey), this.storedKey)) return undefined;
        return `v=${hmac(this.serverKey, authMessage).toString('base64')}`;
      },
    };
  }
}
