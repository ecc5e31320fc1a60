import { resolveWriteBufferLimits } from "@asyncstreams/protocol";
import type { WriteBufferLimits } from "@asyncstreams/protocol";
import { StreamReader } from "@asyncstreams/reader";
import { checkOptions } from "./_check-options.js";
import { loadStack } from "./_load-stack.js";
import type { StackConnection } from "./_stack.js";
import { alpnList, pemList } from "./_tls-options.js";
import { transportDefaults } from "./_transport-defaults.js";
import type { QuicConnection } from "./quic-connection.js";
import { QuicServer } from "./quic-server.js";
import type { QuicServerErrorHandler, QuicStreamCallback } from "./quic-server.js";

/**
 * TLS options of a QUIC server.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import type { QuicServerTlsOptions } from "@asyncstreams/quic";
 *
 * const tls: QuicServerTlsOptions = {
 *   key: readFileSync("server-key.pem", "utf8"),
 *   cert: readFileSync("server.pem", "utf8"), // the leaf first, then any intermediates
 *   alpnProtocols: ["kv/1"],
 * };
 * console.log(tls.alpnProtocols); // ["kv/1"]
 * ```
 */
export interface QuicServerTlsOptions {
  /** The private key (PEM). */
  key: string | Uint8Array;
  /** The certificate chain (PEM), leaf first. */
  cert: string | Uint8Array;
  /** The application protocols accepted (required: QUIC has no default). */
  alpnProtocols: readonly string[];
}

/**
 * Options of {@linkcode startQuicServer}.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import type { StartQuicServerOptions } from "@asyncstreams/quic";
 *
 * const options: StartQuicServerOptions = {
 *   host: "127.0.0.1",
 *   port: 0,
 *   tls: {
 *     key: readFileSync("server-key.pem", "utf8"),
 *     cert: readFileSync("server.pem", "utf8"),
 *     alpnProtocols: ["kv/1"],
 *   },
 *   maxConnections: 1_000, // more are closed with code 2
 * };
 * console.log(options.port); // 0: any free UDP port
 * ```
 */
export interface StartQuicServerOptions {
  /** The host to listen on. Default `"::"`: every interface. */
  host?: string | undefined;
  /** The UDP port; 0 (the default) picks a free one, see `server.addresses()`. */
  port?: number | undefined;
  /** Key, certificate and ALPN. */
  tls: QuicServerTlsOptions;
  /** Called with each new connection before its streams are served (HTTP/3 keeps state there). */
  onConnection?: ((connection: QuicConnection) => void | Promise<void>) | undefined;
  /** Called when a stream callback or `onConnection` throws or rejects. Default `console.error`. */
  onError?: QuicServerErrorHandler | undefined;
  /** Connections served at once; more are closed with code 2. Default 10_000. */
  maxConnections?: number | undefined;
  /** Streams of each kind a client may have open at once (QUIC stream credit). Default 100. */
  maxStreams?: number | undefined;
  /** Close a connection after this many ms without packets; 0: never. Default 30_000. */
  idleTimeout?: number | undefined;
  /**
   * Send a PING after this many idle ms; 0: never. Must be below `idleTimeout` (when both are above
   * 0). Default 10_000, or half of a shorter `idleTimeout`.
   */
  keepAliveInterval?: number | undefined;
  /** Each stream's reader limit. Default 64 KiB. */
  limit?: number | undefined;
  /** Each stream's write-buffer water marks. */
  writeBufferLimits?: Partial<WriteBufferLimits> | undefined;
}

const OPTIONS = [
  "host",
  "port",
  "tls",
  "onConnection",
  "onError",
  "maxConnections",
  "maxStreams",
  "idleTimeout",
  "keepAliveInterval",
  "limit",
  "writeBufferLimits",
];
const TLS_OPTIONS = ["key", "cert", "alpnProtocols"];

/**
 * asyncio's `start_server()` over QUIC: listens on UDP and calls `clientConnected(reader, writer,
 * connection)` for each stream a client opens (bidirectional or unidirectional). Pass `null` to
 * take the streams yourself from `connection.incomingStreams` in `onConnection`. The stack is the
 * runtime's: `@matrixai/quic` on Node, Deno's own QUIC on Deno (`--unstable-net`).
 *
 * Cancel safety: it takes no signal: abandoning the promise does not stop the server from starting and
 * serving, so await it and close the server it resolves to. When it rejects (a bad option, a port in
 * use), nothing is left listening.
 *
 * @param clientConnected Called with each stream's reader and writer, or `null`.
 * @param options Where to listen, TLS and per-connection settings.
 * @returns The listening server.
 * @throws {TypeError} On a missing or unknown option, a `host` that is not a non-empty string, no
 *   ALPN protocols, or (on Node) a `tls.key` and `tls.cert` that do not parse or do not belong
 *   together: checked before the socket is bound, since the stack would start and then fail
 *   every handshake.
 * @throws {RangeError} On a bad number (`port`, a timeout, `limit`, `writeBufferLimits`).
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { openQuicConnection, startQuicServer } from "@asyncstreams/quic";
 *
 * const pem = (file: string): string => readFileSync(file, "utf8"); // ca.pem trusts server.pem (localhost)
 * await using server = await startQuicServer(
 *   async (reader, writer) => {
 *     for await (const line of reader) writer.write(line); // echo lines until FIN
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
 * writer.write(new TextEncoder().encode("one\ntwo\n"));
 * writer.writeEof();
 * console.log(new TextDecoder().decode(await reader.read())); // "one\ntwo\n"
 * ```
 */
export async function startQuicServer(
  clientConnected: QuicStreamCallback | null,
  options: StartQuicServerOptions,
): Promise<QuicServer> {
  const action = "Cannot start a QUIC server";
  if (clientConnected !== null && typeof clientConnected !== "function")
    throw new TypeError(`${action}: clientConnected must be a function or null`);
  checkOptions(action, options, OPTIONS);
  if (options === undefined || typeof options.tls !== "object" || options.tls === null)
    throw new TypeError(`${action}: tls with key, cert and alpnProtocols is required`);
  const { tls } = options;
  checkOptions(`${action}: tls`, tls, TLS_OPTIONS);
  const key = pemList(tls.key, "key")?.[0];
  const cert = pemList(tls.cert, "cert")?.[0];
  if (key === undefined || cert === undefined) throw new TypeError(`${action}: tls.key and tls.cert are required`);
  const alpnProtocols = alpnList(action, tls.alpnProtocols);
  const host: unknown = options.host === undefined ? "::" : options.host; // null is no default
  if (typeof host !== "string" || host === "") throw new TypeError(`${action}: host must be a non-empty string`);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new RangeError(`${action}: port must be an integer from 0 to 65535, not ${String(port)}`);
  const maxConnections = options.maxConnections ?? 10_000;
  if (!Number.isInteger(maxConnections) || maxConnections < 1)
    throw new RangeError(`${action}: maxConnections must be an integer >= 1, not ${String(maxConnections)}`);
  for (const name of ["onConnection", "onError"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "function")
      throw new TypeError(`${action}: ${name} must be a function`);
  }
  const defaults = transportDefaults(action, options, alpnProtocols);
  void new StreamReader({ limit: options.limit }); // a bad limit fails before any socket is bound
  // The same for the water marks: else each stream would fail as it opens (on a server, out of the
  // stack's event handler, where nobody can catch it).
  if (options.writeBufferLimits !== undefined) resolveWriteBufferLimits(options.writeBufferLimits);

  const stack = await loadStack();
  // Connections that complete their handshake before the server object exists wait here.
  const early: StackConnection[] = [];
  const made: { server?: QuicServer } = {};
  const listening = await stack.listen({ ...defaults, host, port, key, cert }, (connection) => {
    if (made.server === undefined) early.push(connection);
    else made.server.accept(connection);
  });
  const server = new QuicServer(listening, {
    stackName: stack.name,
    clientConnected,
    onConnection: options.onConnection,
    onError: options.onError,
    limit: options.limit,
    writeBufferLimits: options.writeBufferLimits,
    maxConnections,
  });
  made.server = server;
  for (const connection of early.splice(0)) server.accept(connection);
  return server;
}
