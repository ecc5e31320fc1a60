import type { StartTlsOptions } from "./start-tls-options.js";

/**
 * The write side of a transport, as a `StreamWriter` uses it: asyncio's `WriteTransport` methods
 * in camelCase. The protocol package's `Transport` is one; any object of this shape will do.
 *
 * @example
 * ```ts
 * import type { WriterTransport } from "@asyncstreams/writer";
 *
 * function send(transport: WriterTransport, text: string): void {
 *   transport.write(new TextEncoder().encode(text));
 * }
 * ```
 */
export interface WriterTransport {
  /** Queues bytes for sending without blocking; may keep a reference to `data` until it is sent. */
  write(data: Uint8Array): void;
  /** Queues several chunks, as one `write()` of their concatenation. */
  writeLines(chunks: Iterable<Uint8Array>): void;
  /** Closes the write side once buffered data is flushed (half-close). */
  writeEof(): void;
  /** Tells whether `writeEof()` is supported. */
  canWriteEof(): boolean;
  /** Closes the transport once buffered data is flushed; idempotent. */
  close(): void;
  /** Tells whether the transport is closing or closed. */
  isClosing(): boolean;
  /** Returns transport-specific information such as `peername`, or `undefined`. */
  getExtraInfo(name: string): unknown;
  /**
   * Bytes queued and not yet handed to the system (asyncio's `get_write_buffer_size()`), 0 once
   * the connection is lost. Optional: `StreamWriter.bufferedLength` reads 0 without it.
   */
  getWriteBufferSize?(): number;
  /**
   * Upgrades the connection to TLS in place and resolves to the transport to use from then on.
   * Absent on transports that cannot upgrade.
   *
   * @param options TLS settings, `handshakeTimeout`, `shutdownTimeout` and `signal`.
   * @param takeBuffered Removes and returns the bytes the reader received but nobody read (TLS
   *   bytes that came with the last plaintext): the transport calls it once, at the moment it stops
   *   delivering plaintext, and feeds them to TLS first, so none is lost or read as plaintext.
   */
  startTls?(options: StartTlsOptions, takeBuffered?: () => Uint8Array): Promise<WriterTransport>;
}
