import type { Server } from "@asyncstreams/net";
import type { TlsOptions } from "./tls-options.js";

/**
 * The server `startServer()` and `startUnixServer()` of this package return: the net package's
 * `Server`, plus `setTlsOptions()` to replace the certificate (or any TLS setting) of a running
 * server, as Node's `server.setSecureContext()` does.
 *
 * @example
 * ```ts
 * import { readFileSync } from "node:fs";
 * import { startServer } from "@asyncstreams/tls";
 *
 * const load = () => ({ key: readFileSync("server-key.pem", "utf8"), cert: readFileSync("server.pem", "utf8") });
 * const server = await startServer(async (reader, writer) => {
 *   writer.write(await reader.readLine());
 *   writer.close();
 * }, { host: "127.0.0.1", port: 0, tls: load() });
 * // After the certificate was renewed on disk:
 * server.setTlsOptions(load());
 * server.close();
 * await server.waitClosed();
 * ```
 */
export interface TlsServer extends Server {
  /**
   * Replaces the server's TLS settings (`key`, `cert`, `ca`, `requestCert`, `alpnProtocols`, ...)
   * for the connections accepted from now on. Live connections keep the settings they were
   * established with and are not interrupted. The new settings are checked first, as
   * `startServer()` checks its `tls`: an unknown name, settings without a key and certificate
   * (or `pfx`, `SNICallback`, ...), or a key or certificate that cannot be loaded throws, and the
   * server keeps the old ones. `handshakeTimeout` and `shutdownTimeout` are set when the server
   * starts and cannot be changed here.
   *
   * @param tls The new settings, complete (they replace the old ones, they are not merged).
   * @throws {TypeError} When `tls` is not an object, holds an unknown name or a timeout, or has no
   *   key and certificate.
   * @throws {Error} Node's error when the key, certificate or another setting is invalid.
   */
  setTlsOptions(tls: TlsOptions): void;
}
