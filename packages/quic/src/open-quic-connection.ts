import { resolveWriteBufferLimits } from "@asyncstreams/protocol";
import type { WriteBufferLimits } from "@asyncstreams/protocol";
import { StreamReader } from "@asyncstreams/reader";
import { checkOptions, durationOption } from "./_check-options.js";
import { loadStack } from "./_load-stack.js";
import { QuicConnection } from "./quic-connection.js";
import { QuicHandshakeError } from "./quic-handshake-error.js";
import { transportDefaults } from "./_transport-defaults.js";
import { alpnList, pemList } from "./_tls-options.js";

/**
 * TLS options of a QUIC client. QUIC always runs TLS 1.3 and needs ALPN.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import type { QuicClientTlsOptions } from "@asyncstreams/quic";
 *
 * // Trust the CA that signed the server's certificate, check its name, offer one protocol.
 * const tls: QuicClientTlsOptions = {
 *   ca: readFileSync("ca.pem", "utf8"),
 *   serverName: "localhost",
 *   alpnProtocols: ["kv/1"],
 * };
 * console.log(tls.alpnProtocols); // ["kv/1"]
 * ```
 */
export interface QuicClientTlsOptions {
  /** The application protocols offered, in order (required: QUIC has no default). */
  alpnProtocols: readonly string[];
  /** Certificate authorities (PEM) to trust instead of the system's. */
  ca?: string | Uint8Array | readonly (string | Uint8Array)[] | undefined;
  /**
   * The name checked against the certificate. Defaults to `host`. On Node it is required when
   * `host` is an IP address: the Node stack (quiche) checks DNS names only.
   */
  serverName?: string | undefined;
  /** Verify the server's certificate and name. Default `true`; `false` only for tests. */
  rejectUnauthorized?: boolean | undefined;
}

/**
 * Options of {@linkcode openQuicConnection}.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import type { OpenQuicConnectionOptions } from "@asyncstreams/quic";
 *
 * const options: OpenQuicConnectionOptions = {
 *   host: "127.0.0.1",
 *   port: 4433,
 *   tls: { ca: readFileSync("ca.pem", "utf8"), serverName: "localhost", alpnProtocols: ["kv/1"] },
 *   handshakeTimeout: 5_000, // a QuicHandshakeError after 5 s instead of 60 s
 * };
 * console.log(options.tls.serverName); // "localhost"
 * ```
 */
export interface OpenQuicConnectionOptions {
  /** The server's host name or IP address. */
  host: string;
  /** The server's UDP port. */
  port: number;
  /** Certificates, server name and ALPN. */
  tls: QuicClientTlsOptions;
  /** Give up the handshake after this many ms (a `QuicHandshakeError`). Default 60_000. */
  handshakeTimeout?: number | undefined;
  /** Close after this many ms without packets (the lower of both sides' wins); 0: never. Default 30_000. */
  idleTimeout?: number | undefined;
  /**
   * Send a PING after this many idle ms so that the connection stays up; 0: never. Must be below
   * `idleTimeout` (when both are above 0). Default 10_000, or half of a shorter `idleTimeout`.
   */
  keepAliveInterval?: number | undefined;
  /** Streams of each kind the peer may have open at once (QUIC stream credit). Default 100. */
  maxStreams?: number | undefined;
  /** Each stream's reader limit. Default 64 KiB. */
  limit?: number | undefined;
  /** Each stream's write-buffer water marks. */
  writeBufferLimits?: Partial<WriteBufferLimits> | undefined;
  /** Aborts the handshake. */
  signal?: AbortSignal | undefined;
}

const OPTIONS = [
  "host",
  "port",
  "tls",
  "handshakeTimeout",
  "idleTimeout",
  "keepAliveInterval",
  "maxStreams",
  "limit",
  "writeBufferLimits",
  "signal",
];
const TLS_OPTIONS = ["alpnProtocols", "ca", "serverName", "rejectUnauthorized"];

/**
 * Opens a QUIC connection: the handshake (TLS 1.3, certificate and name verified by default),
 * then a {@linkcode QuicConnection} whose streams are asyncio `(reader, writer)` pairs. The
 * stack is the runtime's: `@matrixai/quic` on Node, Deno's own QUIC on Deno (`--unstable-net`).
 *
 * @param options Where, TLS, timeouts and per-stream settings.
 * @returns The open connection.
 * @throws {TypeError} On a missing or unknown option, or no ALPN protocols.
 * @throws {RangeError} On a bad number (`port`, a timeout, `limit`, `writeBufferLimits`).
 * @throws {QuicHandshakeError} When the handshake fails or times out.
 * @throws `signal.reason` when the signal aborts first.
 *
 * Cancel safety: aborting `signal` (or `handshakeTimeout` passing) stops the handshake, frees its UDP
 * socket and rejects with `signal.reason` (or a `QuicHandshakeError` with code
 * `ERR_ASYNCSTREAMS_QUIC_HANDSHAKE_TIMEOUT`); a connection the stack completes anyway is closed at once, so none is
 * left behind. Once the promise has resolved, the signal no longer matters: close the connection to end it.
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
 * const conn = await openQuicConnection({
 *   host: "127.0.0.1",
 *   port: server.addresses()[0]!.port,
 *   tls: { ca: pem("ca.pem"), serverName: "localhost", alpnProtocols: ["echo"] },
 *   signal: AbortSignal.timeout(10_000),
 * });
 * const { reader, writer } = await conn.openStream();
 * writer.write(new TextEncoder().encode("PING\n"));
 * console.log(new TextDecoder().decode(await reader.readLine())); // "PING\n"
 * writer.writeEof(); // FIN: the server's loop ends, and it closes its side of the stream
 * console.log(await reader.read()); // Uint8Array []: EOF
 * conn.close();
 * ```
 */
export async function openQuicConnection(options: OpenQuicConnectionOptions): Promise<QuicConnection> {
  const action = "Cannot open a QUIC connection";
  checkOptions(action, options, OPTIONS);
  if (options === undefined) throw new TypeError(`${action}: options with host, port and tls are required`);
  const { host, port, tls, signal } = options;
  if (typeof host !== "string" || host === "") throw new TypeError(`${action}: host must be a non-empty string`);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new RangeError(`${action}: port must be an integer from 1 to 65535, not ${String(port)}`);
  if (typeof tls !== "object" || tls === null) throw new TypeError(`${action}: tls with alpnProtocols is required`);
  checkOptions(`${action}: tls`, tls, TLS_OPTIONS);
  const alpnProtocols = alpnList(action, tls.alpnProtocols);
  if (tls.serverName !== undefined && (typeof tls.serverName !== "string" || tls.serverName === ""))
    throw new TypeError(`${action}: tls.serverName must be a non-empty string`);
  if (tls.rejectUnauthorized !== undefined && typeof tls.rejectUnauthorized !== "boolean")
    throw new TypeError(`${action}: tls.rejectUnauthorized must be a boolean`);
  const handshakeTimeout = durationOption(action, "handshakeTimeout", options.handshakeTimeout, 60_000);
  const defaults = transportDefaults(action, options, alpnProtocols);
  void new StreamReader({ limit: options.limit }); // a bad limit fails before any packet is sent
  // The same for the water marks: else each stream would fail as it opens (on a server, out of the
  // stack's event handler, where nobody can catch it).
  if (options.writeBufferLimits !== undefined) resolveWriteBufferLimits(options.writeBufferLimits);
  signal?.throwIfAborted();

  const stack = await loadStack();
  const controller = new AbortController();
  const where = `${action} to ${host}:${port}`;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_resolve, reject) => {
    const fail = (error: unknown): void => {
      controller.abort(error);
      reject(error);
    };
    if (handshakeTimeout > 0) {
      timer = setTimeout(
        () =>
          fail(
            new QuicHandshakeError(
              "ERR_ASYNCSTREAMS_QUIC_HANDSHAKE_TIMEOUT",
              `${where}: the handshake did not finish within ${handshakeTimeout} ms`,
            ),
          ),
        handshakeTimeout,
      );
    }
    onAbort = () => fail(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
  stopped.catch(() => undefined);
  const connecting = stack.connect({
    ...defaults,
    host,
    port,
    serverName: tls.serverName,
    ca: pemList(tls.ca, "ca"),
    verify: tls.rejectUnauthorized ?? true,
    signal: controller.signal,
  });
  // After a timeout or an abort the stack still settles: a late connection is closed at once.
  connecting.then(
    (late) => controller.signal.aborted && void late.close(0n, "").catch(() => undefined),
    () => undefined,
  );
  try {
    const connection = await Promise.race([connecting, stopped]);
    return new QuicConnection({
      stack: connection,
      stackName: stack.name,
      limit: options.limit,
      writeBufferLimits: options.writeBufferLimits,
    });
  } catch (error) {
    if (controller.signal.aborted || error instanceof TypeError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new QuicHandshakeError(
      "ERR_ASYNCSTREAMS_QUIC_HANDSHAKE_FAILED",
      `${where}: the handshake failed: ${detail}`,
      {
        cause: error,
      },
    );
  } finally {
    clearTimeout(timer);
    // A long-lived signal (a whole program's) must not keep this attempt's closure alive.
    if (onAbort !== undefined) signal?.removeEventListener("abort", onAbort);
  }
}
