import type { Server as NetServer, Socket } from "node:net";
import type { ClientConnectedCallback, WriteBufferLimits } from "@asyncstreams/protocol";
import { StreamReader } from "@asyncstreams/reader";
import { listenTargets, openListener } from "./_listen-targets.js";
import { checkMaxConnections } from "./_check-max-connections.js";
import { Server } from "./server.js";
import { OPTION_NAMES, checkOptions } from "./_check-options.js";
import { supportsReusePort } from "./_supports-reuse-port.js";
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
  /** SO_REUSEPORT, where the system supports it. Needs Node 22.12+ or 23.1+: a `TypeError` before. */
  reusePort?: boolean | undefined;
  /**
   * asyncio's `family`: 4 or 6 listens only on that family's addresses of `host` (with no host,
   * on `0.0.0.0` or `::`, the latter IPv6-only as in asyncio); 0 or unset, on every address.
   */
  family?: 0 | 4 | 6 | undefined;
  /**
   * asyncio's `sock=`: a listening socket to adopt instead of `host`/`port`: a `net.Server`, or a
   * `net.Socket` that owns a listening handle (a pre-fork parent's).
   */
  socket?: NetServer | Socket | undefined;
  /** A listening file descriptor to adopt (systemd socket activation passes 3 and up). */
  fd?: number | undefined;
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
 * Cancel safety: aborting `signal` while binding closes every listener bound so far and rejects with
 * `signal.reason`; once the server is returned the signal no longer applies (stop it with `close()`, or
 * serve with `serveForever({ signal })`).
 *
 * @param onClient Called with each connection's reader and writer.
 * @param options Where to listen and per-connection settings.
 * @returns The listening server.
 * @throws {RangeError} When `limit` is not greater than 0, or `maxConnections` not an integer of 1 or more.
 * @throws {TypeError} When an option name is unknown (`tls` and `ssl` included: see `@asyncstreams/tls`),
 *   or `reusePort` is set on a Node version that would ignore it.
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
export async function startServer(
  onClient: ClientConnectedCallback,
  options: StartServerOptions = {},
): Promise<Server> {
  if (typeof onClient !== "function") throw new TypeError("Cannot start a server: onClient must be a function");
  checkOptions("Cannot start a server", options, OPTION_NAMES.startServer);
  if (options.reusePort === true && !supportsReusePort(process.versions.node)) {
    // Older Node versions ignore the listen option: the second server would fail with EADDRINUSE
    // (or, worse, a load-balancing setup would silently run one process).
    throw new TypeError(
      `Cannot start a server: reusePort needs Node 22.12 or 23.1 and later, and this is Node ${process.versions.node}; drop the option or upgrade Node`,
    );
  }
  void new StreamReader({ limit: options.limit }); // a bad limit fails before any socket is bound
  checkMaxConnections(options.maxConnections);
  const targets = await listenTargets("Cannot start a server", options);
  const listeners: NetServer[] = [];
  try {
    for (const target of targets)
      listeners.push(await openListener(target, options.keepAlive ?? false, options.signal));
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
