import { StreamError } from "@asyncstreams/buffer";

/**
 * The WebSocket closed with a code other than 1000 (normal closure) or 1005 (no code given):
 * what `connectionLost()` gets. 1006 means the connection dropped without a closing handshake
 * (the peer was terminated, or the TCP connection broke).
 */
export class WebSocketClosedError extends StreamError {
  /** The close code, such as 1001 (going away), 1003 (unsupported data) or 1006 (abnormal closure). */
  readonly closeCode: number;
  /** The close reason the peer sent, decoded; empty when it sent none. */
  readonly reason: string;

  /**
   * @param closeCode The close code.
   * @param reason The close reason.
   */
  constructor(closeCode: number, reason: string) {
    super("ERR_WEBSOCKET_CLOSED", `Connection lost: the WebSocket closed with code ${closeCode}${reason === "" ? "" : ` (${reason})`}`);
    this.closeCode = closeCode;
    this.reason = reason;
  }
}

/**
 * A text message arrived where only binary messages (the byte stream) are expected: the
 * connection fails with this error, and the peer gets close code 1003 (unsupported data).
 */
export class WebSocketTextMessageError extends StreamError {
  /**
   * @param length The length of the text message, in bytes.
   */
  constructor(length: number) {
    super("ERR_WEBSOCKET_TEXT_MESSAGE", `Cannot receive: a text message (${length} bytes) arrived; this transport carries bytes in binary messages only`);
  }
}
