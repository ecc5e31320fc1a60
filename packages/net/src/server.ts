// The public types name Disposable / Symbol.dispose: this directive, kept in the emitted .d.ts,
// brings TypeScript's declarations of them to every consumer, whatever its `lib` (ES2022 + DOM is enough).
/// <reference lib="esnext.disposable" preserve="true" />
import type { Server as NetServer, Socket } from "node:net";
import type { ClientConnectedCallback, Transport, WriteBufferLimits } from "@asyncstreams/protocol";
import { StreamReaderProtocol } from "@asyncstreams/protocol";
import { InvalidStateError, StreamReader } from "@asyncstreams/reader";
import { nodeByteSearch } from "./node-byte-search.js";
import { SocketTransport } from "./socket-transport.js";
import { checkMaxConnections } from "./_check-max-connections.js";
import { diagnostics } from "./_diagnostics.js";
import type { NetAcceptMessage } from "./diagnostics-channels.js";
import { checkCloseTimeout } from "./_check-close-timeout.js";
import { AcceptQueue } from "./_accept-queue.js";
import { resetSocket } from "./_reset-socket.js";

/**
 * An address a server listens on: `{ address, family, port }` for TCP, the path for Unix sockets.
 */
export type ServerAddress = { address: string; family: string; port: number } | string;

/**
 * Receives a server's errors: a client callback that threw or rejected (with that connection's
 * `transport`, closed right after), or an accept error on a listening socket (no `transport`).
 */
export type ServerErrorHandler = (
  error: unknown,
  context: { message: string; transport?: Transport | undefined },
) => void;

/**
 * Options for {@linkcode Server.close}.
 */
export interface ServerCloseOptions {
  /** Milliseconds (0 to 2^31-1) before `abortClients()` resets the connections still open. Default: none. */
  timeout?: number | undefined;
}

/**
 * What a {@linkcode Server} needs to accept connections; made by `startServer()` and
 * `startUnixServer()`.
 */
export interface ServerInit {
  /** Listening Node servers, already bound. */
  listeners: readonly NetServer[];
  /** Called for each connection with its reader and writer. */
  onClient: ClientConnectedCallback;
  /** Receives client-callback failures and accept errors. Default: `console.error`. */
  onError: ServerErrorHandler | undefined;
  /** Each connection's reader limit. */
  limit: number | undefined;
  /** TCP_NODELAY for accepted sockets. */
  noDelay: boolean;
  /** Write-buffer water marks of accepted connections. */
  writeBufferLimits: Partial<WriteBufferLimits> | undefined;
  /** Extra `getExtraInfo()` entries of accepted connections: a Unix server's `sockname` path. */
  extraInfo?: Record<string, unknown> | undefined;
  /** Connections beyond this many at once are closed as soon as they are accepted. Default: no limit. */
  maxConnections?: number | undefined;
  /** Closes the listeners (default: `close()` each); a Unix server decides about its socket file. */
  closeListeners?: ((listeners: readonly NetServer[]) => void) | undefined;
}

/**
 * asyncio's `Server`: accepts connections and hands each to the client callback as
 * `(reader, writer)`, tracking every live connection.
 *
 * - `close()` stops accepting and leaves live connections open; `closeClients()` closes them
 *   (after flushing), `abortClients()` resets them.
 * - `waitClosed()` resolves once the server is closed AND every connection is gone (asyncio 3.12.1+).
 * - `serveForever({ signal })` accepts until the signal aborts, then closes and waits.
 * - `await using server = await startServer(...)` closes and waits at the end of the scope.
 *
 * @example
 * ```ts
 * import { startServer } from "@asyncstreams/net";
 *
 * const server = await startServer(async (reader, writer) => {
 *   writer.write(await reader.readLine());
 *   writer.close();
 * }, { host: "127.0.0.1", port: 0 });
 * console.log(server.addresses()); // e.g. [{ address: "127.0.0.1", family: "IPv4", port: 43567 }]
 * server.close();
 * await server.waitClosed();
 * ```
 */
export class Server implements AsyncDisposable {
  readonly #init: ServerInit;
  readonly #clients = new Set<SocketTransport>();
  /** Sockets accepted before `startServing()`, waiting to be served. */
  #pending: Socket[] = [];
  /** Sockets accepted and not yet set up (see `AcceptQueue`). */
  readonly #accepted = new AcceptQueue(
    (socket, acceptedAt) => this.#serve(socket, acceptedAt),
    () => this.#maybeWakeWaiters(),
  );
  #serving = false;
  #closed = false;
  #waiters: (() => void)[] = [];
  #stopServingForever: (() => void) | null = null;
  /** The `close({ timeout })` deadline, cleared once every connection is gone. */
  #deadline: ReturnType<typeof setTimeout> | null = null;

  /**
   * @param init Bound listeners and per-connection settings; use `startServer()` instead.
   */
  constructor(init: ServerInit) {
    checkMaxConnections(init.maxConnections);
    this.#init = init;
    for (const listener of init.listeners) {
      listener.on("connection", this.#onConnection);
      // Accept errors (EMFILE, ...) must never crash the process: report them and keep serving.
      listener.on("error", this.#onListenerError);
    }
  }

  /**
   * The addresses the server listens on; empty once closed.
   *
   * @returns One entry per listening socket.
   *
   * @example
   * ```ts
   * import { startServer } from "@asyncstreams/net";
   *
   * const server = await startServer((_reader, writer) => writer.close(), { host: "127.0.0.1", port: 0 });
   * const address = server.addresses()[0];
   * if (typeof address !== "object") throw new TypeError("a TCP server listens on a port, not a path");
   * console.log(address.address, address.family); // "127.0.0.1" "IPv4"
   * console.log(address.port); // e.g. 43567: port 0 picked a free port
   * server.close();
   * console.log(server.addresses()); // []
   * await server.waitClosed();
   * ```
   */
  addresses(): ServerAddress[] {
    if (this.#closed) return [];
    const addresses: ServerAddress[] = [];
    for (const listener of this.#init.listeners) {
      const address = listener.address();
      if (address !== null) addresses.push(typeof address === "string" ? address : { ...address });
    }
    return addresses;
  }

  /**
   * Tells whether connections are being served.
   *
   * @returns `true` between `startServing()` and `close()`.
   *
   * @example
   * ```ts
   * import { startServer } from "@asyncstreams/net";
   *
   * const server = await startServer((_reader, writer) => writer.close(), {
   *   host: "127.0.0.1",
   *   port: 0,
   *   startServing: false,
   * });
   * console.log(server.isServing()); // false: listening, but connections wait
   * await server.startServing();
   * console.log(server.isServing()); // true
   * server.close();
   * console.log(server.isServing()); // false
   * await server.waitClosed();
   * ```
   */
  isServing(): boolean {
    return this.#serving;
  }

  /**
   * Starts serving connections, including those accepted while not serving. Idempotent.
   *
   * Cancel safety: no signal; it returns after one turn of the event loop and cannot be stopped half-way.
   *
   * @throws {InvalidStateError} When the server is closed.
   *
   * @example
   * ```ts
   * import { openConnection, startServer } from "@asyncstreams/net";
   *
   * const server = await startServer(
   *   (_reader, writer) => {
   *     writer.write(new TextEncoder().encode("hello\n"));
   *     writer.close();
   *   },
   *   { host: "127.0.0.1", port: 0, startServing: false },
   * );
   * const { port } = server.addresses()[0] as { port: number };
   * const client = await openConnection({ host: "127.0.0.1", port }); // accepted, not yet served
   * await server.startServing();
   * console.log(new TextDecoder().decode(await client.reader.readLine())); // "hello\n"
   * client.writer.close();
   * server.close();
   * await server.waitClosed();
   * ```
   */
  async startServing(): Promise<void> {
    if (this.#closed) throw new InvalidStateError(`Cannot start serving: server ${this.toString()} is closed`);
    if (this.#serving) return;
    this.#serving = true;
    const pending = this.#pending;
    this.#pending = [];
    for (const socket of pending) this.#serve(socket);
    await Promise.resolve();
  }

  /**
   * Serves until `signal` aborts or the server is closed, then closes the server and waits for
   * every connection to end (asyncio's `serve_forever()` cancelled).
   *
   * Cancel safety: aborting `signal` is how it is meant to end: the server stops listening, waits for
   * every live connection to end (call `abortClients()` to hurry them), and only then rejects with
   * `signal.reason`. An abort leaves a closed server, never a half-closed one.
   *
   * @param options `signal` stops serving.
   * @throws {InvalidStateError} When the server is closed, or another `serveForever()` is running.
   * @throws `signal.reason` after closing, when the signal aborted.
   * @throws {DOMException} Named `"AbortError"`, when `close()` ended it: asyncio's
   *   `serve_forever()` raises `CancelledError` there, so cleanup written for cancellation runs.
   *
   * @example
   * ```ts
   * import { openConnection, startServer } from "@asyncstreams/net";
   *
   * const server = await startServer(
   *   async (reader, writer) => {
   *     for await (const line of reader) writer.write(line);
   *     writer.close();
   *   },
   *   { host: "127.0.0.1", port: 0 },
   * );
   * const shutdown = new AbortController(); // a SIGTERM handler would abort it
   * const serving = server.serveForever({ signal: shutdown.signal });
   * const { port } = server.addresses()[0] as { port: number };
   * const client = await openConnection({ host: "127.0.0.1", port });
   * client.writer.write(new TextEncoder().encode("echo\n"));
   * console.log(new TextDecoder().decode(await client.reader.readLine())); // "echo\n"
   * client.writer.close();
   * shutdown.abort(new Error("shutting down"));
   * console.log(await serving.catch((reason: unknown) => (reason as Error).message)); // "shutting down"
   * console.log(server.isServing()); // false
   * ```
   */
  async serveForever(options: { signal?: AbortSignal | undefined } = {}): Promise<void> {
    if (this.#stopServingForever !== null) {
      throw new InvalidStateError(
        `Cannot serve forever: server ${this.toString()} is already being awaited on serveForever()`,
      );
    }
    if (this.#closed) throw new InvalidStateError(`Cannot serve forever: server ${this.toString()} is closed`);
    const { signal } = options;
    let stop: () => void = () => undefined;
    let closedByCall = false;
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    // Claimed before the first await, as asyncio sets `_serving_forever_fut` synchronously: a second
    // call in the same tick must be refused, not left waiting for a stop nobody will send.
    this.#stopServingForever = stop;
    signal?.addEventListener("abort", stop, { once: true });
    try {
      if (signal?.aborted === true) stop();
      await this.startServing();
      await stopped;
      closedByCall = this.#closed && signal?.aborted !== true;
    } finally {
      this.#stopServingForever = null;
      signal?.removeEventListener("abort", stop);
    }
    this.close();
    await this.waitClosed();
    if (signal?.aborted === true) throw signal.reason;
    if (closedByCall) throw new DOMException("Cannot serve forever: the server was closed by close()", "AbortError");
  }

  /**
   * Stops listening: no new connections are accepted. Live connections stay open; see
   * `closeClients()` and `abortClients()`. Idempotent.
   *
   * With `timeout`, a shutdown with a deadline: the connections still open `timeout` ms later are
   * reset with `abortClients()`, so `waitClosed()` settles by then. Until the deadline they finish
   * on their own (their handlers answer what is in flight and close). A later call may set a
   * deadline when none is set; it never moves one.
   *
   * @param options `timeout`: milliseconds (0 to 2^31-1, what `setTimeout()` can wait) before the rest are aborted.
   * @throws {RangeError} When `timeout` is over 2^31-1 (Infinity too: leave it out), negative, or not a number.
   *
   * @example
   * ```ts
   * import { startServer } from "@asyncstreams/net";
   *
   * const server = await startServer(async (reader, writer) => {
   *   for await (const line of reader) writer.write(line);
   *   writer.close();
   * }, { port: 0 });
   * // On SIGTERM: stop accepting, give clients 5 s to finish, then reset the rest.
   * server.close({ timeout: 5_000 });
   * await server.waitClosed();
   * ```
   */
  close(options: ServerCloseOptions = {}): void {
    const { timeout } = options;
    checkCloseTimeout(timeout);
    if (
      timeout !== undefined &&
      this.#deadline === null &&
      (this.#clients.size > 0 || this.#accepted.length > 0 || !this.#closed)
    ) {
      this.#deadline = setTimeout(() => this.abortClients(), timeout);
    }
    if (this.#closed) {
      this.#maybeWakeWaiters();
      return;
    }
    this.#closed = true;
    this.#serving = false;
    const { listeners, closeListeners } = this.#init;
    for (const listener of listeners) listener.off("connection", this.#onConnection);
    if (closeListeners === undefined) for (const listener of listeners) listener.close();
    else closeListeners(listeners);
    for (const socket of this.#pending) resetSocket(socket); // accepted, never served: reset, as the kernel would
    this.#pending = [];
    this.#stopServingForever?.();
    this.#maybeWakeWaiters();
  }

  /**
   * Closes every live connection, after flushing what each has buffered. Call `close()` first.
   *
   * @example
   * ```ts
   * import { openConnection, startServer } from "@asyncstreams/net";
   *
   * const server = await startServer(
   *   async (reader, writer) => {
   *     writer.write(new TextEncoder().encode("ready\n"));
   *     await reader.read(); // until EOF: this handler never ends on its own
   *   },
   *   { host: "127.0.0.1", port: 0 },
   * );
   * const { port } = server.addresses()[0] as { port: number };
   * const client = await openConnection({ host: "127.0.0.1", port });
   * await client.reader.readLine(); // "ready\n": the server is serving this connection
   * server.close(); // stops listening; the connection stays open
   * server.closeClients(); // flushes and closes it
   * console.log(await client.reader.read()); // Uint8Array []: EOF
   * client.writer.close();
   * await server.waitClosed();
   * ```
   */
  closeClients(): void {
    this.#accepted.flush(); // accepted, not yet set up: they are clients too
    for (const transport of [...this.#clients]) transport.close();
  }

  /**
   * Resets every live connection at once, dropping what each has buffered. Call `close()` first.
   *
   * @example
   * ```ts
   * import { openConnection, startServer } from "@asyncstreams/net";
   *
   * const server = await startServer(
   *   async (reader, writer) => {
   *     writer.write(new TextEncoder().encode("ready\n"));
   *     await reader.read(); // until EOF: this handler never ends on its own
   *   },
   *   { host: "127.0.0.1", port: 0 },
   * );
   * const { port } = server.addresses()[0] as { port: number };
   * const client = await openConnection({ host: "127.0.0.1", port });
   * await client.reader.readLine(); // "ready\n": the server is serving this connection
   * server.close();
   * server.abortClients(); // resets it (RST): nothing buffered is sent
   * const error = await client.reader.read().catch((reason: unknown) => reason);
   * console.log((error as { code?: string }).code); // "ECONNRESET"
   * await server.waitClosed();
   * ```
   */
  abortClients(): void {
    this.#accepted.flush();
    for (const transport of [...this.#clients]) transport.abort();
  }

  /**
   * Waits until the server is closed and every connection has ended.
   *
   * Cancel safety: no signal; the promise only observes the server, so giving up on it changes nothing.
   *
   * @returns A promise that resolves then; at once if that already happened.
   *
   * @example
   * ```ts
   * import { openConnection, startServer } from "@asyncstreams/net";
   *
   * let handled = false;
   * const server = await startServer(
   *   async (reader, writer) => {
   *     writer.write(new TextEncoder().encode("ready\n"));
   *     await reader.read(); // until the client's EOF
   *     handled = true;
   *     writer.close();
   *   },
   *   { host: "127.0.0.1", port: 0 },
   * );
   * const { port } = server.addresses()[0] as { port: number };
   * const client = await openConnection({ host: "127.0.0.1", port });
   * await client.reader.readLine();
   * server.close(); // stops listening; the live connection goes on
   * const closed = server.waitClosed();
   * client.writer.close();
   * await closed;
   * console.log(handled); // true: waitClosed() waited for the connection to end
   * ```
   */
  waitClosed(): Promise<void> {
    if (this.#closed && this.#clients.size === 0 && this.#accepted.length === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  /**
   * `close()` then `waitClosed()`, for `await using`.
   *
   * Cancel safety: no signal; once called, the server closes whether or not the promise is awaited.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
    await this.waitClosed();
  }

  /** @returns `<Server addresses=[...]>`. */
  toString(): string {
    return `<Server addresses=${JSON.stringify(this.addresses())}>`;
  }

  readonly #onConnection = (socket: Socket): void => {
    const { maxConnections } = this.#init;
    if (
      maxConnections !== undefined &&
      this.#clients.size + this.#accepted.length + this.#pending.length >= maxConnections
    ) {
      // Refused: closed at once, before any byte is read or any object is made for it (Node's own
      // server does the same at its maxConnections). The client sees the connection end.
      socket.destroy();
      return;
    }
    if (this.#serving) {
      this.#accepted.push(socket); // set up on a later turn, once the loop has polled for more
    } else {
      socket.pause();
      this.#pending.push(socket);
    }
  };

  readonly #onListenerError = (error: Error): void => {
    const message = "Accept error on a listening socket";
    if (this.#init.onError === undefined) console.error(message, error);
    else this.#init.onError(error, { message });
  };

  #serve(socket: Socket, acceptedAt = performance.now()): void {
    const init = this.#init;
    if (init.noDelay && typeof socket.setNoDelay === "function") socket.setNoDelay(true);
    const reader = new StreamReader({ limit: init.limit, search: nodeByteSearch });
    const protocol = new StreamReaderProtocol(reader, { onClient: init.onClient, onError: init.onError });
    const transport = new SocketTransport(socket, {
      writeBufferLimits: init.writeBufferLimits,
      onDetach: this.#detach,
      serverSide: true,
      extraInfo: { ...init.extraInfo, acceptedAt },
    });
    this.#clients.add(transport);
    if (diagnostics.accept.hasSubscribers) {
      const message: NetAcceptMessage = { transport, reader, server: this };
      diagnostics.accept.publish(message);
    }
    transport.setProtocol(protocol);
    protocol.connectionMade(transport);
    // Listeners pause on connect: nothing is read before the transport and protocol are in place,
    // nor while the client callback keeps reading paused (a TLS server, until it upgrades).
    if (transport.isReading()) socket.resume();
  }

  readonly #detach = (transport: SocketTransport): void => {
    this.#clients.delete(transport);
    this.#maybeWakeWaiters();
  };

  #maybeWakeWaiters(): void {
    if (!this.#closed || this.#clients.size > 0 || this.#accepted.length > 0) return;
    if (this.#deadline !== null) clearTimeout(this.#deadline);
    this.#deadline = null;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
