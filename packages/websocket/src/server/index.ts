/**
 * The WebSocket server for Node: `startWebSocketServer(onClient, options)` runs
 * `onClient(reader, writer, request)` for each connection, on its own HTTP server or attached to
 * yours, with asyncio's server lifecycle. It needs the `ws` package (an optional peer dependency
 * of this entry point only; the main entry `@asyncstreams/websocket` never loads it).
 *
 * @module
 */
export type { PerMessageDeflateOptions } from "./per-message-deflate-options.js";
export { startWebSocketServer } from "./start-web-socket-server.js";
export type { StartWebSocketServerOptions } from "./start-web-socket-server.js";
export { WebSocketServer } from "./web-socket-server.js";
export type {
  WebSocketClientCallback,
  WebSocketServerErrorHandler,
  WebSocketServerInit,
  UpgradeHandler,
} from "./web-socket-server.js";
