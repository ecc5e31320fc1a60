import { openUnixConnection as openPlainUnixConnection } from "@asyncstreams/net";
import type { OpenUnixConnectionOptions as PlainOptions } from "@asyncstreams/net";
import type { Streams } from "@asyncstreams/protocol";
import { CONNECTION_NAMES, checkTlsCall } from "./_check-tls-options.js";
import { startTlsOrClose } from "./_start-tls-or-close.js";
import type { TlsOptions } from "./tls-options.js";
import type { TlsTimeouts } from "./tls-timeouts.js";
import { asTlsCall } from "./_as-tls-call.js";

/**
 * Options for {@linkcode openUnixConnection}: the net package's, plus `tls` and the timeouts.
 */
export interface OpenUnixConnectionOptions extends PlainOptions, TlsTimeouts {
  /** TLS settings; `serverName` is required, as asyncio requires `server_hostname` here. */
  tls: TlsOptions & { serverName: string };
}

/**
 * asyncio's `open_unix_connection(ssl=..., server_hostname=...)`: TLS over a Unix-domain socket.
 *
 * Cancel safety: aborting `signal` while connecting or during the TLS handshake closes the connection and
 * rejects with `signal.reason`: nothing is left open. Once the streams are returned the signal no longer
 * applies.
 *
 * @param options `path`, `tls` (with `serverName`), timeouts, the reader's `limit`, `signal`.
 * @returns The reader and the writer, over TLS.
 * @throws {TlsError} When the handshake fails or times out.
 *
 * @example
 * ```ts
 * // @example-no-run: needs certificate files in the working directory and a TLS server
 * import { readFileSync } from "node:fs";
 * import { openUnixConnection } from "@asyncstreams/tls";
 *
 * const ca = readFileSync("ca.pem", "utf8");
 * const { reader, writer } = await openUnixConnection({ path: "/run/app.sock", tls: { ca, serverName: "localhost" } });
 * ```
 */
export async function openUnixConnection(options: OpenUnixConnectionOptions): Promise<Streams> {
  if ((options as Partial<OpenUnixConnectionOptions> | null)?.tls?.serverName === undefined)
    throw new TypeError("Cannot open a TLS Unix connection: tls.serverName is required");
  checkTlsCall("Cannot open a TLS Unix connection", options, { serverSide: false, hostKnown: false });
  const { tls, handshakeTimeout, shutdownTimeout, ...plain } = options;
  const marked = asTlsCall(plain, "Cannot open a TLS Unix connection", CONNECTION_NAMES);
  const streams = await openPlainUnixConnection(marked);
  await startTlsOrClose(
    streams.writer,
    { ...tls, handshakeTimeout, shutdownTimeout, signal: options.signal },
    "Cannot open a TLS Unix connection",
  );
  return streams;
}
