import { createServer } from "node:net";
import type { Server as NetServer } from "node:net";
import type { ClientConnectedCallback, WriteBufferLimits } from "@asyncstreams/protocol";
import { StreamReader } from "@asyncstreams/reader";
import { DEFAULT_BACKLOG } from "./default-backlog.js";
import { checkMaxConnections } from "./_check-max-connections.js";
import { listen } from "./_listen.js";
import { Server } from "./server.js";
import type { ServerErrorHandler } from "./server.js";

/**
 * Options for {@linkcode startServer}.
 */
export interface StartServerOptions {
  /** The host or hosts to listen on; unset listens on every interface. */
  host?: string | readonly string[] | undefined;
  /** The port; 0 (the default) picks a free one, see `server.addresses()`. */
  port?: number | undefined;
  /** Each connection's reader limit. Default 64 KiB. */
  limit?: number | undefined;
  /** The listen backlog. Default {@linkcode DEFAULT_BACKLOG} (4,096, capped by the kernel; asyncio: 100). */
  backlog?: number | undefined;
  /** Start accepting before `startServer()` returns. Default `true`; see `server.startServing()`. */
  startServing?: boolean | undefined;
  /** Aborts while binding; the listeners are closed. */
  signal?: AbortSignal | undefined;
  /** Called when a client callback throws or rejects, or accepting fails. Default `console.error`. */
  onError?: ServerErrorHandler | undefined;
  /** TCP_NODELAY on accepted connections, as asyncio. Default `true`. */
  noDelay?: boolean | undefined;
  /** TCP keep-alive on accepted connections. */
  keepAlive?: boolean | undefined;
  /** SO_REUSEPORT, where the system supports it. */
  reusePort?: boolean | undefined;
  /** IPV6_V6ONLY for IPv6 hosts. */
  ipv6Only?: boolean | undefined;
  /** Write-buffer water marks of accepted connections. */
  writeBufferLimits?: Partial<WriteBufferLimits> | undefined;
  /**
   * The most connections served at once; one more is closed as soon as it is accepted, before it
   * reaches `onClient` (the client sees the connection end). Default: no limit.
   */
  maxConnections?: number | undefined;
}

/**
 * asyncio's `start_server()`: listens on TCP and calls `onClient(reader, writer)` for each
 * connection. `onClient` may be plain or async; when it throws or rejects, `onError` is called and
 * that connection is closed, and serving goes on. Connections are half-open capable and use
 * TCP_NODELAY, as in asyncio.
 *
 * @param onClient Called with each connection's reader and writer.
 * @param options Where to listen and per-connection settings.
 * @returns The listening server.
 * @throws {RangeError} When `limit` is not greater than 0, or `maxConnections` not an integer of 1 or more.
 * @throws {SocketError} When a host cannot be bound (`EADDRINUSE`, ...).
 *
 * @example
 * ```ts
 * import { startServer } from "@asyncstreams/net";
 *
 * await using server = await startServer(async (reader, writer) => {
 *   for await (const line of reader) writer.write(line); // echo lines until EOF
 *   writer.close();
 * }, { host: "127.0.0.1", port: 0 });
 * ```
 */
export async function startServer(onClient: ClientConnectedCallback, options: StartServerOptions = {}): Promise<Server> {
  if (typeof onClient !== "function") throw new TypeError("Cannot start a server: onClient must be a function");
  void new StreamReader({ limit: options.limit }); // a bad limit fails before any socket is bound
  checkMaxConnections(options.maxConnections);
  const hosts = options.host === undefined ? [undefined] : typeof options.host === "string" ? [options.host] : [...options.host];
  const listeners: NetServer[] = [];
  try {
    for (const host of hosts) {
      const listener = createServer({ allowHalfOpen: true, keepAlive: options.keepAlive ?? false, pauseOnConnect: true });
      listeners.push(listener);
      await listen(
        listener,
        {
          host,
          port: options.port ?? 0,
          backlog: options.backlog ?? DEFAULT_BACKLOG,
          reusePort: options.reusePort,
          ipv6Only: options.ipv6Only,
        },
        options.signal,
      );
    }
  } catch (error) {
    for (const listener of listeners) listener.close();
    throw error;
  }
  const server = new Server({
    listeners,
    onClient,
    onError: options.onError,
    limit: options.limit,
    noDelay: options.noDelay ?? true,
    writeBufferLimits: options.writeBufferLimits,
    maxConnections: options.maxConnections,
  });
  if (options.startServing !== false) await server.startServing();
  return server;
}
