import { createServer, type IncomingMessage, type Server as HttpServer } from "node:http";
import type { Server as HttpsServer } from "node:https";
import { DEFAULT_LIMIT } from "@asyncstreams/reader";
import type { ByteSearch } from "@asyncstreams/buffer";
import { checkFunction, checkPositiveInteger } from "../_check-options.js";
import { prepareReader, STREAM_OPTIONS, type StreamOptions } from "../_streams-over-socket.js";
import { checkPath, checkPerMessageDeflate } from "./_check-server-options.js";
import type { PerMessageDeflateOptions } from "./per-message-deflate-options.js";
import {
  WebSocketServer,
  type UpgradeHandler,
  type WebSocketClientCallback,
  type WebSocketServerErrorHandler,
} from "./web-socket-server.js";

const OPTIONS = [
  ...STREAM_OPTIONS,
  "host",
  "port",
  "server",
  "path",
  "maxPayload",
  "authorize",
  "selectProtocol",
  "perMessageDeflate",
  "onError",
] as const;

/** Options for {@linkcode startWebSocketServer}. */
export interface StartWebSocketServerOptions extends StreamOptions {
  /** The address to listen on; unset listens on every interface. Not with `server`. */
  host?: string | undefined;
  /** The port; 0 (the default) picks a free one. Not with `server`. */
  port?: number | undefined;
  /** An HTTP or HTTPS server to attach to (its `upgrade` event) instead of listening on a new one. */
  server?: HttpServer | HttpsServer | undefined;
  /**
   * Only upgrades to this path are served (others get 404 on an own server, and are left to other
   * listeners on an attached one).
   */
  path?: string | undefined;
  /** Each connection's reader limit. Default 64 KiB. */
  limit?: number | undefined;
  /**
   * Bytes a connection may hold for a paused reader on a socket that cannot pause (see
   * `WebSocketTransport`); `ws`'s sockets pause, so it is a safety net only. Default 8 MiB.
   */
  maxReadBuffer?: number | undefined;
  /** The byte search each connection's reader uses. Default: Node's `Buffer.indexOf`. */
  search?: ByteSearch | undefined;
  /** The largest message accepted; a bigger one closes the connection with 1009. Default `16 × limit` (1 MiB). */
  maxPayload?: number | undefined;
  /**
   * Decides before upgrading, from the request (URL, `Origin` and other headers): `true` accepts,
   * `false` refuses with 403, a number refuses with that HTTP status (400-599).
   */
  authorize?: ((request: IncomingMessage) => boolean | number | Promise<boolean | number>) | undefined;
  /** Picks one of the subprotocols the client offered, or `false` for none. Default: none. */
  selectProtocol?: ((protocols: readonly string[], request: IncomingMessage) => string | false) | undefined;
  /** permessage-deflate compression: `true`, or `ws`'s settings for it. Default `false`. */
  perMessageDeflate?: boolean | PerMessageDeflateOptions | undefined;
  /** Receives client-callback failures and failed `authorize` calls. Default: `console.error`. */
  onError?: WebSocketServerErrorHandler | undefined;
}

/**
 * asyncio's `start_server()` over WebSockets (Node, on the `ws` package, an optional peer
 * dependency of this entry point only): listens, or attaches to an existing HTTP(S) server's
 * `upgrade` event, and runs `onClient(reader, writer, request)` for each connection.
 *
 * Cancel safety: it takes no signal: abandoning the promise does not stop the server from starting and
 * serving, so await it and close the server it resolves to. When it rejects, nothing is left listening.
 *
 * @param onClient Runs once per connection.
 * @param options Where to listen (or `server`), `path`, `limit`, `authorize`, `selectProtocol`, ...
 * @returns The serving server.
 * @throws {TypeError} For an unknown option or one of the wrong type (a hook that is not a function,
 *   a `path` not starting with `/`, ...), `server` with `host`/`port`, or when `ws` is not installed.
 * @throws {RangeError} When `limit`, `maxPayload` or another number is out of range.
 * @throws The listen error (`EADDRINUSE`, ...) of an own server.
 *
 * @example
 * ```ts
 * import { startWebSocketServer } from "@asyncstreams/websocket/server";
 *
 * const server = await startWebSocketServer(async (reader, writer, request) => {
 *   for await (const line of reader) writer.write(line);
 *   writer.close();
 * }, { host: "127.0.0.1", port: 0, path: "/echo", authorize: (request) => request.headers.origin === "https://example.com" || 403 });
 * console.log(server.addresses());
 * server.close();
 * await server.waitClosed();
 * ```
 */
export async function startWebSocketServer(
  onClient: WebSocketClientCallback,
  options: StartWebSocketServerOptions = {},
): Promise<WebSocketServer> {
  const action = "Cannot start a WebSocket server";
  prepareReader(options, OPTIONS, action); // checks the option names and the stream options
  if (typeof onClient !== "function") throw new TypeError(`${action}: onClient must be a function`);
  checkPositiveInteger(options.maxPayload, "maxPayload", action);
  checkPath(options.path, action);
  checkPerMessageDeflate(options.perMessageDeflate, action);
  for (const hook of ["authorize", "selectProtocol", "onError"] as const) checkFunction(options[hook], hook, action);
  if (options.server !== undefined && (options.host !== undefined || options.port !== undefined)) {
    throw new TypeError(`${action}: give either server (to attach to) or host and port (to listen on), not both`);
  }
  const wss = await makeWsServer(options, action);
  let httpServer = options.server;
  const ownsHttpServer = httpServer === undefined;
  if (httpServer === undefined) {
    const own = createServer((_request, response) => {
      response
        .writeHead(426, { "content-type": "text/plain", upgrade: "websocket", connection: "Upgrade" })
        .end("Upgrade Required: this is a WebSocket endpoint\n");
    });
    await new Promise<void>((resolve, reject) => {
      own.once("error", reject);
      own.listen(options.port ?? 0, options.host, () => {
        own.off("error", reject);
        resolve();
      });
    });
    httpServer = own;
  }
  return new WebSocketServer({
    httpServer,
    ownsHttpServer,
    wss,
    onClient,
    onError: options.onError,
    path: options.path,
    authorize: options.authorize,
    limit: options.limit,
    maxReadBuffer: options.maxReadBuffer,
    search: options.search,
    writeBufferLimits: options.writeBufferLimits,
    keepAlive: options.keepAlive,
  });
}

/** `ws`'s server in `noServer` mode, loaded only now: `ws` is an optional peer dependency. */
async function makeWsServer(options: StartWebSocketServerOptions, action: string): Promise<UpgradeHandler> {
  let ws: typeof import("ws");
  try {
    ws = await import("ws");
  } catch (error) {
    throw new TypeError(`${action}: it needs the ws package (npm install ws)`, { cause: error });
  }
  const { selectProtocol } = options;
  const server = new ws.WebSocketServer({
    noServer: true,
    clientTracking: false,
    maxPayload: options.maxPayload ?? 16 * (options.limit ?? DEFAULT_LIMIT),
    // ws hands zlibDeflateOptions to zlib, which takes every ZlibOptions; its own type is narrower.
    perMessageDeflate: (options.perMessageDeflate ?? false) as boolean | import("ws").PerMessageDeflateOptions,
    ...(selectProtocol === undefined
      ? {}
      : {
          handleProtocols: (protocols: Set<string>, request: IncomingMessage) =>
            selectProtocol([...protocols], request),
        }),
  });
  // ws's socket is a WsSocket: the WHATWG shape plus on/off, pause/resume, ping, terminate.
  return server as unknown as UpgradeHandler;
}
