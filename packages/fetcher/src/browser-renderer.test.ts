import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingServer, type FixtureServer } from './hostile-fixture.js';
import { SafeFetcher, type FetchOutcome } from './safe-fetcher.js';

let site: FixtureServer; // 127.0.0.1, allowed
let forbidden: FixtureServer; // 127.0.0.2: must never see a connection, from the fetcher or from Chromium
let fetcher: SafeFetcher;

function failed(outcome: FetchOutcome): string {
  return outcome.ok ? 'ok' : `${outcome.error.code}`;
}

async function resolve(hostname: string): Promise<{ address: string; family: 4 | 6 }[]> {
  if (hostname === 'site.test') return [{ address: '127.0.0.1', family: 4 }];
  if (hostname === 'loop.test') return [{ address: '127.0.0.2', family: 4 }];
  throw Object.assign(new Error(`no such host ${hostname}`), { code: 'ENOTFOUND' });
}

function hostilePage(): string {
  const evil = forbidden.origin;
  const evilByName = `http://loop.test:${forbidden.port}`;
  return `<!doctype html><html><head>
<link rel="preconnect" href="${evil}"><link rel="dns-prefetch" href="${evilByName}">
<link rel="stylesheet" href="${evil}/style.css">
<script src="${evil}/evil.js"></script>
<script src="${evilByName}/evil2.js"></script>
<script src="/app.js"></script>
</head><body>
<p id="out">static</p><p id="js"></p>
<img src="${evil}/pixel.png"><img src="/own.png">
<iframe src="${evil}/frame"></iframe>
<script>
  document.getElementById('js').textContent = 'rendered-by-js';
  fetch('${evil}/xhr').catch(() => {});
  fetch('http://10.0.0.1/').catch(() => {});
  fetch('http://169.254.169.254/latest/meta-data/').catch(() => {});
  try { new WebSocket('ws://127.0.0.1:${site.port}/ws'); } catch {}
  try { new WebSocket('ws://127.0.0.2:${forbidden.port}/ws'); } catch {}
  navigator.sendBeacon && navigator.sendBeacon('${evil}/beacon', 'x');
</script></body></html>`;
}

beforeAll(async () => {
  forbidden = await startRecordingServer('127.0.0.2');
  site = await startRecordingServer('127.0.0.1', 0, (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const html = { 'content-type': 'text/html; charset=utf-8' };
    switch (url.pathname) {
      case '/hostile':
        return res.writeHead(200, html).end(hostilePage());
      case '/app.js':
        return res
          .writeHead(200, { 'content-type': 'text/javascript' })
          .end(
            "document.addEventListener('DOMContentLoaded', () => { document.getElementById('out').textContent = 'script ran'; });",
          );
      case '/simple':
        return res
          .writeHead(200, html)
          .end('<!doctype html><p>simple</p><script>document.body.append("js-ok")</script>');
      case '/redirect':
        return res.writeHead(302, { location: url.searchParams.get('to') ?? '/simple' }).end();
      case '/hang':
        return res.writeHead(200, html).end('<!doctype html><p>waiting</p><script src="/never"></script>');
      case '/never':
        return; // never answers
      case '/heavy':
        return res.writeHead(200, html).end('<!doctype html><script src="/big.js"></script>');
      case '/big.js':
        return res.writeHead(200, { 'content-type': 'text/javascript' }).end(`//${'a'.repeat(300_000)}`);
      case '/binary':
        return res.writeHead(200, { 'content-type': 'application/octet-stream' }).end('x');
      default:
        return res.writeHead(404, html).end('<p>missing</p>');
    }
  });
  fetcher = new SafeFetcher({
    allowAddresses: ['127.0.0.1'],
    allowedPorts: [80, 443, site.port, forbidden.port],
    resolve,
    limits: { totalTimeoutMs: 15_000, headersTimeoutMs: 3_000, maxBodyBytes: 200_000 },
  });
});

afterAll(async () => {
  await fetcher.close();
  await Promise.all([site.close(), forbidden.close()]);
});

afterEach(async () => {
  const outcome = await fetcher.fetch(`${site.origin}/simple`, { render: true });
  expect(failed(outcome)).toBe('ok');
  expect(forbidden.connections).toBe(0);
});

describe('rendering', () => {
  it('runs scripts through the guard and refuses everything that points into private space', async () => {
    const outcome = await fetcher.fetch(`${site.origin}/hostile`, { render: true });
    if (!outcome.ok) throw new Error(outcome.error.message);
    const html = outcome.body.toString();
    expect(html).toContain('rendered-by-js');
    expect(html).toContain('script ran');
    expect(outcome.status).toBe(200);
    expect(outcome.remoteAddress).toBe('127.0.0.1');
    expect(outcome.finalUrl).toBe(`${site.origin}/hostile`);
    // Nothing reached the private server: no request, not even a preconnect.
    expect(forbidden.connections).toBe(0);
    const paths = site.requests.map((r) => r.path);
    expect(paths).toContain('/app.js');
    expect(paths).not.toContain('/own.png'); // images are refused, even from the page's own site
    expect(paths).not.toContain('/ws'); // WebSockets are refused
    // Chromium's requests went out through the fetcher: Gleaner's user agent, no cookies.
    const appJs = site.requests.find((r) => r.path === '/app.js');
    expect(appJs?.headers['user-agent']).toMatch(/^GleanerBot/);
    expect(appJs?.headers.cookie).toBeUndefined();
    expect(appJs?.headers['sec-fetch-mode']).toBeUndefined(); // Chromium would have sent this itself
    expect(appJs?.headers['accept-encoding']).toBe('gzip, deflate, br');
  });

  it('follows redirects and re-checks them', async () => {
    const outcome = await fetcher.fetch(`${site.origin}/redirect?to=/simple`, { render: true });
    expect(outcome.ok && outcome.finalUrl).toBe(`${site.origin}/simple`);
    expect(outcome.redirects).toEqual([`${site.origin}/redirect?to=/simple`]);
    const evil = encodeURIComponent(`http://loop.test:${forbidden.port}/`);
    expect(failed(await fetcher.fetch(`${site.origin}/redirect?to=${evil}`, { render: true }))).toBe(
      'BLOCKED_ADDRESS',
    );
  });

  it('refuses private main documents, bad schemes and bad content types before or without Chromium', async () => {
    expect(failed(await fetcher.fetch(`${forbidden.origin}/`, { render: true }))).toBe('BLOCKED_ADDRESS');
    expect(failed(await fetcher.fetch('file:///etc/passwd', { render: true }))).toBe('BLOCKED_SCHEME');
    expect(failed(await fetcher.fetch(`${site.origin}/binary`, { render: true }))).toBe('BAD_CONTENT_TYPE');
  });

  it('counts sub-resources against the byte cap', async () => {
    const outcome = await fetcher.fetch(`${site.origin}/heavy`, {
      render: true,
      limits: { maxBodyBytes: 100_000 },
    });
    expect(failed(outcome)).toBe('TOO_LARGE');
  });

  it('stops at the total time limit', async () => {
    const outcome = await fetcher.fetch(`${site.origin}/hang`, {
      render: true,
      limits: { totalTimeoutMs: 1_500 },
    });
    expect(failed(outcome)).toBe('TIMEOUT');
    expect(outcome.timings.totalMs).toBeLessThan(5_000);
    // A sub-resource that never answers costs only itself once its own headers timeout passes.
    const partial = await fetcher.fetch(`${site.origin}/hang`, {
      render: true,
      limits: { headersTimeoutMs: 500 },
    });
    expect(partial.ok && partial.body.toString()).toContain('waiting');
  });

  it('fails a job cleanly when the browser crashes, and restarts it for the next job', async () => {
    site.requests.length = 0;
    const pending = fetcher.fetch(`${site.origin}/hang`, { render: true });
    const deadline = Date.now() + 10_000;
    while (!site.requests.some((r) => r.path === '/never') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    // Kill the Chromium this test process started (its direct child), by pid.
    const children = execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], {
      encoding: 'utf8',
    });
    const pids = children
      .split('\n')
      .filter((line) => /chrom/i.test(line))
      .map((line) => Number(line.trim().split(/\s+/)[0]));
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    const outcome = await pending;
    expect(failed(outcome)).toBe('RENDER_FAILED');
  });
});
