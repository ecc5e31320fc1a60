import { startUnixServer as startPlainUnixServer } from "@asyncstreams/net";
import type { StartUnixServerOptions as PlainOptions } from "@asyncstreams/net";
import type { ClientConnectedCallback } from "@asyncstreams/protocol";
import { SERVER_NAMES, checkTlsCall } from "./_check-tls-options.js";
import { secureOnClient } from "./_secure-on-client.js";
import type { HandshakeErrorHandler } from "./_secure-on-client.js";
import type { TlsOptions } from "./tls-options.js";
import type { TlsServer } from "./tls-server.js";
import type { TlsTimeouts } from "./tls-timeouts.js";
import { asTlsCall } from "./_as-tls-call.js";

/**
 * Options for {@linkcode startUnixServer}: the net package's, plus `tls` and the timeouts.
 */
export interface StartUnixServerOptions extends PlainOptions, TlsTimeouts {
  /** TLS settings: at least `key` and `cert`. */
  tls: TlsOptions;
  /** Called when a client's handshake fails or times out. Default: nothing. */
  onHandshakeError?: HandshakeErrorHandler | undefined;
}

/**
 * asyncio's `start_unix_server(ssl=...)`: TLS over a Unix-domain socket; see `startServer()`.
 *
 * Cancel safety: aborting `signal` while binding closes every listener bound so far and rejects with
 * `signal.reason`; once the server is returned the signal no longer applies (stop it with `close()`, or
 * serve with `serveForever({ signal })`). Each client's handshake is bounded by `handshakeTimeout`, not
 * by this signal.
 *
 * @param onClient Called with each connection's reader and writer, over TLS.
 * @param options `path`, `tls`, timeouts and per-connection settings.
 * @returns The listening server, with `setTlsOptions()` to replace its certificate.
 *
 * @example
 * ```ts
 * // @example-no-run: needs certificate files in the working directory
 * import { readFileSync } from "node:fs";
 * import { startUnixServer } from "@asyncstreams/tls";
 *
 * const key = readFileSync("server-key.pem", "utf8");
 * const cert = readFileSync("server-cert.pem", "utf8");
 * const server = await startUnixServer(async (reader, writer) => {
 *   writer.write(await reader.readLine());
 *   writer.close();
 * }, { path: "/tmp/app.sock", tls: { key, cert } });
 * ```
 */
export async function startUnixServer(
  onClient: ClientConnectedCallback,
  options: StartUnixServerOptions,
): Promise<TlsServer> {
  if (typeof onClient !== "function")
    throw new TypeError("Cannot start a TLS Unix server: onClient must be a function");
  checkTlsCall("Cannot start a TLS Unix server", options, { serverSide: true });
  const { tls, handshakeTimeout, shutdownTimeout, onHandshakeError, ...plain } = options;
  const serving = secureOnClient(onClient, { ...tls, handshakeTimeout, shutdownTimeout }, onHandshakeError);
  const marked = asTlsCall(plain, "Cannot start a TLS Unix server", SERVER_NAMES);
  const server = await startPlainUnixServer(serving.onClient, marked);
  return Object.assign(server, { setTlsOptions: (options: TlsOptions) => serving.setTlsOptions(options) });
}
