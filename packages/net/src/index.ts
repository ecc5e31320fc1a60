/**
 * asyncio's `open_connection()` and `start_server()` for Node.js: TCP and Unix-socket connectors
 * and servers that hand you asyncio's `(reader, writer)` pair, half-open capable by default, with
 * servers that track their clients (`closeClients()`, `abortClients()`, and a `waitClosed()` that
 * waits for them).
 *
 * @module
 */
export { DEFAULT_BACKLOG } from "./default-backlog.js";
export { checkStartTlsOptions } from "./check-start-tls-options.js";
export type { StartTlsCheckContext } from "./check-start-tls-options.js";
export { nodeByteSearch } from "./node-byte-search.js";
export { DIAGNOSTICS_CHANNELS } from "./diagnostics-channels.js";
export type { NetAcceptMessage, NetCloseMessage, NetConnectMessage, NetFlowMessage } from "./diagnostics-channels.js";
export { DuplexTransport } from "./duplex-transport.js";
export type { DuplexPair, DuplexTransportOptions } from "./duplex-transport.js";
export { openConnection } from "./open-connection.js";
export type { OpenConnectionOptions } from "./open-connection.js";
export { openDuplexStreams } from "./open-duplex-streams.js";
export type { OpenDuplexStreamsOptions } from "./open-duplex-streams.js";
export { openUnixConnection } from "./open-unix-connection.js";
export type { OpenUnixConnectionOptions } from "./open-unix-connection.js";
export { Server } from "./server.js";
export type { ServerAddress, ServerCloseOptions, ServerErrorHandler, ServerInit } from "./server.js";
export { SocketError } from "./socket-error.js";
export type { SocketErrorCode, SocketErrorOptions } from "./socket-error.js";
export { SocketTransport } from "./socket-transport.js";
export type { SocketTransportOptions } from "./socket-transport-options.js";
export { startServer } from "./start-server.js";
export { TlsError } from "./tls-error.js";
export type { TlsErrorCode } from "./tls-error.js";
export { toNodeReadable } from "./to-node-readable.js";
export type { ToNodeReadableOptions } from "./to-node-readable.js";
export type { StartServerOptions } from "./start-server.js";
export { startUnixServer } from "./start-unix-server.js";
export type { StartUnixServerOptions } from "./start-unix-server.js";
