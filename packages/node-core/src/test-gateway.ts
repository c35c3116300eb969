import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { authMessage, decodeResultFrame, generateNodeKeyPair, verifyMessage } from '@gleaner/core';
import {
  NodeMessageSchema,
  ResultHeaderSchema,
  type FetchJobSpec,
  type ResultHeader,
} from '@gleaner/contracts';
import type { NodeIdentity } from './node-identity.js';

interface Session {
  socket: WebSocket;
  concurrency: number;
  paused: boolean;
  inFlight: Set<string>;
}

/**
 * Test support (`@gleaner/node-core/testing`): a small gateway speaking node protocol v1 on loopback. It
 * authenticates one node by its key (checking the signature), leases queued jobs to it while it is not paused and
 * has free slots, and records every result and control message.
 */
export class TestGateway {
  readonly identity: NodeIdentity;
  readonly results: ResultHeader[] = [];
  readonly controls: { type: string; at: number }[] = [];
  readonly #queue: FetchJobSpec[] = [];
  readonly #wss: WebSocketServer;
  #session: Session | undefined;
  #publicKeyPem: string;
  connections = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {
    this.identity = { coordinatorUrl: url, nodeId: 'node-test', ...generateNodeKeyPair() };
    this.#publicKeyPem = this.identity.publicKeyPem;
    this.#wss = new WebSocketServer({ server, path: '/v1/nodes/connect' });
    this.#wss.on('connection', (socket) => this.#accept(socket));
  }

  /**
   * Starts on 127.0.0.1 (any free port). `GET /v1/me` answers `{ points }`; `POST /v1/nodes` registers a node's
   * key (replacing the built-in identity) as `node-test`.
   */
  static async start(points = 42): Promise<TestGateway> {
    const ref: { gateway?: TestGateway } = {};
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const reply = (status: number, value: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(value));
        };
        if (req.method === 'GET' && req.url === '/v1/me')
          return reply(200, { id: 'o1', name: 'owner', points });
        if (req.method === 'POST' && req.url === '/v1/nodes' && ref.gateway) {
          ref.gateway.#publicKeyPem = (JSON.parse(body) as { publicKey: string }).publicKey;
          return reply(201, { nodeId: 'node-test' });
        }
        reply(404, {});
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    ref.gateway = new TestGateway(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return ref.gateway;
  }

  /** Whether the connected node said it is paused. */
  get paused(): boolean {
    return this.#session?.paused ?? false;
  }

  /** Queues jobs; they are leased as the node has room. */
  enqueue(...jobs: FetchJobSpec[]): void {
    this.#queue.push(...jobs);
    this.#dispatch();
  }

  /** Jobs not leased yet. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Sends the connected node a text frame as it is (for messages a real gateway would never send). */
  sendRaw(text: string): void {
    this.#session?.socket.send(text);
  }

  /** Drops the connection without a close handshake (a network failure). */
  drop(): void {
    this.#session?.socket.terminate();
  }

  async close(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  #accept(socket: WebSocket): void {
    const nonce = `nonce-${Math.random()}`;
    socket.send(JSON.stringify({ type: 'hello', protocol: 1, nonce }));
    let session: Session | undefined;
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) {
        const header = ResultHeaderSchema.parse(decodeResultFrame(data).header);
        this.results.push(header);
        session?.inFlight.delete(header.jobId);
        this.#dispatch();
        return;
      }
      const message = NodeMessageSchema.parse(JSON.parse(data.toString()));
      if (message.type === 'auth') {
        const ok = verifyMessage(this.#publicKeyPem, authMessage(nonce, message.nodeId), message.signature);
        if (!ok) return socket.close(4001, 'bad signature');
        session = {
          socket,
          concurrency: message.capabilities.concurrency,
          paused: false,
          inFlight: new Set(),
        };
        this.#session = session;
        this.connections++;
        socket.send(JSON.stringify({ type: 'ready', nodeId: message.nodeId, heartbeatMs: 10_000 }));
      } else if (message.type === 'pause' || message.type === 'resume') {
        this.controls.push({ type: message.type, at: Date.now() });
        if (session) session.paused = message.type === 'pause';
      }
      this.#dispatch();
    });
    socket.on('close', () => {
      if (this.#session === session) this.#session = undefined;
    });
  }

  #dispatch(): void {
    const session = this.#session;
    if (!session || session.paused) return;
    while (this.#queue.length > 0 && session.inFlight.size < session.concurrency) {
      const job = this.#queue.shift() as FetchJobSpec;
      session.inFlight.add(job.jobId);
      session.socket.send(JSON.stringify({ type: 'job', job }));
    }
  }
}

/** A plain job for `url` with generous coordinator limits. */
export function testJob(url: string, id: string, limits: Partial<FetchJobSpec['limits']> = {}): FetchJobSpec {
  return {
    jobId: id,
    attempt: 1,
    campaignId: 'campaign-test',
    url,
    render: false,
    limits: { maxBodyBytes: 50 * 1024 * 1024, timeoutMs: 30_000, maxRedirects: 5, ...limits },
  };
}
