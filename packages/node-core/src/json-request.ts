import http from 'node:http';
import https from 'node:https';

/** What {@link requestJson} got back. */
export interface JsonResponse {
  status: number;
  ok: boolean;
  /** The parsed body, or `undefined` when it was empty or not JSON. */
  body: unknown;
}

/** Options of {@link requestJson}. */
export interface JsonRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** Whole request, ms. Default 10,000. */
  timeoutMs?: number;
  /** Largest answer read, bytes. Default 1 MiB. */
  maxBytes?: number;
}

/**
 * One JSON request to the coordinator or to the node's own status server, on `node:http`/`node:https`.
 *
 * The node talks to these two only, and not through its safe fetcher: both are the owner's own settings. It
 * keeps off the global `fetch`, whose implementation costs an idle node about 9 MiB of memory once loaded.
 * Rejects on network errors and time-outs; any HTTP status resolves.
 */
export function requestJson(url: URL | string, options: JsonRequestOptions = {}): Promise<JsonResponse> {
  const target = typeof url === 'string' ? new URL(url) : url;
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return Promise.reject(new Error(`unsupported protocol ${target.protocol} in ${target.href}`));
  }
  const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(payload.length);
  }
  const transport = target.protocol === 'https:' ? https : http;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise<JsonResponse>((resolve, reject) => {
    const timer = setTimeout(
      () => request.destroy(new Error(`${target.origin} did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    const request = transport.request(target, { method: options.method ?? 'GET', headers }, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          request.destroy(new Error(`the answer from ${target.origin} is larger than ${maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', fail);
      response.on('end', () => {
        clearTimeout(timer);
        const status = response.statusCode ?? 0;
        let body: unknown;
        try {
          body = size === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          body = undefined;
        }
        resolve({ status, ok: status >= 200 && status < 300, body });
      });
    });
    request.on('error', fail);
    request.end(payload);
  });
}
