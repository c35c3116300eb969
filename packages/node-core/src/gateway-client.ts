import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type WebSocketClass from 'ws';
import {
  authMessage,
  CloseCodes,
  encodeResultFrame,
  PROTOCOL_VERSION,
  resultMessage,
  sha256Hex,
  signMessage,
  type ErrorBody,
} from '@gleaner/core';
import {
  ServerMessageSchema,
  type FetchJobSpec,
  type ResultHeader,
  type ServerMessage,
} from '@gleaner/contracts';
import type { NodeIdentity } from './node-identity.js';

/*
 * `ws` is loaded with `require`: imported as an ES module (through its `wrapper.mjs`), the same code costs an idle
 * node about 3 MiB more memory on Node 20.
 */
const WebSocket = createRequire(import.meta.url)('ws') as typeof WebSocketClass;
type WebSocket = WebSocketClass;

/** What running one job produced. */
export type JobOutcome =
  | {
      ok: true;
      status: number;
      finalUrl: string;
      /** URLs that answered with a redirect, in order, from the job's URL. */
      redirects?: string[];
      headers: Record<string, string>;
      body: Buffer;
      timings: { headersMs: number; totalMs: number };
    }
  | {
      ok: false;
      finalUrl: string;
      redirects?: string[];
      error: ErrorBody;
      timings: { headersMs: number; totalMs: number };
    };

/** Runs one fetch job (the safe fetcher, in production). */
export type JobRunner = (job: FetchJobSpec) => Promise<JobOutcome>;

/** Connection states reported through the `state` event. */
export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'stopped';

/** One finished job, for the node's own log. */
export interface JobRecord {
  at: string;
  jobId: string;
  campaignId: string;
  url: string;
  finalUrl: string;
  status: number;
  bytes: number;
  errorCode?: string;
  totalMs: number;
}

/** A message from the gateway that was ignored, as the `invalid-message` event reports it. */
export interface InvalidMessage {
  /** What was wrong: not JSON, or the first problem the schema found (`job.limits.timeoutMs: …`). */
  reason: string;
  /** The message's `type`, when it had a string one. */
  type?: string;
}

/** Options for {@link GatewayClient}. */
export interface GatewayClientOptions {
  identity: NodeIdentity;
  runJob: JobRunner;
  /** Jobs run at once. Default 4. */
  concurrency?: number;
  /** Whether this node renders pages with a browser. Default false. */
  render?: boolean;
  version?: string;
  /** First reconnect delay, ms; it doubles up to `maxBackoffMs`, with jitter. Default 500. */
  minBackoffMs?: number;
  /** Longest reconnect delay, ms. Default 30,000. */
  maxBackoffMs?: number;
  /** How often the node sends heartbeats, ms. Default 10,000. */
  heartbeatMs?: number;
}

/**
 * The node's link to the coordinator: authenticates with its key, runs the jobs it is sent, signs each result,
 * and reconnects with exponential back-off and jitter after any disconnect.
 * Every message from the gateway is checked against `ServerMessageSchema` first; one that does not fit is ignored
 * and reported (the session goes on).
 * Events: `state` (ConnectionState), `job` (JobRecord), `closed` ({ code, reason }), `invalid-message`
 * ({@link InvalidMessage}).
 */
export class GatewayClient extends EventEmitter {
  private socket: WebSocket | undefined;
  private stopped = false;
  private paused = false;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private readonly running = new Set<Promise<void>>();
  state: ConnectionState = 'disconnected';

  constructor(private options: GatewayClientOptions) {
    super();
  }

  /** Starts connecting (and keeps reconnecting until `stop`). */
  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** Jobs running now. */
  get inFlight(): number {
    return this.running.size;
  }

  /** Stops taking new jobs (the gateway is told at once). */
  pause(): void {
    this.paused = true;
    this.sendJson({ type: 'pause' });
  }

  /** Takes jobs again. */
  resume(): void {
    this.paused = false;
    this.sendJson({ type: 'resume' });
  }

  /**
   * Announces a new concurrency: the gateway learns it at authentication, so the node stops taking jobs, lets the
   * running ones finish, and reconnects at once with the new capability.
   */
  async setConcurrency(concurrency: number): Promise<void> {
    this.options = { ...this.options, concurrency };
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    this.sendJson({ type: 'pause' });
    await Promise.all([...this.running]);
    if (this.socket !== socket || this.stopped) return;
    this.attempt = 0;
    socket.close(1000, 'capabilities changed');
  }

  /** Resolves once no job runs any more, or after `timeoutMs`. */
  async settled(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all([...this.running]), deadline]);
    clearTimeout(timer);
  }

  /** Stops taking jobs, finishes the running ones (up to `graceMs`), then closes. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.sendJson({ type: 'pause' });
    await this.settled(graceMs);
    clearInterval(this.heartbeatTimer);
    const socket = this.socket;
    if (socket && socket.readyState === WebSocket.OPEN) {
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.close(1000, 'node stopping');
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    }
    socket?.terminate();
    this.setState('stopped');
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state);
  }

  private connect(): void {
    if (this.stopped) return;
    this.setState('connecting');
    const url = new URL('/v1/nodes/connect', this.options.identity.coordinatorUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(url, { maxPayload: 16 * 1024 * 1024, handshakeTimeout: 10_000 });
    this.socket = socket;
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.onMessage(socket, data.toString());
    });
    socket.on('close', (code, reason) => {
      clearInterval(this.heartbeatTimer);
      this.emit('closed', { code, reason: reason.toString() });
      if (this.socket !== socket) return;
      // Another process with this node's identity took over: reconnecting would only take it back.
      if (code === CloseCodes.replaced) this.setState('stopped');
      else this.scheduleReconnect();
    });
    socket.on('error', () => {
      // 'close' follows and schedules the reconnect.
    });
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.setState('disconnected');
    const base = this.options.minBackoffMs ?? 500;
    const cap = this.options.maxBackoffMs ?? 30_000;
    const delay = Math.min(cap, base * 2 ** this.attempt) * (0.5 + Math.random() / 2);
    this.attempt = Math.min(this.attempt + 1, 16);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private onMessage(socket: WebSocket, text: string): void {
    const message = this.parseMessage(text);
    if (!message) return;
    const { identity } = this.options;
    switch (message.type) {
      case 'hello':
        socket.send(
          JSON.stringify({
            type: 'auth',
            protocol: PROTOCOL_VERSION,
            nodeId: identity.nodeId,
            signature: signMessage(identity.privateKeyPem, authMessage(message.nonce, identity.nodeId)),
            version: this.options.version ?? '0.1.0',
            capabilities: {
              concurrency: this.options.concurrency ?? 4,
              render: this.options.render ?? false,
            },
          }),
        );
        return;
      case 'ready':
        this.attempt = 0;
        this.setState('connected');
        if (this.paused) this.sendJson({ type: 'pause' });
        clearInterval(this.heartbeatTimer);
        this.heartbeatTimer = setInterval(
          () => this.sendJson({ type: 'heartbeat', at: Date.now(), inFlight: this.running.size }),
          this.options.heartbeatMs ?? 10_000,
        );
        return;
      case 'job': {
        const work = this.runJob(socket, message.job);
        this.running.add(work);
        void work.finally(() => this.running.delete(work));
        return;
      }
      case 'drain':
        this.sendJson({ type: 'pause' });
        return;
      case 'heartbeat':
        return;
    }
  }

  /** A gateway message checked against its schema, or undefined (reported as `invalid-message`). */
  private parseMessage(text: string): ServerMessage | undefined {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.emit('invalid-message', { reason: 'not JSON' } satisfies InvalidMessage);
      return undefined;
    }
    const parsed = ServerMessageSchema.safeParse(json);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const type = (json as { type?: unknown } | null)?.type;
    this.emit('invalid-message', {
      reason: issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid message',
      ...(typeof type === 'string' ? { type: type.slice(0, 64) } : {}),
    } satisfies InvalidMessage);
    return undefined;
  }

  private async runJob(socket: WebSocket, job: FetchJobSpec): Promise<void> {
    const started = Date.now();
    let outcome: JobOutcome;
    try {
      outcome = await this.options.runJob(job);
    } catch (error) {
      outcome = {
        ok: false,
        finalUrl: job.url,
        error: { code: 'NETWORK_ERROR', message: error instanceof Error ? error.message : String(error) },
        timings: { headersMs: 0, totalMs: Date.now() - started },
      };
    }
    const body = outcome.ok ? outcome.body : Buffer.alloc(0);
    const bodySha256 = sha256Hex(body);
    const status = outcome.ok ? outcome.status : 0;
    const redirects = outcome.redirects ?? [];
    const header: ResultHeader = {
      type: 'result',
      jobId: job.jobId,
      attempt: job.attempt,
      redirects,
      finalUrl: outcome.finalUrl,
      status,
      headers: outcome.ok ? outcome.headers : {},
      bodySha256,
      bodyBytes: body.length,
      fetchedAt: new Date().toISOString(),
      timings: outcome.timings,
      ...(outcome.ok ? {} : { error: outcome.error }),
      signature: signMessage(
        this.options.identity.privateKeyPem,
        resultMessage({
          jobId: job.jobId,
          attempt: job.attempt,
          redirects,
          finalUrl: outcome.finalUrl,
          status,
          bodySha256,
        }),
      ),
    };
    if (socket.readyState === WebSocket.OPEN) socket.send(encodeResultFrame(header, body));
    const record: JobRecord = {
      at: header.fetchedAt,
      jobId: job.jobId,
      campaignId: job.campaignId,
      url: job.url,
      finalUrl: outcome.finalUrl,
      status,
      bytes: body.length,
      totalMs: outcome.timings.totalMs,
      ...(outcome.ok ? {} : { errorCode: outcome.error.code }),
    };
    this.emit('job', record);
  }

  private sendJson(message: object): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }
}
