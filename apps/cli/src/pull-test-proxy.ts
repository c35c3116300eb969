import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the proxy passed on (or answered itself), and what came back. */
export interface ProxiedRequest {
  method: string;
  /** Path without the query. */
  path: string;
  query: string;
  range: string | undefined;
  acceptEncoding: string | undefined;
  status: number;
  contentEncoding: string | undefined;
}

/** A canned answer the proxy gives instead of passing a request on. */
export interface InjectedAnswer {
  status: number;
  headers?: Record<string, string>;
  /** Only for requests whose path contains this; default any. */
  pathIncludes?: string;
  /** Pass the request on but cut the body off after this many bytes (a broken transfer), instead of answering. */
  cutAfterBytes?: number;
}

/**
 * A loopback HTTP proxy in front of the coordinator for tests: it logs every request (path, range, status,
 * content encoding) and can answer the next requests itself (429 with Retry-After, 503) or break a transfer off
 * midway, so a test sees what a client really sent and how it got through faults.
 */
export class PullTestProxy {
  readonly log: ProxiedRequest[] = [];
  private readonly injected: InjectedAnswer[] = [];
  private server: http.Server | undefined;
  url = '';

  constructor(private readonly target: string) {}

  async start(): Promise<string> {
    const target = new URL(this.target);
    this.server = http.createServer((req, res) => {
      const [pathOnly = '', query = ''] = (req.url ?? '/').split('?');
      const entry: Omit<ProxiedRequest, 'status' | 'contentEncoding'> = {
        method: req.method ?? 'GET',
        path: decodeURIComponent(pathOnly),
        query,
        range: req.headers.range,
        acceptEncoding: req.headers['accept-encoding'],
      };
      const index = this.injected.findIndex((a) => !a.pathIncludes || entry.path.includes(a.pathIncludes));
      const answer = index >= 0 ? this.injected.splice(index, 1)[0] : undefined;
      if (answer && answer.cutAfterBytes === undefined) {
        this.log.push({ ...entry, status: answer.status, contentEncoding: undefined });
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(JSON.stringify({ error: { code: 'INJECTED', message: 'an answer the test proxy made up' } }));
        return;
      }
      const upstream = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
        },
        (up) => {
          this.log.push({
            ...entry,
            status: up.statusCode ?? 0,
            contentEncoding: up.headers['content-encoding'],
          });
          res.writeHead(up.statusCode ?? 502, up.headers);
          if (answer?.cutAfterBytes === undefined) {
            up.pipe(res);
            return;
          }
          let sent = 0;
          const limit = answer.cutAfterBytes;
          up.on('data', (chunk: Buffer) => {
            if (sent >= limit) return;
            const part = chunk.subarray(0, limit - sent);
            sent += part.length;
            res.write(part);
            if (sent >= limit) {
              up.destroy();
              res.socket?.destroy();
            }
          });
          up.on('end', () => res.end());
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** Queues answers for the next matching requests, in order. */
  inject(...answers: InjectedAnswer[]): void {
    this.injected.push(...answers);
  }

  /** Requests whose path contains `part`. */
  requestsTo(part: string): ProxiedRequest[] {
    return this.log.filter((r) => r.path.includes(part));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
