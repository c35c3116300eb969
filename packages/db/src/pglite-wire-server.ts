import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { SCRAM_MECHANISM, ScramVerifier, type ScramExchange } from './scram-verifier.js';

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const GSS_REQUEST = 80877104;
/** Message types after which a client waits for the server: the end of a batch we run in one go. */
const BATCH_END = new Set(['S', 'Q', 'H', 'p']);
/** Largest message a client may send before it has authenticated, bytes (a startup or SASL message is far less). */
const MAX_PRE_AUTH_MESSAGE_BYTES = 8192;

/** Options of a {@link PgliteWireServer}. */
export interface PgliteWireServerOptions {
  /** The password every client must prove (SCRAM-SHA-256), whatever its user name. */
  password: string;
  /** Time a client has to authenticate after connecting, ms. Default 10,000. */
  authTimeoutMs?: number;
}

/**
 * Where a client is in its start: waiting for its startup message, in the SCRAM exchange (first message, then its
 * proof), or authenticated and served.
 */
type Phase =
  | { name: 'startup' }
  | { name: 'sasl-initial'; startup: Buffer }
  | { name: 'sasl-final'; startup: Buffer; exchange: ScramExchange }
  | { name: 'ready' }
  | { name: 'refused' };

interface Connection {
  socket: Socket;
  buffer: Buffer;
  phase: Phase;
  batch: Buffer[];
}

interface PendingBatch {
  connection: Connection;
  bytes: Uint8Array;
}

/**
 * Serves one PGlite instance to many clients over the Postgres wire protocol. PGlite has a single session, so
 * each client's messages are run as whole batches (up to a Sync or a simple Query), and while a client is inside a
 * transaction only that client's batches run — other clients wait, exactly as they would for a row lock.
 *
 * PGlite itself lets any client in, so the server authenticates each one first, with SCRAM-SHA-256 as PostgreSQL
 * does (the password never crosses the wire, not even hashed); a wrong password gets PostgreSQL's `28P01` error
 * and the connection closes. Before that, nothing reaches PGlite and messages are limited to a few KiB.
 */
export class PgliteWireServer {
  private readonly server: Server;
  private readonly queue: PendingBatch[] = [];
  private readonly connections = new Set<Connection>();
  private readonly verifier: ScramVerifier;
  private readonly authTimeoutMs: number;
  private holder: Connection | undefined;
  private pumping = false;

  constructor(
    private readonly pglite: PGlite,
    options: PgliteWireServerOptions,
  ) {
    this.verifier = new ScramVerifier(options.password);
    this.authTimeoutMs = options.authTimeoutMs ?? 10_000;
    this.server = createServer((socket) => this.accept(socket));
  }

  /** Listens on `host:port` (0 picks a free port); resolves with the port. */
  async listen(host: string, port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops listening and drops every client. */
  async close(): Promise<void> {
    for (const connection of this.connections) connection.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    const connection: Connection = { socket, buffer: Buffer.alloc(0), phase: { name: 'startup' }, batch: [] };
    this.connections.add(connection);
    socket.setNoDelay(true);
    const authTimer = setTimeout(() => {
      if (connection.phase.name !== 'ready') socket.destroy();
    }, this.authTimeoutMs);
    authTimer.unref();
    socket.on('close', () => clearTimeout(authTimer));
    socket.on('data', (data: Buffer) => {
      connection.buffer = connection.buffer.length ? Buffer.concat([connection.buffer, data]) : data;
      this.frame(connection);
    });
    socket.on('error', () => {});
    socket.on('close', () => this.drop(connection));
  }

  private frame(connection: Connection): void {
    for (;;) {
      const buf = connection.buffer;
      const { phase } = connection;
      if (phase.name === 'refused') return;
      if (phase.name === 'startup') {
        if (buf.length < 8) return;
        const length = buf.readInt32BE(0);
        if (length < 8 || length > MAX_PRE_AUTH_MESSAGE_BYTES) return void connection.socket.destroy();
        if (buf.length < length) return;
        const code = buf.readInt32BE(4);
        connection.buffer = buf.subarray(length);
        if (code === SSL_REQUEST || code === GSS_REQUEST) {
          connection.socket.write('N');
          continue;
        }
        if (code === CANCEL_REQUEST) {
          connection.socket.destroy();
          return;
        }
        // Asks for SCRAM-SHA-256; the startup message goes to PGlite only once the client has proven the password.
        connection.phase = { name: 'sasl-initial', startup: Buffer.from(buf.subarray(0, length)) };
        connection.socket.write(authentication(10, Buffer.from(`${SCRAM_MECHANISM}\0\0`)));
        continue;
      }
      if (buf.length < 5) return;
      const length = 1 + buf.readInt32BE(1);
      if (length < 5) return void connection.socket.destroy();
      if (phase.name !== 'ready' && length > MAX_PRE_AUTH_MESSAGE_BYTES)
        return void connection.socket.destroy();
      if (buf.length < length) return;
      const type = String.fromCharCode(buf[0]!);
      const message = buf.subarray(0, length);
      connection.buffer = buf.subarray(length);
      if (phase.name !== 'ready') {
        if (!this.authenticate(connection, type, message.subarray(5))) return;
        continue;
      }
      if (type === 'X') {
        connection.socket.end();
        return;
      }
      connection.batch.push(message);
      if (BATCH_END.has(type)) {
        const bytes = Buffer.concat(connection.batch);
        connection.batch = [];
        this.enqueue(connection, bytes);
      }
    }
  }

  /**
   * Takes one client message of the SCRAM exchange; returns false once the connection is refused (closed).
   */
  private authenticate(connection: Connection, type: string, body: Buffer): boolean {
    const { phase, socket } = connection;
    if (type === 'X') {
      socket.end();
      connection.phase = { name: 'refused' };
      return false;
    }
    if (type !== 'p') return this.refuse(connection, '08P01', 'expected a SASL message');
    if (phase.name === 'sasl-initial') {
      const end = body.indexOf(0);
      const mechanism = end < 0 ? '' : body.subarray(0, end).toString();
      if (mechanism !== SCRAM_MECHANISM || body.length < end + 5) {
        return this.refuse(connection, '28000', `only ${SCRAM_MECHANISM} authentication is offered`);
      }
      const exchange = this.verifier.begin(body.subarray(end + 5).toString());
      if (!exchange) return this.refuse(connection, '08P01', 'malformed SCRAM client-first message');
      connection.phase = { name: 'sasl-final', startup: phase.startup, exchange };
      socket.write(authentication(11, Buffer.from(exchange.serverFirst)));
      return true;
    }
    if (phase.name !== 'sasl-final') return false;
    const serverFinal = phase.exchange.finish(body.toString());
    if (serverFinal === undefined) {
      return this.refuse(connection, '28P01', 'password authentication failed for user "postgres"');
    }
    connection.phase = { name: 'ready' };
    socket.write(authentication(12, Buffer.from(serverFinal)));
    // PGlite answers the startup message with AuthenticationOk, the parameters and ReadyForQuery.
    this.enqueue(connection, phase.startup);
    return true;
  }

  /** Sends PostgreSQL's FATAL error with `code` and closes the connection; returns false. */
  private refuse(connection: Connection, code: string, message: string): false {
    connection.socket.end(errorResponse(code, message));
    connection.buffer = Buffer.alloc(0);
    connection.phase = { name: 'refused' };
    return false;
  }

  private enqueue(connection: Connection, bytes: Uint8Array): void {
    this.queue.push({ connection, bytes: new Uint8Array(bytes) });
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        if (this.holder && !this.connections.has(this.holder)) {
          // The client left inside a transaction: undo it so the others can go on.
          await this.pglite.exec('ROLLBACK').catch(() => {});
          this.holder = undefined;
        }
        const index = this.queue.findIndex((p) => !this.holder || p.connection === this.holder);
        if (index < 0) return;
        const [next] = this.queue.splice(index, 1);
        const { connection, bytes } = next!;
        if (!this.connections.has(connection)) continue;
        try {
          await this.pglite.runExclusive(() =>
            this.pglite.execProtocolRawStream(bytes, {
              onRawData: (data: Uint8Array) => {
                if (!connection.socket.destroyed) connection.socket.write(data);
              },
            }),
          );
        } catch {
          connection.socket.destroy();
        }
        this.holder = this.pglite.isInTransaction() ? connection : undefined;
      }
    } finally {
      this.pumping = false;
    }
  }

  private drop(connection: Connection): void {
    this.connections.delete(connection);
    for (let i = this.queue.length - 1; i >= 0; i--)
      if (this.queue[i]!.connection === connection) this.queue.splice(i, 1);
    void this.pump();
  }
}

/** An Authentication message (`R`) of sub-type `kind` (10 SASL, 11 SASL continue, 12 SASL final) with `data`. */
function authentication(kind: number, data: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head.write('R', 0);
  head.writeInt32BE(8 + data.length, 1);
  head.writeInt32BE(kind, 5);
  return Buffer.concat([head, data]);
}

/** A FATAL ErrorResponse (`E`) with SQLSTATE `code`. */
function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`);
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([head, fields]);
}
