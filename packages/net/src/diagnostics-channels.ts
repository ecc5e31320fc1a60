import type { StreamReader } from "@asyncstreams/reader";
import type { StreamWriter } from "@asyncstreams/writer";
import type { Server } from "./server.js";
import type { SocketTransport } from "./socket-transport.js";

/**
 * The names of the `node:diagnostics_channel` channels this package publishes on, for metrics and
 * tracing without wrapping anything: subscribe with `diagnostics_channel.subscribe(name, fn)`.
 * Messages are published only while a channel has subscribers, so an unobserved connection pays
 * nothing. Every TCP and Unix connection made by `openConnection()`, `openUnixConnection()`,
 * `startServer()` and `startUnixServer()` publishes, and so do the tls package's, which run over
 * them (`connect` and `accept` then come before the TLS handshake).
 *
 * - `connect` ({@linkcode NetConnectMessage}): a client connection is ready, just before
 *   `openConnection()` resolves.
 * - `accept` ({@linkcode NetAcceptMessage}): a server accepted a connection, just before its client
 *   callback runs.
 * - `close` ({@linkcode NetCloseMessage}): a connection is lost (closed, reset or failed), just
 *   before its reader and writer learn of it; once per connection.
 * - `pause` / `resume` ({@linkcode NetFlowMessage}): flow control stopped or restarted reading
 *   (the reader is full) or writing (the write buffer went above the high-water mark, or back to the
 *   low one).
 *
 * Subscribers run synchronously inside the connection's own code: keep them short, and never
 * throw (Node reports a subscriber's error as an uncaught exception).
 *
 * @example
 * ```ts
 * import { subscribe } from "node:diagnostics_channel";
 * import { DIAGNOSTICS_CHANNELS } from "@asyncstreams/net";
 * import type { NetCloseMessage } from "@asyncstreams/net";
 *
 * let open = 0;
 * subscribe(DIAGNOSTICS_CHANNELS.connect, () => open++);
 * subscribe(DIAGNOSTICS_CHANNELS.accept, () => open++);
 * subscribe(DIAGNOSTICS_CHANNELS.close, (message) => {
 *   const { bytesReceived, bytesWritten, duration, error } = message as NetCloseMessage;
 *   open--;
 *   console.log(`closed after ${duration.toFixed(0)} ms: ${bytesReceived} in, ${bytesWritten} out`, error ?? "");
 * });
 * ```
 */
export const DIAGNOSTICS_CHANNELS: {
  readonly connect: "asyncstreams:net:connect";
  readonly accept: "asyncstreams:net:accept";
  readonly close: "asyncstreams:net:close";
  readonly pause: "asyncstreams:net:pause";
  readonly resume: "asyncstreams:net:resume";
} = Object.freeze({
  connect: "asyncstreams:net:connect",
  accept: "asyncstreams:net:accept",
  close: "asyncstreams:net:close",
  pause: "asyncstreams:net:pause",
  resume: "asyncstreams:net:resume",
});

/** The message on `DIAGNOSTICS_CHANNELS.connect`: a client connection, ready for use. */
export interface NetConnectMessage {
  /** The connection's transport: the key to match its later `close`, `pause` and `resume`. */
  transport: SocketTransport;
  /** The connection's reader, for its counters (`bytesReceived`, `bufferedLength`, ...). */
  reader: StreamReader;
  /** The connection's writer, for its counters (`bytesWritten`, `bufferedLength`, ...). */
  writer: StreamWriter;
}

/** The message on `DIAGNOSTICS_CHANNELS.accept`: a connection a server accepted. */
export interface NetAcceptMessage {
  /** The connection's transport: the key to match its later `close`, `pause` and `resume`. */
  transport: SocketTransport;
  /** The connection's reader (the writer is made for the client callback, after this message). */
  reader: StreamReader;
  /** The server that accepted it. */
  server: Server;
}

/** The message on `DIAGNOSTICS_CHANNELS.close`: a connection's totals, once it is lost. */
export interface NetCloseMessage {
  /** The connection's transport. */
  transport: SocketTransport;
  /** Whether the connection was accepted by a server (`false`: this side connected). */
  serverSide: boolean;
  /** Bytes delivered to the reader (plaintext over TLS); the socket's `bytesRead` without a reader. */
  bytesReceived: number;
  /** Bytes the application read from the reader; `bytesReceived - bytesConsumed` were never read. */
  bytesConsumed: number;
  /** Bytes written to the socket, as Node counts them (`socket.bytesWritten`), buffered ones included. */
  bytesWritten: number;
  /** Milliseconds from the transport's creation to the loss (monotonic clock). */
  duration: number;
  /** The error the connection was lost with (a `SocketError`, `TlsError`, ...), `undefined` after a clean close. */
  error: unknown;
}

/** The message on `DIAGNOSTICS_CHANNELS.pause` and `DIAGNOSTICS_CHANNELS.resume`. */
export interface NetFlowMessage {
  /** The connection's transport. */
  transport: SocketTransport;
  /** `"reading"`: the reader is full (or has room again); `"writing"`: the write buffer is. */
  direction: "reading" | "writing";
  /**
   * The bytes buffered on that side at that moment: unread in the reader; for writing, the figure
   * flow control compared to the water marks (the socket's unsent bytes, or the bytes of a large
   * burst written within one event-loop turn, which also pauses writing until the loop turns).
   */
  bufferedLength: number;
}
