/**
 * asyncio's `(reader, writer)` over a WebSocket, on any runtime: `openWebSocketConnection(url)`
 * opens one, `acceptWebSocket(socket)` wraps one that is open or opening (a `ws` server
 * connection, `Deno.upgradeWebSocket()`'s socket, a browser socket), and `WebSocketTransport` is
 * the transport behind both. It takes the global WHATWG `WebSocket` (browsers, Deno, Bun,
 * Node 22+) or the `ws` package's, and imports neither `node:` modules nor `ws`. The Node server is
 * the separate entry point `@asyncstreams/websocket/server`.
 *
 * @module
 */
export { acceptWebSocket } from "./accept-web-socket.js";
export type { AcceptWebSocketOptions } from "./accept-web-socket.js";
export { KeepAliveTimeoutError } from "./keep-alive-timeout-error.js";
export type { KeepAliveOptions } from "./keep-alive-options.js";
export { openWebSocketConnection } from "./open-web-socket-connection.js";
export type { OpenWebSocketConnectionOptions } from "./open-web-socket-connection.js";
export { ReadOverflowError } from "./read-overflow-error.js";
export { WebSocketHandshakeError } from "./web-socket-handshake-error.js";
export type { WebSocketHandshakeErrorCode } from "./web-socket-handshake-error.js";
export type { WebSocketConstructor, WebSocketLike } from "./web-socket-like.js";
export { WebSocketTransport } from "./web-socket-transport.js";
export type { WebSocketTransportOptions } from "./web-socket-transport-options.js";
