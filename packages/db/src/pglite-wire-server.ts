import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const GSS_REQUEST = 80877104;
/** Message types after which a client waits for the server: the end of a batch we run in one go. */
const BATCH_END = new Set(['S', 'Q', 'H', 'p']);

interface Connection {
  socket: Socket;
  buffer: Buffer;
  started: boolean;
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
 */
export class PgliteWireServer {
  private readonly server: Server;
  private readonly queue: PendingBatch[] = [];
  private readonly connections = new Set<Connection>();
  private holder: Connection | undefined;
  private pumping = false;

  constructor(private readonly pglite: PGlite) {
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
    const connection: Connection = { socket, buffer: Buffer.alloc(0), started: false, batch: [] };
    this.connections.add(connection);
    socket.setNoDelay(true);
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
      if (!connection.started) {
        if (buf.length < 8) return;
        const length = buf.readInt32BE(0);
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
        connection.started = true;
        this.enqueue(connection, buf.subarray(0, length));
        continue;
      }
      if (buf.length < 5) return;
      const length = 1 + buf.readInt32BE(1);
      if (buf.length < length) return;
      const type = String.fromCharCode(buf[0]!);
      const message = buf.subarray(0, length);
      connection.buffer = buf.subarray(length);
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
