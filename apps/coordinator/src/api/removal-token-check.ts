import { REMOVAL_TOKEN_PATH } from '@gleaner/db';
import { SafeFetcher, type Resolver } from '@gleaner/fetcher';

/** Options of a {@link RemovalTokenCheck}. */
export interface RemovalTokenCheckOptions {
  /**
   * Also reach loopback, RFC 1918, CGNAT and unique-local addresses (tests and demos, as
   * `GLEANER_WEBHOOK_ALLOW_PRIVATE_NETWORK` does for webhooks). Default false: a host that resolves to any
   * non-public address is refused.
   */
  allowPrivateNetwork?: boolean;
  /** Longest one fetch of the token file may take, ms. Default 10,000. */
  timeoutMs?: number;
  /** Resolves host names. Default the operating system's resolver. */
  resolve?: Resolver;
}

/** Most bytes of the token file read. */
const MAX_TOKEN_FILE_BYTES = 4096;

/** Where the token of a removal of `host` is looked for, in order: https first, then plain http. */
export function tokenUrlsOf(host: string): string[] {
  return [`https://${host}${REMOVAL_TOKEN_PATH}`, `http://${host}${REMOVAL_TOKEN_PATH}`];
}

/**
 * Looks for a removal request's token on its host, from the coordinator, with the same guard the nodes fetch
 * behind: private addresses refused (unless allowed), the checked address pinned, no redirects followed (a token
 * must be served by the host itself), a small body and a short time limit. The port of a host that names one is
 * the only other port allowed.
 */
export class RemovalTokenCheck {
  constructor(private readonly options: RemovalTokenCheckOptions = {}) {}

  /** Undefined when a line of the host's token file is the token, else why the token was not found. */
  async problem(host: string, token: string): Promise<string | undefined> {
    const port = Number(new URL(`http://${host}`).port || 0);
    const fetcher = new SafeFetcher({
      allowPrivateNetwork: this.options.allowPrivateNetwork ?? false,
      allowedPorts: port ? [80, 443, port] : [80, 443],
      ...(this.options.resolve ? { resolve: this.options.resolve } : {}),
      limits: {
        maxBodyBytes: MAX_TOKEN_FILE_BYTES,
        maxDecodedBytes: MAX_TOKEN_FILE_BYTES,
        totalTimeoutMs: this.options.timeoutMs ?? 10_000,
        headersTimeoutMs: this.options.timeoutMs ?? 10_000,
        maxRedirects: 0,
        allowedContentTypes: ['text/plain'],
      },
    });
    const problems: string[] = [];
    try {
      for (const url of tokenUrlsOf(host)) {
        const outcome = await fetcher.fetch(url);
        if (!outcome.ok) {
          problems.push(`${url}: ${outcome.error.code} ${outcome.error.message}`);
          continue;
        }
        if (outcome.status !== 200) {
          problems.push(`${url}: HTTP ${outcome.status}`);
          continue;
        }
        const lines = outcome.body.toString('utf8').split(/\r?\n/);
        if (lines.some((line) => line.trim() === token)) return undefined;
        problems.push(`${url}: the file does not hold the token`);
      }
    } finally {
      await fetcher.close();
    }
    return problems.join('; ').slice(0, 500);
  }
}
