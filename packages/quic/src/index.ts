/**
 * asyncio's streams over QUIC: every QUIC stream as a `(reader, writer)` with asyncio's
 * semantics (FIN as EOF, resets as `ConnectionResetError` with the application code, back-pressure
 * held by QUIC flow control), QUIC connections (`openQuicConnection`) and servers
 * (`startQuicServer`) with asyncio's server lifecycle. Node runs on `@matrixai/quic`, Deno on its
 * built-in QUIC.
 *
 * @module
 */
export { openQuicConnection } from "./open-quic-connection.js";
export type { OpenQuicConnectionOptions, QuicClientTlsOptions } from "./open-quic-connection.js";
export type { OpenQuicStreamOptions } from "./open-quic-stream-options.js";
export type { QuicCloseInfo } from "./quic-close-info.js";
export { QuicConnection } from "./quic-connection.js";
export type { QuicConnectionInit } from "./quic-connection.js";
export { QuicHandshakeError } from "./quic-handshake-error.js";
export { QuicServer } from "./quic-server.js";
export type { QuicServerErrorHandler, QuicServerInit, QuicStreamCallback } from "./quic-server.js";
export { QuicStreamTransport } from "./quic-stream-transport.js";
export type { QuicStreamPair, QuicStreamTransportOptions } from "./quic-stream-transport.js";
export { startQuicServer } from "./start-quic-server.js";
export type { QuicServerTlsOptions, StartQuicServerOptions } from "./start-quic-server.js";
