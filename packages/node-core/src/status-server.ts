import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ContributorNode, OwnerControls } from './contributor-node.js';
import { readFetchLog } from './fetch-log.js';
import type { EarningsSummary } from './owner-earnings.js';
import { isConfigKey } from './config-file.js';
import { parseConfigValue } from './node-config.js';
import { STATUS_PAGE_HTML } from './status-page.js';

/** Options of a {@link StatusServer}. */
export interface StatusServerOptions {
  node: ContributorNode;
  /** Data folder of the node (for the fetch log). */
  dataDir: string;
  /** Loopback address to bind: `127.0.0.1` (default), `::1` or `localhost`. Anything else is refused. */
  host?: string;
  /** Port. Default 7310; 0 picks a free one. */
  port?: number;
  /** When the port is taken, take any free port instead of failing. Default false. */
  anyPortIfBusy?: boolean;
  /** The secret. Default 24 random bytes, base64url. */
  key?: string;
  /** The owner's points, shown on the page. */
  points?: () => Promise<number | undefined>;
  /** The owner's earnings today and in the open epoch, shown on the page. */
  earnings?: () => Promise<EarningsSummary | undefined>;
  /** Called after the owner changed settings on the page, to persist them. */
  onControls?: (controls: OwnerControls) => Promise<void> | void;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const COOKIE = 'gleaner_key';
const SETTINGS: readonly (keyof OwnerControls)[] = [
  'concurrency',
  'bandwidth',
  'dailyQuota',
  'activeHours',
  'deny',
];

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The node's local status page and JSON API, on loopback only. Every request carries the secret: `?key=` on the
 * first visit (turned into an HttpOnly, SameSite=Strict cookie), then the cookie or an `x-gleaner-key` header.
 * The Host header must name the loopback address (no DNS rebinding) and writes must come from the page's origin.
 */
export class StatusServer {
  readonly key: string;
  readonly #server: Server;
  #port = 0;

  constructor(private readonly options: StatusServerOptions) {
    const host = options.host ?? '127.0.0.1';
    if (!LOOPBACK.has(host))
      throw new Error(`the status page only listens on loopback (127.0.0.1 or ::1), not ${host}`);
    this.key = options.key ?? randomBytes(24).toString('base64url');
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        const status = error instanceof HttpError ? error.status : 500;
        send(res, status, { error: { message: error instanceof Error ? error.message : String(error) } });
      });
    });
  }

  /** Starts listening; resolves with the page's base URL (without the key). */
  async listen(): Promise<string> {
    const host = this.options.host ?? '127.0.0.1';
    const tryListen = (port: number) =>
      new Promise<void>((resolve, reject) => {
        this.#server.once('error', reject);
        this.#server.listen(port, host, () => {
          this.#server.off('error', reject);
          resolve();
        });
      });
    try {
      await tryListen(this.options.port ?? 7310);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !this.options.anyPortIfBusy) throw error;
      await tryListen(0);
    }
    this.#port = (this.#server.address() as AddressInfo).port;
    return this.url;
  }

  /** Base URL, e.g. `http://127.0.0.1:7310`. */
  get url(): string {
    const host = this.options.host ?? '127.0.0.1';
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.#port}`;
  }

  /** The URL to open in a browser: base URL with the secret. */
  get pageUrl(): string {
    return `${this.url}/?key=${this.key}`;
  }

  /** Stops listening. */
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #authorized(req: IncomingMessage, url: URL): boolean {
    const given = [
      req.headers['x-gleaner-key'],
      cookieValue(req.headers.cookie, COOKIE),
      url.searchParams.get('key'),
    ];
    const expected = Buffer.from(this.key);
    return given.some((value) => {
      if (typeof value !== 'string') return false;
      const b = Buffer.from(value);
      return b.length === expected.length && timingSafeEqual(b, expected);
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const allowedHosts = [`127.0.0.1:${this.#port}`, `localhost:${this.#port}`, `[::1]:${this.#port}`];
    if (!allowedHosts.includes(req.headers.host ?? '')) throw new HttpError(421, 'wrong Host header');
    const url = new URL(req.url ?? '/', this.url);
    if (!this.#authorized(req, url))
      throw new HttpError(401, 'open the status page with the link the node printed');
    const origin = req.headers.origin;
    if (req.method !== 'GET' && origin !== undefined && !allowedHosts.some((h) => origin === `http://${h}`)) {
      throw new HttpError(403, 'cross-origin request refused');
    }
    const { node } = this.options;
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /':
        if (url.searchParams.has('key')) {
          res.writeHead(303, {
            location: '/',
            'set-cookie': `${COOKIE}=${this.key}; HttpOnly; SameSite=Strict; Path=/`,
            'cache-control': 'no-store',
          });
          res.end();
          return;
        }
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy':
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:",
          'cache-control': 'no-store',
          'x-frame-options': 'DENY',
        });
        res.end(STATUS_PAGE_HTML);
        return;
      case 'GET /api/status': {
        const [points, earnings] = await Promise.all([this.options.points?.(), this.options.earnings?.()]);
        return send(res, 200, {
          ...node.status(),
          points: points ?? null,
          earnings: earnings ?? null,
          outcomesError: node.outcomes?.lastError ?? null,
        });
      }
      case 'POST /api/pause':
        node.pause();
        return send(res, 200, node.status());
      case 'POST /api/resume':
        node.resume();
        return send(res, 200, node.status());
      case 'GET /api/settings':
        return send(res, 200, node.controls);
      case 'POST /api/settings': {
        const patch = parseSettings(await readJson(req));
        await node.updateControls(patch);
        await this.options.onControls?.(node.controls);
        return send(res, 200, node.controls);
      }
      case 'GET /api/log': {
        const lines = Math.min(Math.max(Number(url.searchParams.get('lines') ?? 50) || 50, 1), 10_000);
        return send(res, 200, { entries: await readFetchLog(this.options.dataDir, lines) });
      }
      default:
        throw new HttpError(404, `no such endpoint: ${route}`);
    }
  }
}

function parseSettings(body: unknown): Partial<OwnerControls> {
  if (body === null || typeof body !== 'object') throw new HttpError(400, 'settings must be a JSON object');
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!isConfigKey(key) || !SETTINGS.includes(key as keyof OwnerControls)) {
      throw new HttpError(400, `"${key}" cannot be changed here; settings: ${SETTINGS.join(', ')}`);
    }
    try {
      patch[key] = key === 'activeHours' && value === '' ? '' : parseConfigValue(key, value);
    } catch (error) {
      throw new HttpError(400, (error as Error).message);
    }
  }
  return patch as Partial<OwnerControls>;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 16 * 1024) throw new HttpError(413, 'request body too large');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'body is not JSON');
  }
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
