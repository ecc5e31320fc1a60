import { startServer as startPlainServer } from "@asyncstreams/net";
import type { StartServerOptions as PlainOptions } from "@asyncstreams/net";
import type { ClientConnectedCallback } from "@asyncstreams/protocol";
import { SERVER_NAMES, checkTlsCall } from "./_check-tls-options.js";
import { secureOnClient } from "./_secure-on-client.js";
import type { HandshakeErrorHandler } from "./_secure-on-client.js";
import type { TlsOptions } from "./tls-options.js";
import type { TlsServer } from "./tls-server.js";
import type { TlsTimeouts } from "./tls-timeouts.js";
import { asTlsCall } from "./_as-tls-call.js";

/**
 * Options for {@linkcode startServer}: the net package's, plus `tls` and the timeouts.
 */
export interface StartServerOptions extends PlainOptions, TlsTimeouts {
  /** TLS settings: at least `key` and `cert`. */
  tls: TlsOptions;
  /**
   * Called when a client's handshake fails or times out (its connection is already closed).
   * Default: nothing, since scanners and broken clients are routine on a public port.
   */
  onHandshakeError?: HandshakeErrorHandler | undefined;
}

/**
 * asyncio's `start_server(ssl=...)`: listens on TCP, completes a TLS handshake with each client, then
 * calls `onClient(reader, writer)`. A handshake that fails or takes longer than `handshakeTimeout`
 * closes that connection (reported to `onHandshakeError`) and never reaches `onClient`; serving goes
 * on. Everything else is as in the net package's `startServer()`.
 *
 * Cancel safety: aborting `signal` while binding closes every listener bound so far and rejects with
 * `signal.reason`; once the server is returned the signal no longer applies (stop it with `close()`, or
 * serve with `serveForever({ signal })`). Each client's handshake is bounded by `handshakeTimeout`, not
 * by this signal.
 *
 * @param onClient Called with each connection's reader and writer, over TLS.
 * @param options Where to listen, `tls` (`key`, `cert`, ...), timeouts and per-connection settings.
 * @returns The listening server, with `setTlsOptions()` to replace its certificate.
 * @throws {RangeError} When a timeout is not positive or `limit` is not greater than 0.
 *
 * @example
 * ```ts
 * // @example-no-run: needs certificate files in the working directory
 * import { readFileSync } from "node:fs";
 * import { startServer } from "@asyncstreams/tls";
 *
 * const key = readFileSync("server-key.pem", "utf8");
 * const cert = readFileSync("server-cert.pem", "utf8");
 * const server = await startServer(async (reader, writer) => {
 *   writer.write(await reader.readLine());
 *   writer.close();
 * }, { host: "127.0.0.1", port: 0, tls: { key, cert } });
 * ```
 */
export async function startServer(onClient: ClientConnectedCallback, options: StartServerOptions): Promise<TlsServer> {
  if (typeof onClient !== "function") throw new TypeError("Cannot start a TLS server: onClient must be a function");
  checkTlsCall("Cannot start a TLS server", options, { serverSide: true });
  const { tls, handshakeTimeout, shutdownTimeout, onHandshakeError, ...plain } = options;
  const serving = secureOnClient(onClient, { ...tls, handshakeTimeout, shutdownTimeout }, onHandshakeError);
  const server = await startPlainServer(serving.onClient, asTlsCall(plain, "Cannot start a TLS server", SERVER_NAMES));
  return Object.assign(server, { setTlsOptions: (options: TlsOptions) => serving.setTlsOptions(options) });
}
