import { messageBytes } from "./_message-bytes.js";
import { wsMessageBytes, type WsSocket } from "./_ws-socket.js";
import type { WebSocketLike } from "./web-socket-like.js";

const utf8Decoder = new TextDecoder();

/** What a `WebSocketTransport` hears from its socket, in the same shape whatever the socket. */
export interface SocketListeners {
  open(): void;
  data(bytes: Uint8Array): void;
  close(code: number, reason: string): void;
  error(error: unknown): void;
  pong(): void;
}

/**
 * Listens to `socket`: through `ws`'s own events when `ws` is that socket (raw bytes for text
 * messages too, no MessageEvent per message, and pongs), else through the WHATWG events.
 */
export function listenToSocket(socket: WebSocketLike, ws: WsSocket | undefined, listeners: SocketListeners): void {
  // Each event's own shape, which WebSocketLike leaves loose so that ws's socket type fits it.
  const listen = socket.addEventListener.bind(socket) as (type: string, listener: (event: never) => void) => void;
  listen("open", () => listeners.open());
  if (ws !== undefined) {
    ws.binaryType = "nodebuffer";
    ws.on("message", (data, _isBinary) => listeners.data(wsMessageBytes(data)));
    ws.on("close", (code, reason) => listeners.close(code, utf8Decoder.decode(reason)));
    ws.on("error", (error) => listeners.error(error));
    ws.on("pong", () => listeners.pong());
  } else {
    socket.binaryType = "arraybuffer";
    listen("message", (event: { data: unknown }) => listeners.data(messageBytes(event.data)));
    listen("close", (event: { code: number; reason: string }) => listeners.close(event.code, event.reason));
    listen("error", (event: { error?: unknown }) => listeners.error(event.error ?? event));
  }
}
