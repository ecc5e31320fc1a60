/**
 * asyncio's TLS streams for Node.js: `openConnection` and `startServer` with exactly the net
 * package's shapes plus `tls`, `handshakeTimeout` and `shutdownTimeout`. Swapping the import from
 * `@asyncstreams/net` to `@asyncstreams/tls` is the whole change. Certificates and host names are
 * verified by default. Plain connections upgrade in place with `writer.startTls()`.
 *
 * @module
 */
export { openConnection } from "./open-connection.js";
export type { OpenConnectionOptions } from "./open-connection.js";
export { openUnixConnection } from "./open-unix-connection.js";
export type { OpenUnixConnectionOptions } from "./open-unix-connection.js";
export type { HandshakeErrorHandler } from "./_secure-on-client.js";
export { startServer } from "./start-server.js";
export type { StartServerOptions } from "./start-server.js";
export { startUnixServer } from "./start-unix-server.js";
export type { StartUnixServerOptions } from "./start-unix-server.js";
export type { TlsOptions } from "./tls-options.js";
export type { TlsServer } from "./tls-server.js";
export type { TlsTimeouts } from "./tls-timeouts.js";
export { Server, SocketError, TlsError } from "@asyncstreams/net";
export type { SocketErrorCode, TlsErrorCode } from "@asyncstreams/net";
