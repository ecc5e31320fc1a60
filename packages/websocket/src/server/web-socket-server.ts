import type { IncomingMessage, Server as HttpServer } from "node:http";
import type { Server as HttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { ByteSearch } from "@asyncstreams/buffer";
import { nodeByteSearch, type ServerAddress } from "@asyncstreams/net";
import { createStreams, type Transport, type WriteBufferLimits } from "@asyncstreams/protocol";
import { StreamReader } from "@asyncstreams/reader";
import type { StreamReader as Reader } from "@asyncstreams/reader";
import type { StreamWriter } from "@asyncstreams/writer";
import type { KeepAliveOptions } from "../keep-alive-options.js";
import type { WsSocket } from "../_ws-socket.js";
import { checkFunction } from "../_check-options.js";
import { WebSocketTransport } from "../web-socket-transport.js";
import { pathnameOf } from "./_pathname-of.js";
import { refusalStatus, refuseUpgrade } from "./_refuse-upgrade.js";

/**
 * Runs once per connection, with the upgrade request (URL, headers, the socket's addresses).
 * A rejection is reported to `onError` and closes that connection.
 */
export type WebSocketClientCallback = (
  reader: Reader,
  writer: StreamWriter,
  request: IncomingMessage,
) => void | Promise<void>;

/** Receives a client callback's failure (with its `transport`) or a failed `authorize`. */
export type WebSocketServerErrorHandler = (
  error: unknown,
  context: { message: string; transport?: Transport | undefined; request?: IncomingMessage | undefined },
) => void;

/** The part of `ws`'s `WebSocketServer` (in `noServer` mode) a {@linkcode WebSocketServer} uses. */
export interface UpgradeHandler {
  /** Completes the upgrade and calls back with the `ws` socket. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, callback: (socket: WsSocket) => void): void;
  /** Releases it. */
  close(): void;
}

/** What a {@linkcode WebSocketServer} needs; made by `startWebSocketServer()`. */
export interface WebSocketServerInit {
  /** The HTTP(S) server whose `upgrade` events are served. */
  httpServer: HttpServer | HttpsServer;
  /** Whether `httpServer` was made for this server (then `close()` closes it). */
  ownsHttpServer: boolean;
  /** `ws`'s server, in `noServer` mode. */
  wss: UpgradeHandler;
  onClient: WebSocketClientCallback;
  onError: WebSocketServerErrorHandler | undefined;
  path: string | undefined;
  authorize: ((request: IncomingMessage) => boolean | number | Promise<boolean | number>) | undefined;
  limit: number | undefined;
  /** Each connection's `maxReadBuffer` (see `WebSocketTransport`). */
  maxReadBuffer?: number | undefined;
  /** Each connection's reader search. Default: `nodeByteSearch`. */
  search?: ByteSearch | undefined;
  writeBufferLimits: Partial<WriteBufferLimits> | undefined;
  keepAlive: KeepAliveOptions | undefined;
}

/**
 * asyncio's `Server` for WebSockets: serves each upgrade on one HTTP(S) server (its own, or one you
 * attached to) and hands each connection to the client callback as `(reader, writer, request)`,
 * tracking every live connection.
 *
 * - `close()` stops accepting upgrades (an own HTTP server stops listening; an attached one is left
 *   alone) and leaves live connections open; `closeClients()` closes them with 1000 (after
 *   flushing), `abortClients()` drops them.
 * - `waitClosed()` resolves once the server is closed AND every connection is gone.
 * - `await using server = await startWebSocketServer(...)` closes and waits at the end of the scope.
 *
 * @example
 * ```ts
 * import { startWebSocketServer } from "@asyncstreams/websocket/server";
 *
 * await using server = await startWebSocketServer(async (reader, writer) => {
 *   writer.write(await reader.readLine());
 *   writer.close();
 * }, { host: "127.0.0.1", port: 0 });
 * console.log(server.addresses()); // e.g. [{ address: "127.0.0.1", family: "IPv4", port: 43567 }]
 * ```
 */
export class WebSocketServer implements AsyncDisposable {
  readonly #init: WebSocketServerInit;
  readonly #clients = new Set<WebSocketTransport>();
  #closed = false;
  #waiters: (() => void)[] = [];

  /**
   * @param init The HTTP server and per-connection settings; use `startWebSocketServer()` instead.
   * @throws {TypeError} When `onClient`, `onError` or `authorize` is not a function.
   */
  constructor(init: WebSocketServerInit) {
    const action = "Cannot make a WebSocketServer";
    // A hook found broken at the first upgrade would fail inside an event listener, far from here.
    if (typeof init.onClient !== "function") throw new TypeError(`${action}: onClient must be a function`);
    checkFunction(init.onError, "onError", action);
    checkFunction(init.authorize, "authorize", action);
    this.#init = init;
    init.httpServer.on("upgrade", this.#onUpgrade);
  }

  /**
   * The addresses the HTTP server listens on; empty once closed.
   *
   * @returns One entry, or none when the server is closed or not listening.
   *
   * @example
   * ```ts
   * import { startWebSocketServer } from "@asyncstreams/websocket/server";
   *
   * const server = await startWebSocketServer((_reader, writer) => writer.close(), { host: "127.0.0.1", port: 0 });
   * const address = server.addresses()[0];
   * if (typeof address !== "object") throw new TypeError("a server on a port, not a path");
   * console.log(address.address); // "127.0.0.1"
   * console.log(`ws://${address.address}:${address.port}/`); // e.g. "ws://127.0.0.1:43567/"
   * server.close();
   * console.log(server.addresses()); // []
   * await server.waitClosed();
   * ```
   */
  addresses(): ServerAddress[] {
    if (this.#closed) return [];
    const address = this.#init.httpServer.address();
    if (address === null) return [];
    return [typeof address === "string" ? address : { ...(address satisfies AddressInfo) }];
  }

  /**
   * Tells whether upgrades are being served.
   *
   * @returns `true` until `close()`.
   *
   * @example
   * ```ts
   * import { startWebSocketServer } from "@asyncstreams/websocket/server";
   *
   * const server = await startWebSocketServer((_reader, writer) => writer.close(), { host: "127.0.0.1", port: 0 });
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
   * Stops accepting upgrades. Live connections stay open; see `closeClients()` and
   * `abortClients()`. Idempotent.
   *
   * @example
   * ```ts
   * import { openWebSocketConnection, type WebSocketConstructor } from "@asyncstreams/websocket";
   * import { startWebSocketServer } from "@asyncstreams/websocket/server";
   * import WebSocket from "ws"; // Node 20; Node 22+, Deno, Bun and browsers have a global WebSocket
   *
   * const server = await startWebSocketServer(
   *   async (reader, writer) => {
   *     for await (const line of reader) writer.write(line);
   *     writer.close();
   *   },
   *   { host: "127.0.0.1", port: 0 },
   * );
   * const { port } = server.addresses()[0] as { port: number };
   * const client = await openWebSocketConnection(`ws://127.0.0.1:${port}/`, {
   *   WebSocket: WebSocket as unknown as WebSocketConstructor,
   * });
   * server.close(); // no new upgrades; this connection goes on
   * client.writer.write(new TextEncoder().encode("still here\n"));
   * console.log(new TextDecoder().decode(await client.reader.readLine())); // "still here\n"
   * client.writer.close();
   * await server.waitClosed();
   * ```
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#init.httpServer.off("upgrade", this.#onUpgrade);
    if (this.#init.ownsHttpServer) {
      this.#init.httpServer.close();
      this.#init.httpServer.closeIdleConnections();
    }
    this.#init.wss.close();
    this.#maybeWakeWaiters();
  }

  /**
   * Closes every live connection with 1000, after flushing what each has buffered. Call `close()` first.
   *
   * @example
   * ```ts
   * import { openWebSocketConnection, type WebSocketConstructor } from "@asyncstreams/websocket";
   * import { startWebSocketServer } from "@asyncstreams/websocket/server";
   * import WebSocket from "ws"; // Node 20; Node 22+, Deno, Bun and browsers have a global WebSocket
   *
   * const server = await startWebSocketServer(
   *   async (reader, writer) => {
   *     writer.write(new TextEncoder().encode("bye\n"));
   *     await reader.read(); // until EOF: this handler never ends on its own
   *   },
   *   { host: "127.0.0.1", port: 0 },
   * );
   * const { port } = server.addresses()[0] as { port: number };
   * const client = await openWebSocketConnection(`ws://127.0.0.1:${port}/`, {
   *   WebSocket: WebSocket as unknown as WebSocketConstructor,
   * });
   * server.close();
   * server.closeClients(); // close code 1000, after what was written: the client reads it, then EOF
   * console.log(new TextDecoder().decode(await client.reader.read())); // "bye\n"
   * await server.waitClosed();
   * ```
   */
  closeClients(): void {
    for (const transport of [...this.#clients]) transport.close();
  }

  /**
   * Drops every live connection at once (`ws.terminate()`), losing what each has buffered. Call `close()` first.
   *
   * @example
   * ```ts
   * import { openWebSocketConnection, type WebSocketConstructor } from "@asyncstreams/websocket";
   * import { startWebSocketServer } from "@asyncstreams/websocket/server";
   * import WebSocket from "ws"; // Node 20; Node 22+, Deno, Bun and browsers have a global WebSocket
   *
   * const server = await startWebSocketServer(
   *   async (reader, writer) => {
   *     writer.write(new TextEncoder().encode("ready\n"));
   *     await reader.read(); // until EOF: this handler never ends on its own
   *   },
   *   { host: "127.0.0.1", port: 0 },
   * );
   * const { port } = server.addresses()[0] as { port: number };
   * const client = await openWebSocketConnection(`ws://127.0.0.1:${port}/`, {
   *   WebSocket: WebSocket as unknown as WebSocketConstructor,
   * });
   * await client.reader.readLine(); // "ready\n"
   * server.close();
   * server.abortClients(); // ws.terminate(): no closing handshake, the client sees a reset
   * const error = await client.reader.read().catch((reason: unknown) => reason);
   * console.log((error as Error).name, (error as { closeCode?: number }).closeCode); // "ConnectionResetError" 1006
   * await server.waitClosed();
   * ```
   */
  abortClients(): void {
    for (const transport of [...this.#clients]) transport.abort();
  }

  /**
   * Waits until the server is closed and every connection has ended.
   *
   * Cancel safety: it takes no signal and only observes: abandoning the wait changes nothing about the
   * server or its connections (it does not close them either; see `closeClients()`).
   *
   * @returns A promise that resolves then; at once if that already happened.
   *
   * @example
   * ```ts
   * import { openWebSocketConnection, type WebSocketConstructor } from "@asyncstreams/websocket";
   * import { startWebSocketServer } from "@asyncstreams/websocket/server";
   * import WebSocket from "ws"; // Node 20; Node 22+, Deno, Bun and browsers have a global WebSocket
   *
   * const server = await startWebSocketServer(
   *   async (reader, writer) => {
   *     for await (const line of reader) writer.write(line);
   *     writer.close();
   *   },
   *   { host: "127.0.0.1", port: 0 },
   * );
   * const { port } = server.addresses()[0] as { port: number };
   * const client = await openWebSocketConnection(`ws://127.0.0.1:${port}/`, {
   *   WebSocket: WebSocket as unknown as WebSocketConstructor,
   * });
   * server.close();
   * let closed = false;
   * const waiting = server.waitClosed().then(() => (closed = true));
   * client.writer.write(new TextEncoder().encode("ping\n"));
   * console.log(new TextDecoder().decode(await client.reader.readLine())); // "ping\n"
   * console.log(closed); // false: a connection is still open
   * client.writer.close();
   * await waiting;
   * console.log(closed); // true
   * ```
   */
  waitClosed(): Promise<void> {
    if (this.#closed && this.#clients.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  /**
   * `close()` then `waitClosed()`, for `await using`.
   *
   * Cancel safety: abandoning it changes nothing: the close it started goes on.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
    await this.waitClosed();
  }

  /** @returns `<WebSocketServer addresses=[...]>`. */
  toString(): string {
    return `<WebSocketServer addresses=${JSON.stringify(this.addresses())}>`;
  }

  readonly #onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const { path, ownsHttpServer } = this.#init;
    if (path !== undefined) {
      const pathname = pathnameOf(request.url);
      // On an attached server, other upgrade listeners may serve other paths (or understand this URL).
      if (pathname === undefined) {
        if (ownsHttpServer) refuseUpgrade(socket, 400, { destroy: true });
        return;
      }
      if (pathname !== path) {
        if (ownsHttpServer) refuseUpgrade(socket, 404);
        return;
      }
    }
    // An 'upgrade' listener's rejection would be unhandled and end the process: a throwing hook
    // (selectProtocol, onError, ws itself) refuses this one upgrade instead.
    this.#upgrade(request, socket, head).catch((error: unknown) => {
      this.#report(error, { message: "the upgrade failed; it was refused with 500", request });
      refuseUpgrade(socket, 500);
    });
  };

  async #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    let status: number | undefined;
    try {
      status = this.#init.authorize === undefined ? undefined : refusalStatus(await this.#init.authorize(request));
    } catch (error) {
      this.#report(error, { message: "authorize failed; the upgrade was refused with 500", request });
      status = 500;
    }
    if (this.#closed) status = 503;
    if (status !== undefined) {
      refuseUpgrade(socket, status);
      return;
    }
    if (socket.destroyed) return;
    this.#init.wss.handleUpgrade(request, socket, head, (ws: WsSocket) => {
      try {
        this.#serve(ws, request);
      } catch (error) {
        // The 101 is sent: the socket speaks WebSocket now, so no HTTP status can refuse it.
        this.#report(error, { message: "serving the connection failed; it was dropped", request });
        ws.terminate();
      }
    });
  }

  #serve(ws: WsSocket, request: IncomingMessage): void {
    const init = this.#init;
    if (this.#closed) {
      ws.close(1001, "server closed");
      return;
    }
    const remote = request.socket;
    const transport = new WebSocketTransport(ws, {
      writeBufferLimits: init.writeBufferLimits,
      maxReadBuffer: init.maxReadBuffer,
      keepAlive: init.keepAlive,
      url: request.url,
      extraInfo: {
        request,
        peername: remote.remoteAddress === undefined ? undefined : [remote.remoteAddress, remote.remotePort],
        sockname: remote.localAddress === undefined ? undefined : [remote.localAddress, remote.localPort],
      },
    });
    this.#clients.add(transport);
    ws.on("close", () => {
      this.#clients.delete(transport);
      this.#maybeWakeWaiters();
    });
    const reader = new StreamReader({ limit: init.limit, search: init.search ?? nodeByteSearch });
    const { writer } = createStreams(transport, { reader });
    Promise.resolve()
      .then(() => init.onClient(reader, writer, request))
      .catch((error: unknown) => {
        // asyncio: "Unhandled exception in client_connected_cb", and that transport is closed.
        this.#report(error, { message: "Unhandled exception in client_connected_cb", transport, request });
        transport.close();
      });
  }

  #report(
    error: unknown,
    context: { message: string; transport?: Transport | undefined; request?: IncomingMessage | undefined },
  ): void {
    const { onError } = this.#init;
    if (onError !== undefined) {
      try {
        onError(error, context);
        return;
      } catch (hookError) {
        // Reporting must not throw: it runs in event listeners, where a throw ends the process.
        console.error("WebSocketServer: onError threw while reporting an error", hookError);
      }
    }
    console.error(context.message, error);
  }

  #maybeWakeWaiters(): void {
    if (!this.#closed || this.#clients.size > 0) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}
