import type { ZlibOptions } from "node:zlib";

/**
 * permessage-deflate settings for `startWebSocketServer()`'s `perMessageDeflate` option: the
 * object `ws` takes (its `PerMessageDeflateOptions`), checked when the server starts.
 *
 * @example
 * ```ts
 * import type { PerMessageDeflateOptions } from "@asyncstreams/websocket/server";
 *
 * // Compress only messages of 1 KiB or more, with a smaller window on the server's side.
 * const perMessageDeflate: PerMessageDeflateOptions = { threshold: 1024, serverMaxWindowBits: 10 };
 * ```
 */
export interface PerMessageDeflateOptions {
  /** Whether the server resets its compression context after each message. */
  serverNoContextTakeover?: boolean | undefined;
  /** Whether the server asks the client to reset its compression context after each message. */
  clientNoContextTakeover?: boolean | undefined;
  /** The largest LZ77 window the server compresses with: 8 to 15 bits. */
  serverMaxWindowBits?: number | undefined;
  /** The largest LZ77 window the client may compress with: 8 to 15 bits. */
  clientMaxWindowBits?: number | undefined;
  /** zlib options for compressing. */
  zlibDeflateOptions?: ZlibOptions | undefined;
  /** zlib options for decompressing. */
  zlibInflateOptions?: ZlibOptions | undefined;
  /** Messages smaller than this many bytes are sent uncompressed. `ws`'s default: 1024. */
  threshold?: number | undefined;
  /** How many zlib calls may run at once. `ws`'s default: 10. */
  concurrencyLimit?: number | undefined;
}
