/**
 * asyncio's transport and protocol layer for any JavaScript runtime: the `Transport` and `Protocol`
 * interfaces, write flow control (`FlowControl`, behind `drain()`), `StreamReaderProtocol` (the glue
 * that feeds a `StreamReader` and runs a server's client callback), `createStreams()` to get
 * `{ reader, writer }` from any transport, and an in-memory transport pair with real buffering.
 *
 * @module
 */
export { ConnectionResetError } from "./connection-reset-error.js";
export { createStreams } from "./create-streams.js";
export type { CreateStreamsOptions, Streams } from "./create-streams.js";
export { FlowControl } from "./flow-control.js";
export { MemoryTransport } from "./memory-transport.js";
export type { MemoryTransportOptions } from "./memory-transport.js";
export { memoryTransportPair } from "./memory-transport-pair.js";
export type { Protocol } from "./protocol.js";
export { StreamReaderProtocol } from "./stream-reader-protocol.js";
export type {
  ClientConnectedCallback,
  ClientErrorContext,
  ClientErrorHandler,
  StreamReaderProtocolOptions,
} from "./stream-reader-protocol.js";
export type { BaseTransport, ReadTransport, Transport, WriteBufferLimits, WriteTransport } from "./transport.js";
