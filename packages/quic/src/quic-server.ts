import type { StreamReader } from "@asyncstreams/reader";
import type { StreamWriter } from "@asyncstreams/writer";
import type { WriteBufferLimits } from "@asyncstreams/protocol";
import type { StackAddress, StackConnection, StackServer } from "./_stack.js";
import { QuicConnection } from "./quic-connection.js";

/**
 * Called for each stream a client opens, with its reader, writer and connection. May be async;
 * when it throws or rejects, `onError` is told and the stream is closed.
 */
export type QuicStreamCallback = (reader: StreamReader, writer: StreamWriter, connection: QuicConnection) => void | Promise<void>;

/** Receives a server's errors: a stream callback or `onConnection` that threw or rejected. */
export type QuicServerErrorHandler = (error: unknown, context: { message: string; connection: QuicConnection }) => void;

/** @internal What `startQuicServer()` gives a {@linkcode QuicServer}. */
export interface QuicServerInit {
  stackName: string;
  clientConnected: QuicStreamCallback | null;
  onConnection: ((connection: QuicConnection) => void | Promise<void>) | undefined;
  onError: QuicServerErrorHandler | undefined;
  limit: number | undefined;
  writeBufferLimits: Partial<WriteBufferLimits> | undefined;
  maxConnections: number;
}

const report = (error: unknown, context: { message: string }): void => console.error(context.message, error);

/**
 * A QUIC server with asyncio's server lifecycle, as `@asyncstreams/net`'s `Server`: it hands each
 * stream a client opens to the callback as `(reader, writer, connection)` and tracks every live
 * connection.
 *
 * - `close()` stops accepting connections and leaves live ones open; `closeClients()` closes them
 *   (code 0), `abortClients()` closes them with code 1 (`"aborted"`).
 * - `waitClosed()` resolves once the server is closed and every connection is gone.
 * - `await using server = await startQuicServer(...)` closes and waits at the end of the scope.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { startQuicServer } from "@asyncstreams/quic";
 *
 * const server = await startQuicServer(
 *   async (reader, writer) => {
 *     writer.write(await reader.read());
 *     writer.close();
 *   },
 *   {
 *     host: "127.0.0.1",
 *     port: 0,
 *     tls: {
 *       key: readFileSync("server-key.pem", "utf8"),
 *       cert: readFileSync("server.pem", "utf8"),
 *       alpnProtocols: ["echo"],
 *     },
 *   },
 * );
 * console.log(server.addresses()); // e.g. [{ address: "127.0.0.1", family: "IPv4", port: 50321 }]
 * server.close();
 * await server.waitClosed();
 * ```
 */
export class QuicServer implements AsyncDisposable {
  readonly #stack: StackServer;
  readonly #init: QuicServerInit;
  readonly #connections = new Set<QuicConnection>();
  #closed = false;
  #released: Promise<void> | undefined;
  #waiters: (() => void)[] = [];

  /**
   * @param stack The listening stack server.
   * @param init Callbacks and per-connection settings; use `startQuicServer()` instead.
   */
  constructor(stack: StackServer, init: QuicServerInit) {
    this.#stack = stack;
    this.#init = init;
  }

  /** @internal Called by the stack adapter for each new connection. */
  accept(stack: StackConnection): void {
    const connection = new QuicConnection({ stack, stackName: this.#init.stackName, limit: this.#init.limit, writeBufferLimits: this.#init.writeBufferLimits });
    if (this.#closed || this.#connections.size >= this.#init.maxConnections) {
      connection.close({ code: 2n, reason: this.#closed ? "server closed" : "too many connections" });
      return;
    }
    this.#connections.add(connection);
    void connection.closed.then(() => {
      this.#connections.delete(connection);
      this.#maybeDone();
    });
    void this.#serve(connection);
  }

  /**
   * The address the server listens on; empty once closed.
   *
   * @returns One `{ address, family, port }`.
   *
   * @example
   * ```ts
   * import { readFileSync } from "node:fs";
   * import { openQuicConnection, startQuicServer } from "@asyncstreams/quic";
   *
   * const pem = (file: string): string => readFileSync(file, "utf8");
   * const server = await startQuicServer((_reader, writer) => writer.close(), {
   *   host: "127.0.0.1",
   *   port: 0,
   *   tls: { key: pem("server-key.pem"), cert: pem("server.pem"), alpnProtocols: ["echo"] },
   * });
   * const [address] = server.addresses();
   * console.log(address?.address, address?.family); // "127.0.0.1" "IPv4"
   * console.log(address?.port); // e.g. 50321: port 0 picked a free UDP port
   * server.close();
   * console.log(server.addresses()); // []
   * await server.waitClosed();
   * ```
   */
  addresses(): StackAddress[] {
    return this.#closed ? [] : [{ ...this.#stack.address }];
  }

  /**
   * Tells whether the server accepts connections.
   *
   * @returns `true` until `close()`.
   *
   * @example
   * ```ts
   * import { readFileSync } from "node:fs";
   * import { openQuicConnection, startQuicServer } from "@asyncstreams/quic";
   *
   * const pem = (file: string): string => readFileSync(file, "utf8");
   * const server = await startQuicServer((_reader, writer) => writer.close(), {
   *   host: "127.0.0.1",
   *   port: 0,
   *   tls: { key: pem("server-key.pem"), cert: pem("server.pem"), alpnProtocols: ["echo"] },
   * });
   * console.log(server.isServing()); // true
   * server.close();
   * console.log(server.isServing()); // false
   * await server.waitClosed();
   * ```
   */
  isServing(): boolean {
    return !this.#closed;
  }

  /**
   * Stops accepting connections; live connections stay open. Idempotent.
   *
   * @example
   * ```ts
   * import { readFileSync } from "node:fs";
   * import { openQuicConnection, startQuicServer } from "@asyncstreams/quic";
   *
   * const pem = (file: string): string => readFileSync(file, "utf8"); // ca.pem trusts server.pem (localhost)
   * await using server = await startQuicServer(
   *   async (reader, writer) => {
   *     for await (const line of reader) writer.write(line); // echoes each line until the stream's FIN
   *     writer.close();
   *   },
   *   {
   *     host: "127.0.0.1",
   *     port: 0,
   *     tls: { key: pem("server-key.pem"), cert: pem("server.pem"), alpnProtocols: ["echo"] },
   *   },
   * );
   * await using conn = await openQuicConnection({
   *   host: "127.0.0.1",
   *   port: server.addresses()[0]!.port,
   *   tls: { ca: pem("ca.pem"), serverName: "localhost", alpnProtocols: ["echo"] },
   * });
   * const first = await conn.openStream();
   * first.writer.write(new TextEncoder().encode("ping\n"));
   * await first.reader.readLine(); // "ping\n": the server holds this connection
   * server.close(); // no new connections; this one goes on, new streams included
   * const { reader, writer } = await conn.openStream();
   * writer.write(new TextEncoder().encode("still served\n"));
   * writer.writeEof();
   * console.log(new TextDecoder().decode(await reader.read())); // "still served\n"
   * first.writer.writeEof();
   * await first.reader.read(); // EOF: the server's handler ended that stream too
   * ```
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stack.stopAccepting();
    this.#maybeDone();
  }

  /**
   * Closes every live connection with code 0: their open streams end.
   *
   * @example
   * ```ts
   * import { readFileSync } from "node:fs";
   * import { openQuicConnection, startQuicServer } from "@asyncstreams/quic";
   *
   * const pem = (file: string): string => readFileSync(file, "utf8"); // ca.pem trusts server.pem (localhost)
   * await using server = await startQuicServer(
   *   async (reader, writer) => {
   *     for await (const line of reader) writer.write(line); // echoes each line until the stream's FIN
   *     writer.close();
   *   },
   *   {
   *     host: "127.0.0.1",
   *     port: 0,
   *     tls: { key: pem("server-key.pem"), cert: pem("server.pem"), alpnProtocols: ["echo"] },
   *   },
   * );
   * await using conn = await openQuicConnection({
   *   host: "127.0.0.1",
   *   port: server.addresses()[0]!.port,
   *   tls: { ca: pem("ca.pem"), serverName: "localhost", alpnProtocols: ["echo"] },
   * });
   * const { reader, writer } = await conn.openStream();
   * writer.write(new TextEncoder().encode("ping\n"));
   * await reader.readLine(); // "ping\n": the server holds this connection
   * writer.writeEof();
   * await reader.read(); // EOF: the stream is done, the connection stays
   * server.close();
   * server.closeClients(); // CONNECTION_CLOSE with code 0
   * const info = await conn.closed;
   * console.log(info.code === 0n, info.remote); // true true
   * ```
   */
  closeClients(): void {
    for (const connection of this.#connections) connection.close({ code: 0n, reason: "" });
  }

  /**
   * Closes every live connection with code 1 (`"aborted"`).
   *
   * @example
   * ```ts
   * import { readFileSync } from "node:fs";
   * import { openQuicConnection, startQuicServer } from "@asyncstreams/quic";
   *
   * const pem = (file: string): string => readFileSync(file, "utf8"); // ca.pem trusts server.pem (localhost)
   * await using server = await startQuicServer(
   *   async (reader, writer) => {
   *     for await (const line of reader) writer.write(line); // echoes each line until the stream's FIN
   *     writer.close();
   *   },
   *   {
   *     host: "127.0.0.1",
   *     port: 0,
   *     tls: { key: pem("server-key.pem"), cert: pem("server.pem"), alpnProtocols: ["echo"] },
   *   },
   * );
   * await using conn = await openQuicConnection({
   *   host: "127.0.0.1",
   *   port: server.addresses()[0]!.port,
   *   tls: { ca: pem("ca.pem"), serverName: "localhost", alpnProtocols: ["echo"] },
   * });
   * const { reader, writer } = await conn.openStream();
   * writer.write(new TextEncoder().encode("ping\n"));
   * await reader.readLine(); // "ping\n": the server holds this connection
   * writer.writeEof();
   * await reader.read(); // EOF: the stream is done, the connection stays
   * server.close();
   * server.abortClients(); // CONNECTION_CLOSE with code 1
   * const info = await conn.closed;
   * console.log(info.code === 1n, info.reason, info.remote); // true "aborted" true
   * ```
   */
  abortClients(): void {
    for (const connection of this.#connections) connection.close({ code: 1n, reason: "aborted" });
  }

  /**
   * Resolves once the server is closed, every connection is gone and the socket is released.
   *
   * Cancel safety: it takes no signal and only observes: abandoning the wait changes nothing (and
   * waiting closes nothing either: call `close()`, then `closeClients()` to end live connections).
   *
   * @example
   * ```ts
   * import { readFileSync } from "node:fs";
   * import { openQuicConnection, startQuicServer } from "@asyncstreams/quic";
   *
   * const pem = (file: string): string => readFileSync(file, "utf8"); // ca.pem trusts server.pem (localhost)
   * await using server = await startQuicServer(
   *   async (reader, writer) => {
   *     for await (const line of reader) writer.write(line); // echoes each line until the stream's FIN
   *     writer.close();
   *   },
   *   {
   *     host: "127.0.0.1",
   *     port: 0,
   *     tls: { key: pem("server-key.pem"), cert: pem("server.pem"), alpnProtocols: ["echo"] },
   *   },
   * );
   * await using conn = await openQuicConnection({
   *   host: "127.0.0.1",
   *   port: server.addresses()[0]!.port,
   *   tls: { ca: pem("ca.pem"), serverName: "localhost", alpnProtocols: ["echo"] },
   * });
   * const { reader, writer } = await conn.openStream();
   * writer.write(new TextEncoder().encode("ping\n"));
   * await reader.readLine(); // "ping\n": the server holds this connection
   * server.close();
   * let closed = false;
   * const waiting = server.waitClosed().then(() => (closed = true));
   * writer.write(new TextEncoder().encode("pong\n"));
   * console.log(new TextDecoder().decode(await reader.readLine())); // "pong\n"
   * console.log(closed); // false: a connection is still open
   * writer.writeEof();
   * await reader.read(); // EOF: the server's handler is done
   * conn.close();
   * await waiting;
   * console.log(closed); // true
   * ```
   */
  async waitClosed(): Promise<void> {
    if (!this.#closed || this.#connections.size > 0) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    await this.#released;
  }

  /**
   * `close()` then `waitClosed()`.
   *
   * Cancel safety: abandoning it changes nothing: the close it started goes on.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
    await this.waitClosed();
  }

  /** @returns `<QuicServer address:port>`, with `closed` once closed. */
  toString(): string {
    const { address, port } = this.#stack.address;
    return `<QuicServer ${address}:${port}${this.#closed ? " closed" : ""}>`;
  }

  async #serve(connection: QuicConnection): Promise<void> {
    const onError = this.#init.onError ?? report;
    if (this.#init.onConnection !== undefined) {
      try {
        await this.#init.onConnection(connection);
      } catch (error) {
        onError(error, { message: `onConnection failed for ${connection.toString()}`, connection });
      }
    }
    const callback = this.#init.clientConnected;
    if (callback === null) return;
    for await (const { reader, writer } of connection.incomingStreams) {
      void (async () => {
        try {
          await callback(reader, writer, connection);
        } catch (error) {
          onError(error, { message: `The stream callback failed on ${connection.toString()}`, connection });
          writer.close();
        }
      })();
    }
  }

  #maybeDone(): void {
    if (!this.#closed || this.#connections.size > 0) return;
    this.#released ??= this.#stack.release().catch(() => undefined);
    for (const waiter of this.#waiters.splice(0)) waiter();
  }
}
