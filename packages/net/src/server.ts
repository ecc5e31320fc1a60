// The public types name Disposable / Symbol.dispose: this directive, kept in the emitted .d.ts,
// brings TypeScript's declarations of them to every consumer, whatever its `lib` (ES2022 + DOM is enough).
/// <reference lib="esnext.disposable" preserve="true" />
import type { Server as NetServer, Socket } from "node:net";
import type { ClientConnectedCallback, Transport, WriteBufferLimits } from "@asyncstreams/protocol";
import { StreamReaderProtocol } from "@asyncstreams/protocol";
import { InvalidStateError, StreamReader } from "@asyncstreams/reader";
import { nodeByteSearch } from "./node-byte-search.js";
import { SocketTransport } from "./socket-transport.js";
import { diagnostics } from "./_diagnostics.js";
import type { NetAcceptMessage } from "./diagnostics-channels.js";

/**
 * An address a server listens on: `{ address, family, port }` for TCP, the path for Unix sockets.
 */
export type ServerAddress = { address: string; family: string; port: number } | string;

/**
 * Receives a server's errors: a client callback that threw or rejected (with that connection's
 * `transport`, closed right after), or an accept error on a listening socket (no `transport`).
 */
export type ServerErrorHandler = (error: unknown, context: { message: string; transport?: Transport | undefined }) => void;

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
 * console.log(server.addresses()); // [{ address: "127.0.0.1", family: "IPv4", port: 43567 }]
 * server.close();
 * await server.waitClosed();
 * ```
 */
export class Server implements AsyncDisposable {
  readonly #init: ServerInit;
  readonly #clients = new Set<SocketTransport>();
  /** Sockets accepted before `startServing()`, waiting to be served. */
  #pending: Socket[] = [];
  #serving = false;
  #closed = false;
  #waiters: (() => void)[] = [];
  #stopServingForever: (() => void) | null = null;

  /**
   * @param init Bound listeners and per-connection settings; use `startServer()` instead.
   */
  constructor(init: ServerInit) {
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
   */
  isServing(): boolean {
    return this.#serving;
  }

  /**
   * Starts serving connections, including those accepted while not serving. Idempotent.
   *
   * @throws {InvalidStateError} When the server is closed.
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
   * @param options `signal` stops serving.
   * @throws {InvalidStateError} When the server is closed, or another `serveForever()` is running.
   * @throws `signal.reason` after closing, when the signal aborted.
   */
  async serveForever(options: { signal?: AbortSignal | undefined } = {}): Promise<void> {
    if (this.#stopServingForever !== null) {
      throw new InvalidStateError(`Cannot serve forever: server ${this.toString()} is already being awaited on serveForever()`);
    }
    if (this.#closed) throw new InvalidStateError(`Cannot serve forever: server ${this.toString()} is closed`);
    const { signal } = options;
    let stop: () => void = () => undefined;
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
    } finally {
      this.#stopServingForever = null;
      signal?.removeEventListener("abort", stop);
    }
    this.close();
    await this.waitClosed();
    if (signal?.aborted === true) throw signal.reason;
  }

  /**
   * Stops listening: no new connections are accepted. Live connections stay open; see
   * `closeClients()` and `abortClients()`. Idempotent.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#serving = false;
    const { listeners, closeListeners } = this.#init;
    for (const listener of listeners) listener.off("connection", this.#onConnection);
    if (closeListeners === undefined) for (const listener of listeners) listener.close();
    else closeListeners(listeners);
    for (const socket of this.#pending) socket.destroy();
    this.#pending = [];
    this.#stopServingForever?.();
    this.#maybeWakeWaiters();
  }

  /** Closes every live connection, after flushing what each has buffered. Call `close()` first. */
  closeClients(): void {
    for (const transport of [...this.#clients]) transport.close();
  }

  /** Resets every live connection at once, dropping what each has buffered. Call `close()` first. */
  abortClients(): void {
    for (const transport of [...this.#clients]) transport.abort();
  }

  /**
   * Waits until the server is closed and every connection has ended.
   *
   * @returns A promise that resolves then; at once if that already happened.
   */
  waitClosed(): Promise<void> {
    if (this.#closed && this.#clients.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  /** `close()` then `waitClosed()`, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
    await this.waitClosed();
  }

  /** @returns `<Server addresses=[...]>`. */
  toString(): string {
    return `<Server addresses=${JSON.stringify(this.addresses())}>`;
  }

  readonly #onConnection = (socket: Socket): void => {
    if (this.#serving) this.#serve(socket);
    else {
      socket.pause();
      this.#pending.push(socket);
    }
  };

  readonly #onListenerError = (error: Error): void => {
    const message = "Accept error on a listening socket";
    if (this.#init.onError === undefined) console.error(message, error);
    else this.#init.onError(error, { message });
  };

  #serve(socket: Socket): void {
    const init = this.#init;
    if (init.noDelay && typeof socket.setNoDelay === "function") socket.setNoDelay(true);
    const reader = new StreamReader({ limit: init.limit, search: nodeByteSearch });
    const protocol = new StreamReaderProtocol(reader, { onClient: init.onClient, onError: init.onError });
    const transport = new SocketTransport(socket, {
      writeBufferLimits: init.writeBufferLimits,
      onDetach: this.#detach,
      serverSide: true,
      extraInfo: init.extraInfo,
    });
    this.#clients.add(transport);
    if (diagnostics.accept.hasSubscribers) {
      const message: NetAcceptMessage = { transport, reader, server: this };
      diagnostics.accept.publish(message);
    }
    transport.setProtocol(protocol);
    protocol.connectionMade(transport);
    socket.resume(); // sockets accepted before startServing() were paused
  }

  readonly #detach = (transport: SocketTransport): void => {
    this.#clients.delete(transport);
    this.#maybeWakeWaiters();
  };

  #maybeWakeWaiters(): void {
    if (!this.#closed || this.#clients.size > 0) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
