import net from 'node:net';
import type { Browser, BrowserContext, Route } from 'playwright-core';
import { FetchFailure, toFetchFailure } from './fetch-failure.js';
import { followRedirects, type HopContext, type HopResult, type RedirectState } from './guarded-hop.js';
import type { CheckedUrl } from './url-policy.js';

/** Chromium used when no path is given (the Debian package). */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Chromium never reaches the network by itself: every request is fulfilled by the guarded fetcher. These flags close
 * the side doors that request interception does not see (preconnect, DNS prefetch, WebRTC, QUIC, background fetches):
 * all host names resolve to nothing, and anything that still tries to connect is sent to a "proxy" of our own on
 * loopback that hangs up at once (`--proxy-server` is added at launch; `<-loopback>` stops loopback bypassing it).
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-gpu',
  '--disable-quic',
  '--host-resolver-rules=MAP * ~NOTFOUND',
  '--proxy-bypass-list=<-loopback>',
  '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
  '--disable-features=DnsOverHttps,NetworkPrediction',
];

const REFUSED_TYPES = new Set(['image', 'media', 'font']);
/** Response headers that describe the wire form, which the fulfilled (already decoded) body no longer has. */
const WIRE_HEADERS = new Set([
  'content-encoding',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
]);
/** Milliseconds to wait after `load` for late requests to settle, at most. */
const SETTLE_MS = 2_000;

/** Options of a {@link BrowserRenderer}. */
export interface BrowserRendererOptions {
  /** Chromium executable. Default {@link DEFAULT_CHROMIUM_PATH}. */
  executablePath?: string | undefined;
  /** User agent of every page. */
  userAgent: string;
  /** The fetcher's URL policy (scheme, port, deny-list); throws a `FetchFailure` on refusal. */
  checkUrl: (url: string) => CheckedUrl;
}

/** Result of one render: the rendered HTML with the headers it was served with, or why it failed. */
export type RenderResult =
  | { ok: true; finalUrl: string; headers: Record<string, string>; body: Buffer }
  | { ok: false; failure: FetchFailure };

/**
 * Renders pages in one lazily started, reused headless Chromium, one fresh context per job. Every request the page
 * makes is fetched by the guarded fetcher and handed to Chromium with `route.fulfill`, so the private-network guard,
 * the address pinning and the byte caps apply to sub-resources too. Images, media, fonts and WebSockets are refused.
 * A crashed browser fails its job with `RENDER_FAILED` and is replaced on the next job.
 */
export class BrowserRenderer {
  readonly #options: BrowserRendererOptions;
  #browser: Promise<Browser> | undefined;
  #sink: Promise<net.Server> | undefined;

  constructor(options: BrowserRendererOptions) {
    this.#options = options;
  }

  async #getBrowser(): Promise<Browser> {
    for (;;) {
      const current = this.#browser;
      if (current === undefined) {
        // playwright-core is loaded on the first render only: it alone would more than double an idle node's memory.
        const launching = Promise.all([this.#sinkPort(), import('playwright-core')]).then(
          ([port, { chromium }]) =>
            chromium.launch({
              executablePath: this.#options.executablePath ?? DEFAULT_CHROMIUM_PATH,
              headless: true,
              args: [...CHROMIUM_ARGS, `--proxy-server=http://127.0.0.1:${port}`],
            }),
        );
        this.#browser = launching;
        return launching;
      }
      const browser = await current.catch(() => undefined);
      if (browser?.isConnected() === true) return browser;
      // Crashed or failed to start: the first caller to notice clears it; everyone then shares one relaunch.
      if (this.#browser === current) this.#browser = undefined;
    }
  }

  /** Port of the hang-up "proxy" that receives any connection Chromium tries to make by itself. */
  async #sinkPort(): Promise<number> {
    this.#sink ??= new Promise<net.Server>((resolve, reject) => {
      const sink = net.createServer((socket) => socket.destroy());
      sink.once('error', reject);
      sink.listen(0, '127.0.0.1', () => resolve(sink.unref()));
    });
    const sink = await this.#sink;
    return (sink.address() as net.AddressInfo).port;
  }

  /**
   * Renders the document at `url`, already fetched through the guard as `document` (its redirects followed), within
   * the hop context's limits and signal. Never throws.
   */
  async render(url: string, document: HopResult, ctx: HopContext): Promise<RenderResult> {
    let failure: FetchFailure | undefined;
    let context: BrowserContext | undefined;
    let crashed = false;
    let served = false;
    let browser: Browser | undefined;
    const onDisconnect = (): void => {
      crashed = true;
    };
    const closeContext = (): void => void context?.close().catch(() => undefined);

    try {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      browser = await this.#getBrowser().catch((error: unknown) => {
        throw new FetchFailure('RENDER_FAILED', 'could not start the browser', { cause: error });
      });
      browser.once('disconnected', onDisconnect);
      context = await browser.newContext({
        serviceWorkers: 'block',
        userAgent: this.#options.userAgent,
        acceptDownloads: false,
      });
      ctx.signal.addEventListener('abort', closeContext, { once: true });
      await context.routeWebSocket(/.*/, (ws) =>
        ws.close({ code: 1008, reason: 'WebSockets are not allowed' }),
      );
      await context.addInitScript(() => {
        // Belt and braces next to the WebRTC policy flag: no peer connections from rendered pages.
        const w = globalThis as unknown as Record<string, unknown>;
        for (const name of ['RTCPeerConnection', 'webkitRTCPeerConnection']) delete w[name];
      });
      const page = await context.newPage();
      page.once('crash', () => {
        crashed = true;
      });

      const handle = async (route: Route): Promise<void> => {
        const request = route.request();
        const isMain = request.isNavigationRequest() && request.frame() === page.mainFrame();
        if (REFUSED_TYPES.has(request.resourceType()) || !['GET', 'HEAD'].includes(request.method())) {
          return route.abort('blockedbyclient');
        }
        try {
          if (failure !== undefined) throw failure;
          let hop: HopResult;
          if (isMain && !served && request.url() === url) {
            served = true;
            hop = document;
          } else {
            // Redirects are followed here rather than by Chromium: a request that follows a fulfilled redirect
            // is not routed again, so Chromium would try the network itself.
            const state: RedirectState = { currentUrl: request.url(), redirects: [] };
            hop = await followRedirects(
              state,
              { ...ctx, checkContentType: isMain, accept: request.headers().accept, conditional: undefined },
              this.#options.checkUrl,
            );
          }
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(hop.headers)) if (!WIRE_HEADERS.has(k)) headers[k] = v;
          await route.fulfill({ status: hop.status, headers, body: hop.body });
        } catch (error) {
          const f = toFetchFailure(error);
          // A sub-resource's refusal only costs that resource, unless it spent the page's shared bytes or total time.
          if (f.code === 'TOO_LARGE' || ctx.signal.aborted) failure ??= f;
          await route.abort('blockedbyclient');
        }
      };
      await context.route('**/*', (route) => handle(route).catch(() => undefined));

      const remaining = (): number => Math.max(1, ctx.limits.totalTimeoutMs - ctx.sinceStart());
      await page.goto(url, { waitUntil: 'load', timeout: remaining() });
      await page
        .waitForLoadState('networkidle', { timeout: Math.min(SETTLE_MS, remaining()) })
        .catch(() => undefined);
      if (failure !== undefined) throw failure;
      const html = await page.content();
      return { ok: true, finalUrl: page.url(), headers: document.headers, body: Buffer.from(html, 'utf8') };
    } catch (error) {
      let f: FetchFailure;
      if (failure !== undefined) f = failure;
      else if (ctx.signal.aborted) f = toFetchFailure(ctx.signal.reason);
      else if (error instanceof FetchFailure) f = error;
      // Navigation's own time-out is the job's total time limit (it may fire a moment before the job's signal).
      else if ((error as Error).name === 'TimeoutError')
        f = new FetchFailure('TIMEOUT', `page did not load within ${ctx.limits.totalTimeoutMs} ms`, {
          cause: error,
        });
      else if (crashed)
        f = new FetchFailure('RENDER_FAILED', 'the browser or page crashed', { cause: error });
      else
        f = new FetchFailure('RENDER_FAILED', `render failed: ${(error as Error).message}`, { cause: error });
      return { ok: false, failure: f };
    } finally {
      ctx.signal.removeEventListener('abort', closeContext);
      browser?.off('disconnected', onDisconnect);
      await context?.close().catch(() => undefined);
    }
  }

  /** Closes the browser, if one is running. A later render starts a new one. */
  async close(): Promise<void> {
    const launching = this.#browser;
    this.#browser = undefined;
    const browser = await launching?.catch(() => undefined);
    await browser?.close().catch(() => undefined);
    const sink = await this.#sink?.catch(() => undefined);
    this.#sink = undefined;
    if (sink?.listening === true) await new Promise<void>((resolve) => sink.close(() => resolve()));
  }
}
