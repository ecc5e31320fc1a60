import type { StreamReader } from "@asyncstreams/reader";
import type { Transport } from "./transport.js";

/**
 * asyncio's `Protocol`: the callbacks a transport calls. Connection callbacks come in the order
 * `connectionMade`, then any number of `dataReceived`, at most one `eofReceived`, then exactly one
 * `connectionLost`; `pauseWriting` and `resumeWriting` alternate, starting with `pauseWriting`.
 *
 * @example
 * ```ts
 * import type { Protocol, Transport } from "@asyncstreams/protocol";
 *
 * class Echo implements Protocol {
 *   #transport: Transport | null = null;
 *   connectionMade(transport: Transport): void { this.#transport = transport; }
 *   dataReceived(data: Uint8Array): void { this.#transport?.write(data); }
 *   eofReceived(): boolean { return false; }
 *   connectionLost(): void { this.#transport = null; }
 *   pauseWriting(): void {}
 *   resumeWriting(): void {}
 * }
 * ```
 */
export interface Protocol {
  /** The connection is up; `transport` is how to talk back. */
  connectionMade(transport: Transport): void;
  /** Bytes arrived; the protocol owns `data` from now on. */
  dataReceived(data: Uint8Array): void;
  /**
   * The peer closed its write side. Return `true` to keep the connection half-open (so this side
   * can still write); anything else makes the transport close itself.
   */
  eofReceived(): boolean | undefined | void;
  /** The connection is gone: `error` is `undefined` after a clean close, else what broke it. */
  connectionLost(error: unknown): void;
  /** The transport's write buffer rose above its high-water mark: stop writing. */
  pauseWriting(): void;
  /** The transport's write buffer fell to its low-water mark: writing may go on. */
  resumeWriting(): void;
  /**
   * The reader this protocol feeds, if any (`StreamReaderProtocol` has it until the connection is
   * lost): transports read its counters for diagnostics. Optional; asyncio's protocols have none.
   */
  readonly reader?: StreamReader | null;
}
