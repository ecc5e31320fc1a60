import { WebSocketHandshakeError } from "./web-socket-handshake-error.js";

/**
 * The error for a socket that closed before it opened. A `WebSocketStream`'s `WebSocketError` says
 * no more than the WHATWG `WebSocket`'s close event does, so it gets the same message.
 */
export function handshakeFailure(url: string, code: number, error: unknown): WebSocketHandshakeError {
  const message = error instanceof Error && error.name !== "WebSocketError" ? error.message : "";
  const status = /Unexpected server response: (\d{3})/.exec(message)?.[1];
  if (status !== undefined) {
    return new WebSocketHandshakeError(
      "ERR_WEBSOCKET_HANDSHAKE",
      url,
      `the server refused the upgrade with HTTP status ${status}`,
      { status: Number(status), closeCode: code, cause: error },
    );
  }
  if (message !== "")
    return new WebSocketHandshakeError("ERR_WEBSOCKET_HANDSHAKE", url, message, { closeCode: code, cause: error });
  return new WebSocketHandshakeError(
    "ERR_WEBSOCKET_HANDSHAKE",
    url,
    `the connection closed with code ${code} before the opening handshake completed; the WHATWG WebSocket gives no detail (the server may be unreachable, may have refused the upgrade with an HTTP status, or may have refused every subprotocol)`,
    { closeCode: code, cause: error },
  );
}
