/**
 * asyncio's transport and protocol layer for any JavaScript runtime: the `Transport` and `Protocol`
 * interfaces, `TransportBase` (what every transport shares: extend it to write one), write flow
 * control (`FlowControl`, behind `drain()`), `StreamReaderProtocol` (the glue that feeds a
 * `StreamReader` and runs a server's client callback), `createStreams()` to get `{ reader, writer }`
 * from any transport, an in-memory transport pair with real buffering, a transport over a Web
 * Streams pair (`createWebStreams()`), and `toReadableStream()` to hand the rest of a stream on after
 * parsing a header. The transport conformance kit is the separate entry point
 * `@asyncstreams/protocol/testing`.
 *
 * @module
 */
export { ConnectionResetError } from "./connection-reset-error.js";
export type { ConnectionResetErrorOptions } from "./connection-reset-error.js";
export { createStreams } from "./create-streams.js";
export type { CreateStreamsOptions, Streams } from "./create-streams.js";
export { createWebStreams } from "./create-web-streams.js";
export type { CreateWebStreamsOptions } from "./create-web-streams.js";
export { DEFAULT_WRITE_BUFFER_HIGH } from "./default-write-buffer-high.js";
export { deliverEof } from "./deliver-eof.js";
export { FlowControl } from "./flow-control.js";
export { HandshakeError } from "./handshake-error.js";
export { MemoryTransport } from "./memory-transport.js";
export type { MemoryTransportOptions } from "./memory-transport.js";
export { memoryTransportPair } from "./memory-transport-pair.js";
export type { Protocol } from "./protocol.js";
export { resolveWriteBufferLimits } from "./resolve-write-buffer-limits.js";
export { StreamReaderProtocol } from "./stream-reader-protocol.js";
export type {
  ClientConnectedCallback,
  ClientErrorContext,
  ClientErrorHandler,
  StreamReaderProtocolOptions,
} from "./stream-reader-protocol.js";
export { toReadableStream } from "./to-readable-stream.js";
export { pullChunk } from "./pull-chunk.js";
export type { ChunkSource, PullChunkOptions } from "./pull-chunk.js";
export type { ToReadableStreamOptions } from "./to-readable-stream.js";
export type { BaseTransport, ReadTransport, Transport, WriteBufferLimits, WriteTransport } from "./transport.js";
export { TransportBase } from "./transport-base.js";
export type { TransportBaseOptions } from "./transport-base.js";
export { WebStreamTransport } from "./web-stream-transport.js";
export { writeLinesTo } from "./write-lines-to.js";
export type { WebStreamPair, WebStreamTransportOptions } from "./web-stream-transport.js";
