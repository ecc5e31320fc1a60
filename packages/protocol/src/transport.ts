import type { StartTlsOptions, WriterTransport } from "@asyncstreams/writer";
import type { Protocol } from "./protocol.js";

/**
 * asyncio's `BaseTransport`: what every transport has.
 *
 * @example
 * ```ts
 * import type { BaseTransport } from "@asyncstreams/protocol";
 *
 * function peer(transport: BaseTransport): unknown {
 *   return transport.getExtraInfo("peername");
 * }
 * ```
 */
export interface BaseTransport {
  /** Closes the transport: buffered data is flushed, then `connectionLost()` is called. Idempotent. */
  close(): void;
  /** Tells whether the transport is closing or closed. */
  isClosing(): boolean;
  /** Returns transport-specific information (`peername`, `sockname`, `socket`, ...), or `undefined`. */
  getExtraInfo(name: string): unknown;
  /** Replaces the protocol that receives this transport's events. */
  setProtocol(protocol: Protocol): void;
  /** The protocol receiving this transport's events. */
  getProtocol(): Protocol | null;
}

/**
 * asyncio's `ReadTransport`: a transport whose incoming data can be paused.
 *
 * @example
 * ```ts
 * import type { ReadTransport } from "@asyncstreams/protocol";
 *
 * function hold(transport: ReadTransport): void {
 *   if (transport.isReading()) transport.pauseReading();
 * }
 * ```
 */
export interface ReadTransport extends BaseTransport {
  /** Tells whether data is being delivered: not paused and not closing. */
  isReading(): boolean;
  /** Stops calling `dataReceived()` until `resumeReading()`; a no-op when paused or closing. */
  pauseReading(): void;
  /** Resumes calling `dataReceived()`; a no-op when reading or closing. */
  resumeReading(): void;
}

/**
 * The high- and low-water marks of a transport's write buffer.
 */
export interface WriteBufferLimits {
  /** `pauseWriting()` is called when the buffer grows strictly above this. Default 65,536. */
  high: number;
  /** `resumeWriting()` is called when the buffer falls to or below this. Default `high / 4`. */
  low: number;
}

/**
 * asyncio's `WriteTransport`: a transport with a write buffer and flow control. Writes never
 * block; the transport calls its protocol's `pauseWriting()` when the buffer rises strictly above
 * the high-water mark and `resumeWriting()` when it falls to or below the low-water mark.
 *
 * @example
 * ```ts
 * import type { WriteTransport } from "@asyncstreams/protocol";
 *
 * function tune(transport: WriteTransport): void {
 *   transport.setWriteBufferLimits({ high: 256 * 1024 });
 * }
 * ```
 */
export interface WriteTransport extends BaseTransport, WriterTransport {
  /** Closes at once: buffered data is dropped and `connectionLost()` follows promptly. */
  abort(): void;
  /** The number of bytes buffered for sending. */
  getWriteBufferSize(): number;
  /** The current water marks. */
  getWriteBufferLimits(): WriteBufferLimits;
  /**
   * Sets the water marks, as asyncio: `high` defaults to 64 KiB (or 4 × `low`), `low` to `high / 4`.
   *
   * @throws {RangeError} Unless `high >= low >= 0`.
   */
  setWriteBufferLimits(limits?: Partial<WriteBufferLimits>): void;
}

/**
 * asyncio's bidirectional `Transport`: a {@linkcode ReadTransport} and a {@linkcode WriteTransport}.
 * Implement it (and drive a {@linkcode Protocol}) to plug any byte source into asyncstreams.
 *
 * @example
 * ```ts
 * import { createStreams, memoryTransportPair, type Transport } from "@asyncstreams/protocol";
 *
 * const [transport]: Transport[] = memoryTransportPair();
 * const { reader, writer } = createStreams(transport);
 * ```
 */
export interface Transport extends ReadTransport, WriteTransport {
  /**
   * Upgrades to TLS in place; absent where the transport cannot. See `WriterTransport.startTls`
   * for `takeBuffered`, which `StreamWriter.startTls()` passes.
   */
  startTls?(options: StartTlsOptions, takeBuffered?: () => Uint8Array): Promise<Transport>;
}
