import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy saw of one request: its path, range, status, and the body bytes it passed on. */
export interface PulledRequest {
  path: string;
  range: string | undefined;
  status: number;
  bytesSent: number;
  /** Whether the whole body went through (false while it streams, or when the client went away). */
  complete: boolean;
}

/**
 * A loopback HTTP proxy in front of the coordinator that counts every request per path and can slow bodies down
 * to a byte rate, so an end-to-end test has a "mid-download" to kill a client in and can tell afterwards which
 * files the client asked for again.
 */
export class PullProxy {
  readonly requests: PulledRequest[] = [];
  /** While true, no body byte goes out (a test freezes the transfers to look at them). */
  held = false;
  /** Body bytes per second per response; 0: as fast as it comes. */
  bytesPerSecond = 0;
  url = '';
  private server: http.Server | undefined;

  constructor(private readonly target: string) {}

  async start(): Promise<string> {
    const target = new URL(this.target);
    this.server = http.createServer((req, res) => {
      const entry: PulledRequest = {
        path: decodeURIComponent((req.url ?? '/').split('?')[0]!),
        range: req.headers.range,
        status: 0,
        bytesSent: 0,
        complete: false,
      };
      this.requests.push(entry);
      const upstream = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (up) => {
          entry.status = up.statusCode ?? 0;
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.on('data', (chunk: Buffer) => {
            up.pause();
            const send = async () => {
              // Slices of at most a tenth of a second's bytes, each after its share of time.
              const slice =
                this.bytesPerSecond > 0 ? Math.max(1, Math.floor(this.bytesPerSecond / 10)) : chunk.length;
              for (let at = 0; at < chunk.length && !res.destroyed; at += slice) {
                const part = chunk.subarray(at, at + slice);
                if (this.bytesPerSecond > 0)
                  await new Promise((r) => setTimeout(r, (part.length / this.bytesPerSecond) * 1000));
                while (this.held && !res.destroyed) await new Promise((r) => setTimeout(r, 10));
                if (res.destroyed) break;
                res.write(part);
                entry.bytesSent += part.length;
              }
              up.resume();
            };
            void send();
          });
          up.on('end', () => {
            // 'end' can come while the last chunk is still being paced out: finish after it.
            const finish = () => {
              if (up.isPaused()) return setTimeout(finish, 5);
              // Complete only once the last byte is handed to the client's socket, not if the client went away.
              if (!res.destroyed) res.end(() => (entry.complete = !res.destroyed));
            };
            finish();
          });
        },
      );
      upstream.on('error', () => res.destroy());
      res.on('close', () => upstream.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** Requests for one snapshot file (`path` as the snapshot lists it). */
  fileRequests(file: string): PulledRequest[] {
    return this.requests.filter((r) => r.path.endsWith(`/files/${file}`));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
