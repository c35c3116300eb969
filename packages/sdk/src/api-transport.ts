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

/** One request: method, query and headers; the answer's body is left unread for the caller. */
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
    const url = this.url(path, request.query);
    const headers = {
      authorization: `Bearer ${this.options.apiKey}`,
      'user-agent': this.options.userAgent ?? 'gleaner-sdk/0.1',
      ...request.headers,
    };
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, {
          method: request.method ?? 'GET',
          headers,
          ...(request.signal ? { signal: request.signal } : {}),
        });
      } catch (error) {
        if (request.signal?.aborted) throw error;
        if (attempt >= this.retry.retries)
          throw new GleanerUnreachableError(`${url.origin} cannot be reached: ${describe(error)}`, {
            cause: error,
          });
        await this.wait(url, attempt, undefined, undefined, request.signal);
        continue;
      }
      if (response.ok || request.passStatuses?.includes(response.status)) return response;
      const retryable = isRetryableStatus(response.status);
      if (retryable && attempt < this.retry.retries) {
        await response.body?.cancel();
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
        await this.wait(url, attempt, response.status, retryAfterMs, request.signal);
        continue;
      }
      throw await apiError(response, retryable);
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

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

async function apiError(response: Response, retryable: boolean): Promise<GleanerApiError> {
  const text = await response.text().catch(() => '');
  let code = `HTTP_${response.status}`;
  let message = text.slice(0, 500) || response.statusText;
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (typeof body.error?.code === 'string') code = body.error.code;
    if (typeof body.error?.message === 'string') message = body.error.message;
  } catch {
    // not a JSON error body: keep the text
  }
  return new GleanerApiError(response.status, code, message, retryable);
}
