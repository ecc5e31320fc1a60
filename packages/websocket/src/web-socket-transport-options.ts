import type { WriteBufferLimits } from "@asyncstreams/protocol";
import type { KeepAliveOptions } from "./keep-alive-options.js";

/** Options for {@linkcode WebSocketTransport}. */
export interface WebSocketTransportOptions {
  /** Write-buffer water marks on the socket's buffered bytes (asyncio's defaults: 64 KiB high, `high / 4` low). */
  writeBufferLimits?: Partial<WriteBufferLimits> | undefined;
  /**
   * Bytes the transport may hold while the reader is paused, on a socket that cannot pause reading
   * (the WHATWG `WebSocket`); past it the connection closes with 1009 and reads fail with
   * `ReadOverflowError`. Default 8 MiB. A `ws` socket pauses instead and never needs it.
   */
  maxReadBuffer?: number | undefined;
  /** Keep-alive pings (a `ws` socket only). */
  keepAlive?: KeepAliveOptions | undefined;
  /** More for `getExtraInfo()`; `websocket` (the socket) and `subprotocol` are always there. */
  extraInfo?: Record<string, unknown> | undefined;
  /** The URL, for error messages. Default: the socket's `url`. */
  url?: string | undefined;
}
