import { openConnection as openPlainConnection } from "@asyncstreams/net";
import type { OpenConnectionOptions as PlainOptions } from "@asyncstreams/net";
import type { Streams } from "@asyncstreams/protocol";
import { CONNECTION_NAMES, checkTlsCall } from "./_check-tls-options.js";
import { startTlsOrClose } from "./_start-tls-or-close.js";
import type { TlsOptions } from "./tls-options.js";
import type { TlsTimeouts } from "./tls-timeouts.js";
import { asTlsCall } from "./_as-tls-call.js";

/**
 * Options for {@linkcode openConnection}: the net package's, plus `tls` and the timeouts.
 */
export interface OpenConnectionOptions extends PlainOptions, TlsTimeouts {
  /** TLS settings; certificates and the host name are verified by default. */
  tls?: TlsOptions | undefined;
}

/**
 * asyncio's `open_connection(ssl=...)`: connects over TCP, completes a TLS handshake, and returns the
 * connection's reader and writer. The certificate is verified against `tls.ca` (or Node's roots)
 * and the host name (`tls.serverName`, default `host`) unless `rejectUnauthorized` is `false`.
 *
 * Cancel safety: aborting `signal` while connecting or during the TLS handshake closes the connection and
 * rejects with `signal.reason`: nothing is left open. Once the streams are returned the signal no longer
 * applies.
 *
 * @param options Where to connect, `tls`, `handshakeTimeout` (default 60 s), `shutdownTimeout`
 *   (default 30 s), the reader's `limit`, `signal`.
 * @returns The reader and the writer, over TLS.
 * @throws {TlsError} When the handshake fails or times out: `code` is Node's, such as
 *   `ERR_TLS_CERT_ALTNAME_INVALID`, `UNABLE_TO_VERIFY_LEAF_SIGNATURE` or `ERR_ASYNCSTREAMS_TLS_HANDSHAKE_TIMEOUT`.
 * @throws {SocketError} When the TCP connection fails.
 * @throws {RangeError} When a timeout is not positive, before connecting.
 *
 * @example
 * ```ts
 * // @example-no-run: needs certificate files in the working directory and a TLS server
 * import { readFileSync } from "node:fs";
 * import { openConnection } from "@asyncstreams/tls";
 *
 * const ca = readFileSync("ca.pem", "utf8"); // the CA that signed the server's certificate
 * const { reader, writer } = await openConnection({ host: "localhost", port: 8443, tls: { ca } });
 * ```
 */
export async function openConnection(options: OpenConnectionOptions): Promise<Streams> {
  // An adopted socket has no host to check the certificate against: serverName is then required.
  checkTlsCall("Cannot open a TLS connection", options, { serverSide: false, hostKnown: options.socket === undefined });
  const { tls = {}, handshakeTimeout, shutdownTimeout, ...plain } = options;
  const streams = await openPlainConnection(asTlsCall(plain, "Cannot open a TLS connection", CONNECTION_NAMES));
  await startTlsOrClose(
    streams.writer,
    { ...tls, handshakeTimeout, shutdownTimeout, signal: options.signal },
    "Cannot open a TLS connection",
  );
  return streams;
}
