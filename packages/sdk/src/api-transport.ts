import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { GleanerApiError, GleanerUnreachableError } from './errors.js';
import {
  DEFAULT_RETRY,
  isRetryableStatus,
  parseRetryAfter,
  retryDelayMs,
  type RetryOptions,
} from './retry-policy.js';

/** Options of {@link ApiTransport}. */
export interface ApiTransportOptions {
  /** The coordinator's base URL, e.g. `https://gleaner.example.org`. */
  baseUrl: string;
  /** The lab's API key, sent as `Authorization: Bearer`. */
  apiKey: string;
  /** Retry policy; default {@link DEFAULT_RETRY}. */
  retry?: Partial<RetryOptions>;
  /** `User-Agent` of every request; default `gleaner-sdk/0.1`. */
  userAgent?: string;
  /** Called before each retry (for logs and progress lines). */
  onRetry?: (event: RetryEvent) => void;
}

/** A retry about to happen. */
export interface RetryEvent {
  /** Path and query of the request. */
  path: string;
  /** 1 for the first retry. */
  attempt: number;
  /** The HTTP status that caused it, or undefined for a network failure. */
  status?: number;
  delayMs: number;
}

/** An answer of {@link ApiTransport.stream}: the body is a Node stream the caller must read or destroy. */
export interface StreamResponse {
  status: number;
  /** The answer's headers, names in lower case. */
  headers: IncomingHttpHeaders;
  body: IncomingMessage;
}

/** One answer as the retry loop sees it, whichever client got it. */
interface Answer<T> {
  status: number;
  statusText: string;
  retryAfter: string | null;
  /** What the caller gets when the answer is returned. */
  value: T;
  /** Throws the body away (before a retry). */
  discard: () => Promise<void>;
  /** Reads the body as text (for an error answer). */
  text: () => Promise<string>;
}

/** One request, query and headers; the answer's body is left unread for the caller. */
export interface ApiRequest {
  method?: 'GET' | 'POST';
  query?: Record<string, string | number | null | undefined>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Statuses returned to the caller instead of thrown (416 for a range request, say). */
  passStatuses?: number[];
}

/**
 * Sends requests to the coordinator with the API key, retrying network failures and 429/5xx answers with back-off
 * (the server's `Retry-After` first). Error answers that are not retried become {@link GleanerApiError}.
 */
export class ApiTransport {
  private readonly retry: RetryOptions;
  private readonly baseUrl: string;

  constructor(private readonly options: ApiTransportOptions) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.baseUrl = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
  }

  /** The absolute URL of `path` (relative to the base URL, with or without its leading `/`) and its query. */
  url(path: string, query: ApiRequest['query'] = {}): URL {
    const url = new URL(path.replace(/^\//, ''), this.baseUrl);
    for (const [name, value] of Object.entries(query))
      if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
    return url;
  }

  /** Sends `request` and resolves with a 2xx (or passed-through) response whose body the caller must read. */
  async send(path: string, request: ApiRequest = {}): Promise<Response> {
    return this.withRetries(path, request, async (url, headers) => {
      const response = await fetch(url, {
        method: request.method ?? 'GET',
        headers,
        ...(request.signal ? { signal: request.signal } : {}),
      });
      return {
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        value: response,
        discard: async () => void (await response.body?.cancel()),
        text: () => response.text(),
        statusText: response.statusText,
      };
    });
  }

  /**
   * Sends a GET as {@link send} does, through `node:http(s)` rather than `fetch`: the body comes as a Node stream,
   * chunk by chunk as the socket reads it, without a web stream on top. For large bodies (snapshot files), where
   * fetch's web stream costs about as much CPU again as the HTTP parsing itself.
   */
  async stream(path: string, request: Omit<ApiRequest, 'method'> = {}): Promise<StreamResponse> {
    return this.withRetries(path, request, async (url, headers) => {
      const body = await httpGet(url, headers, request.signal);
      const status = body.statusCode ?? 0;
      const text = async () => {
        body.setEncoding('utf8');
        let all = '';
        for await (const part of body) all += part as string;
        return all;
      };
      return {
        status,
        retryAfter: header(body.headers['retry-after']),
        value: { status, headers: body.headers, body },
        discard: () => Promise.resolve(void body.destroy()),
        text,
        statusText: body.statusMessage ?? '',
      };
    });
  }

  /**
   * The retry loop of every request: `attempt` sends it once; network failures, and 429/5xx answers, are retried
   * with back-off (after the server's `Retry-After` first); other error answers become {@link GleanerApiError}.
   */
  private async withRetries<T>(
    path: string,
    request: ApiRequest,
    attempt: (url: URL, headers: Record<string, string>) => Promise<Answer<T>>,
  ): Promise<T> {
    const url = this.url(path, request.query);
    const headers = {
      authorization: `Bearer ${this.options.apiKey}`,
      'user-agent': this.options.userAgent ?? 'gleaner-sdk/0.1',
      ...request.headers,
    };
    for (let tries = 0; ; tries++) {
      let answer: Answer<T>;
      try {
        answer = await attempt(url, headers);
      } catch (error) {
        if (request.signal?.aborted) throw error;
        if (tries >= this.retry.retries)
          throw new GleanerUnreachableError(`${url.origin} cannot be reached: ${describe(error)}`, {
            cause: error,
          });
        await this.wait(url, tries, undefined, undefined, request.signal);
        continue;
      }
      const ok = answer.status >= 200 && answer.status < 300;
      if (ok || request.passStatuses?.includes(answer.status)) return answer.value;
      const retryable = isRetryableStatus(answer.status);
      if (retryable && tries < this.retry.retries) {
        await answer.discard();
        const retryAfterMs = parseRetryAfter(answer.retryAfter, Date.now());
        await this.wait(url, tries, answer.status, retryAfterMs, request.signal);
        continue;
      }
      throw apiError(answer.status, answer.statusText, await answer.text().catch(() => ''), retryable);
    }
  }

  /** Sends a GET and parses its JSON answer. */
  async json<T>(path: string, request: ApiRequest = {}): Promise<T> {
    const response = await this.send(path, {
      ...request,
      headers: { accept: 'application/json', ...request.headers },
    });
    return (await response.json()) as T;
  }

  private async wait(
    url: URL,
    attempt: number,
    status: number | undefined,
    retryAfterMs: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const delayMs = retryDelayMs(attempt, this.retry, retryAfterMs);
    this.options.onRetry?.({
      path: url.pathname + url.search,
      attempt: attempt + 1,
      ...(status !== undefined ? { status } : {}),
      delayMs,
    });
    await sleep(delayMs, undefined, signal ? { signal } : {});
  }
}

/** A GET through node:http or node:https (their global agents, which keep connections alive). */
function httpGet(
  url: URL,
  headers: Record<string, string>,
  signal: AbortSignal | undefined,
): Promise<IncomingMessage> {
  const get = url.protocol === 'https:' ? https.get : http.get;
  return new Promise((resolve, reject) => {
    get(url, { headers, ...(signal ? { signal } : {}) }, resolve).on('error', reject);
  });
}

function header(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

function describe(error: unknown): string {
  // fetch wraps the socket's error in `cause`; node:http throws it as is.
  const { code, cause } = error as { code?: string; cause?: { code?: string; message?: string } };
  return cause?.code ?? cause?.message ?? code ?? (error instanceof Error ? error.message : String(error));
}

function apiError(status: number, statusText: string, text: string, retryable: boolean): GleanerApiError {
  let code = `HTTP_${status}`;
  let message = text.slice(0, 500) || statusText;
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.code === 'string') code = body.error.code;
    if (typeof body.error?.message === 'string') message = body.error.message;
  } catch {
    // not a JSON error body: keep the text
  }
  return new GleanerApiError(status, code, message, retryable);
}
