import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestJson } from './json-request.js';

/** A real HTTP server on loopback with one route per behaviour. */
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      switch (req.url) {
        case '/echo':
          res.setHeader('content-type', 'application/json');
          res.end(
            JSON.stringify({
              method: req.method,
              auth: req.headers.authorization ?? null,
              type: req.headers['content-type'] ?? null,
              body: chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : null,
            }),
          );
          return;
        case '/refuse':
          res.statusCode = 403;
          res.end(JSON.stringify({ error: { message: 'no' } }));
          return;
        case '/text':
          res.end('<html>not json</html>');
          return;
        case '/empty':
          res.statusCode = 204;
          res.end();
          return;
        case '/huge':
          res.end(`"${'x'.repeat(64 * 1024)}"`);
          return;
        case '/silent':
          return; // never answers
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('requestJson', () => {
  it('sends headers and a JSON body, and parses the answer', async () => {
    const response = await requestJson(`${base}/echo`, {
      method: 'POST',
      headers: { authorization: 'Bearer t' },
      body: { a: [1, 'é'] },
    });
    expect(response).toEqual({
      status: 200,
      ok: true,
      body: { method: 'POST', auth: 'Bearer t', type: 'application/json', body: { a: [1, 'é'] } },
    });
  });

  it('resolves any HTTP status, with its body', async () => {
    expect(await requestJson(`${base}/refuse`)).toEqual({
      status: 403,
      ok: false,
      body: { error: { message: 'no' } },
    });
  });

  it('gives an undefined body for an empty or non-JSON answer', async () => {
    expect((await requestJson(`${base}/text`)).body).toBeUndefined();
    expect(await requestJson(`${base}/empty`)).toEqual({ status: 204, ok: true, body: undefined });
  });

  it('rejects an answer larger than its limit', async () => {
    await expect(requestJson(`${base}/huge`, { maxBytes: 1024 })).rejects.toThrow(/larger than 1024 bytes/);
    expect((await requestJson(`${base}/huge`)).body).toHaveLength(64 * 1024);
  });

  it('rejects when the server does not answer in time', async () => {
    const started = performance.now();
    await expect(requestJson(`${base}/silent`, { timeoutMs: 200 })).rejects.toThrow(
      /did not answer within 200 ms/,
    );
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('rejects when nothing listens, and for other protocols', async () => {
    await expect(requestJson('http://127.0.0.1:9/')).rejects.toThrow();
    await expect(requestJson('file:///etc/passwd')).rejects.toThrow(/unsupported protocol file:/);
  });
});
