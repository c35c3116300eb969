import { WebSocket } from 'ws';
import { authMessage, PROTOCOL_VERSION, signMessage } from '@gleaner/core';
import { ensureIdentity, GatewayClient, type NodeIdentity } from '@gleaner/node-core';

/** The words every invented page carries, so a test can look for them in a dataset. */
export const FABRICATION_MARK = 'zebulon quartzite marmalade';

/** A page no site served: invented text, and links to invented paths. */
function inventedPage(url: string): Buffer {
  const paragraphs = Array.from(
    { length: 6 },
    (_, i) =>
      `<p>${FABRICATION_MARK} paragraph ${i} of an invented page about ${url}, written without fetching anything, ` +
      `with enough words of its own to pass for an article in any crawl that believes what nodes say.</p>`,
  ).join('');
  const links = [1, 2, 3].map((i) => `<a href="/invented/${i}">more</a>`).join(' ');
  return Buffer.from(
    `<!doctype html><html lang="en"><head><title>Invented</title></head><body><article><h1>Invented</h1>${paragraphs}${links}</article></body></html>`,
  );
}

/** Registers a node for an owner, keeping its identity in `stateDir`. */
export function registerNode(coordinatorUrl: string, ownerToken: string, stateDir: string, name: string) {
  return ensureIdentity({ coordinatorUrl, ownerToken, stateDir, name });
}

/**
 * A node that signs correctly and never fetches: it answers every job at once with a page of its own making, as
 * an attacker farming points would.
 */
export function startFabricator(identity: NodeIdentity): { client: GatewayClient; answered: () => number } {
  let answered = 0;
  const client = new GatewayClient({
    identity,
    concurrency: 4,
    minBackoffMs: 200,
    runJob: (job) => {
      answered++;
      return Promise.resolve({
        ok: true,
        status: 200,
        finalUrl: job.url,
        redirects: [],
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: inventedPage(job.url),
        timings: { headersMs: 3, totalMs: 5 },
      });
    },
  });
  client.start();
  return { client, answered: () => answered };
}

/**
 * A node that declares 64 slots, keeps its session alive with heartbeats, and never answers a job: it holds what it
 * is given until the gateway takes it back.
 */
export function startHoarder(identity: NodeIdentity): { stop(): void; received: () => number } {
  let received = 0;
  const url = new URL('/v1/nodes/connect', identity.coordinatorUrl);
  url.protocol = 'ws:';
  const socket = new WebSocket(url);
  let heartbeat: NodeJS.Timeout | undefined;
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { type: string; nonce?: string };
    if (message.type === 'hello') {
      socket.send(
        JSON.stringify({
          type: 'auth',
          protocol: PROTOCOL_VERSION,
          nodeId: identity.nodeId,
          version: 'hoarder',
          signature: signMessage(identity.privateKeyPem, authMessage(message.nonce!, identity.nodeId)),
          capabilities: { concurrency: 64, render: false },
        }),
      );
    }
    if (message.type === 'ready') {
      heartbeat = setInterval(
        () => socket.send(JSON.stringify({ type: 'heartbeat', at: Date.now(), inFlight: 0 })),
        2000,
      );
    }
    if (message.type === 'job') received++;
  });
  socket.on('error', () => {});
  return {
    stop() {
      clearInterval(heartbeat);
      socket.close();
    },
    received: () => received,
  };
}
