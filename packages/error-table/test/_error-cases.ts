// The rows of errors.test.ts: one per error class (and variant) of every package.
import type * as buffer from "@asyncstreams/buffer";
import type * as net from "@asyncstreams/net";
import type * as protocol from "@asyncstreams/protocol";
import type * as protocolTesting from "@asyncstreams/protocol/testing";
import type * as quic from "@asyncstreams/quic";
import type * as reader from "@asyncstreams/reader";
import type * as tls from "@asyncstreams/tls";
import type * as websocket from "@asyncstreams/websocket";
import type * as websocketServer from "@asyncstreams/websocket/server";
import type * as writer from "@asyncstreams/writer";

/**
 * One evaluation of every entry point of every published package (errors.test.ts checks that none
 * is missing): copy A is imported statically, copy B after a module reset.
 */
export interface Copy {
  buffer: typeof buffer;
  reader: typeof reader;
  writer: typeof writer;
  protocol: typeof protocol;
  protocolTesting: typeof protocolTesting;
  net: typeof net;
  tls: typeof tls;
  websocket: typeof websocket;
  websocketServer: typeof websocketServer;
  quic: typeof quic;
}

export type ErrorClass = abstract new (...args: never[]) => Error;

export interface ErrorCase {
  /** The class's name, which is also its brand: `Symbol.for("asyncstreams.error.<name>")`. */
  name: string;
  /** What this row constructs, when a class has several rows. */
  variant?: string;
  /** The class in a given copy of the packages. */
  of(copy: Copy): ErrorClass;
  /** An error made with that copy's class, without a cause. */
  make(copy: Copy): Error;
  /** The same with a cause, for the classes that keep one. */
  makeWithCause?(copy: Copy, cause: unknown): Error;
  code: string;
  message: string;
  /** The class's own fields and their values in `make()`'s error. */
  fields?: Record<string, unknown>;
  /** The project classes between it and StreamError, nearest first. */
  ancestors: string[];
  /**
   * A base class made with a code of this test's own: docs/errors.md names it in its prose, not in
   * its table of codes.
   */
  base?: true;
}

const partial = new Uint8Array([1, 2, 3]);
const undecodable = new Uint8Array([0xff, 0x0a]);
/** The start of what net adds to a verification failure's message (the rest names D16's forbidden opt-out). */
const passTheCa = "pass the CA that signed the peer's certificate as tls.ca";

export const cases: ErrorCase[] = [
  {
    name: "StreamError",
    of: (c) => c.buffer.StreamError,
    make: (c) => new c.buffer.StreamError("ERR_EXAMPLE", "Cannot do it: example"),
    makeWithCause: (c, cause) => new c.buffer.StreamError("ERR_EXAMPLE", "Cannot do it: example", { cause }),
    code: "ERR_EXAMPLE",
    message: "Cannot do it: example",
    ancestors: [],
    base: true,
  },
  {
    name: "StreamError",
    variant: "as quic raises it when the peer's stream credit is used up",
    of: (c) => c.buffer.StreamError,
    make: (c) =>
      new c.buffer.StreamError(
        "ERR_ASYNCSTREAMS_QUIC_STREAM_LIMIT",
        "Cannot open a QUIC stream: the peer's stream limit is reached (Stream limit reached)",
      ),
    code: "ERR_ASYNCSTREAMS_QUIC_STREAM_LIMIT",
    message: "Cannot open a QUIC stream: the peer's stream limit is reached (Stream limit reached)",
    ancestors: [],
  },
  {
    name: "NotImplementedError",
    of: (c) => c.buffer.NotImplementedError,
    make: (c) => new c.buffer.NotImplementedError("pauseReading"),
    code: "ERR_NOT_IMPLEMENTED",
    message: "Cannot pauseReading: not supported by this transport",
    ancestors: [],
  },
  {
    name: "InvalidStateError",
    of: (c) => c.reader.InvalidStateError,
    make: (c) => new c.reader.InvalidStateError("Cannot feed data: feedEof() was already called"),
    code: "ERR_ASYNCSTREAMS_INVALID_STATE",
    message: "Cannot feed data: feedEof() was already called",
    ancestors: [],
  },
  {
    name: "ReadInProgressError",
    of: (c) => c.reader.ReadInProgressError,
    make: (c) => new c.reader.ReadInProgressError("readUntil"),
    code: "ERR_READ_IN_PROGRESS",
    message: "readUntil() called while another read is already waiting for incoming data",
    ancestors: [],
  },
  {
    name: "ReadTimeoutError",
    variant: "idle",
    of: (c) => c.reader.ReadTimeoutError,
    make: (c) => new c.reader.ReadTimeoutError("idle", 5000),
    code: "ERR_READ_TIMEOUT",
    message: "Read timed out: no data for 5000 ms",
    fields: { kind: "idle", timeout: 5000 },
    ancestors: [],
  },
  {
    name: "ReadTimeoutError",
    variant: "total",
    of: (c) => c.reader.ReadTimeoutError,
    make: (c) => new c.reader.ReadTimeoutError("total", 30000),
    code: "ERR_READ_TIMEOUT",
    message: "Read timed out: deadline of 30000 ms passed",
    fields: { kind: "total", timeout: 30000 },
    ancestors: [],
  },
  {
    name: "LimitOverrunError",
    of: (c) => c.reader.LimitOverrunError,
    make: (c) => new c.reader.LimitOverrunError("Separator is not found, and chunk exceed the limit", 8, 100),
    code: "ERR_LIMIT_OVERRUN",
    message: "Separator is not found, and chunk exceed the limit",
    fields: { consumed: 8, offset: 100 },
    ancestors: [],
  },
  {
    name: "LimitOverrunError",
    variant: "without an offset",
    of: (c) => c.reader.LimitOverrunError,
    make: (c) => new c.reader.LimitOverrunError("Separator is found, but chunk is longer than limit", 3),
    code: "ERR_LIMIT_OVERRUN",
    message: "Separator is found, but chunk is longer than limit",
    fields: { consumed: 3, offset: 0 },
    ancestors: [],
  },
  {
    name: "TextDecodeError",
    of: (c) => c.reader.TextDecodeError,
    make: (c) => new c.reader.TextDecodeError("utf-8", undecodable),
    makeWithCause: (c, cause) => new c.reader.TextDecodeError("utf-8", undecodable, { cause }),
    code: "ERR_TEXT_DECODE",
    message: "Cannot decode text: 2 bytes are not valid utf-8",
    fields: { encoding: "utf-8", data: undecodable },
    ancestors: [],
  },
  {
    name: "IncompleteReadError",
    of: (c) => c.reader.IncompleteReadError,
    make: (c) => new c.reader.IncompleteReadError(partial, 10),
    code: "ERR_INCOMPLETE_READ",
    message: "3 bytes read on a total of 10 expected bytes",
    fields: { partial, expected: 10 },
    ancestors: [],
  },
  {
    name: "IncompleteReadError",
    variant: "expected unknown",
    of: (c) => c.reader.IncompleteReadError,
    make: (c) => new c.reader.IncompleteReadError(partial, null),
    // asyncio's None, spelled as JavaScript's undefined.
    code: "ERR_INCOMPLETE_READ",
    message: "3 bytes read on a total of undefined expected bytes",
    fields: { partial, expected: null },
    ancestors: [],
  },
  {
    name: "DrainTimeoutError",
    variant: "idle",
    of: (c) => c.writer.DrainTimeoutError,
    make: (c) => new c.writer.DrainTimeoutError("idle", 5000),
    code: "ERR_DRAIN_TIMEOUT",
    message: "Drain timed out: no bytes sent for 5000 ms",
    fields: { kind: "idle", timeout: 5000 },
    ancestors: [],
  },
  {
    name: "DrainTimeoutError",
    variant: "total",
    of: (c) => c.writer.DrainTimeoutError,
    make: (c) => new c.writer.DrainTimeoutError("total", 30000),
    code: "ERR_DRAIN_TIMEOUT",
    message: "Drain timed out: deadline of 30000 ms passed",
    fields: { kind: "total", timeout: 30000 },
    ancestors: [],
  },
  {
    name: "ConnectionLostError",
    of: (c) => c.writer.ConnectionLostError,
    make: (c) => new c.writer.ConnectionLostError(),
    makeWithCause: (c, cause) => new c.writer.ConnectionLostError(undefined, { cause }),
    code: "ERR_CONNECTION_LOST",
    message: "Connection lost",
    ancestors: [],
  },
  {
    name: "ConnectionResetError",
    of: (c) => c.protocol.ConnectionResetError,
    make: (c) => new c.protocol.ConnectionResetError(),
    makeWithCause: (c, cause) => new c.protocol.ConnectionResetError(undefined, { cause }),
    code: "ECONNRESET",
    message: "Connection reset by peer",
    fields: {
      systemCode: undefined,
      syscall: undefined,
      closeCode: undefined,
      reason: undefined,
      applicationCode: undefined,
    },
    ancestors: [],
  },
  {
    name: "ConnectionResetError",
    variant: "with every detail",
    of: (c) => c.protocol.ConnectionResetError,
    make: (c) =>
      new c.protocol.ConnectionResetError("Cannot read: connection reset by peer", {
        systemCode: "EPIPE",
        syscall: "write",
        closeCode: 1006,
        reason: "going away",
        applicationCode: 2n ** 62n - 1n,
      }),
    code: "ECONNRESET",
    message: "Cannot read: connection reset by peer",
    fields: {
      systemCode: "EPIPE",
      syscall: "write",
      closeCode: 1006,
      reason: "going away",
      applicationCode: 2n ** 62n - 1n,
    },
    ancestors: [],
  },
  {
    name: "ConnectionResetError",
    variant: "as a WebSocket close gives it",
    of: (c) => c.protocol.ConnectionResetError,
    make: (c) =>
      new c.protocol.ConnectionResetError(
        "Connection reset by peer: the WebSocket closed with code 1011 (internal error)",
        { closeCode: 1011, reason: "internal error" },
      ),
    code: "ECONNRESET",
    message: "Connection reset by peer: the WebSocket closed with code 1011 (internal error)",
    fields: { systemCode: undefined, closeCode: 1011, reason: "internal error", applicationCode: undefined },
    ancestors: [],
  },
  {
    name: "ConnectionResetError",
    variant: "as a QUIC stream reset gives it",
    of: (c) => c.protocol.ConnectionResetError,
    make: (c) =>
      new c.protocol.ConnectionResetError("Connection reset by peer: the peer reset the stream with code 7", {
        applicationCode: 7n,
      }),
    code: "ECONNRESET",
    message: "Connection reset by peer: the peer reset the stream with code 7",
    fields: { systemCode: undefined, closeCode: undefined, reason: undefined, applicationCode: 7n },
    ancestors: [],
  },
  {
    name: "HandshakeError",
    of: (c) => c.protocol.HandshakeError,
    make: (c) =>
      new c.protocol.HandshakeError(
        "ERR_HANDSHAKE_FAILED",
        "Cannot open the connection: the peer refused the handshake",
      ),
    makeWithCause: (c, cause) =>
      new c.protocol.HandshakeError("ERR_HANDSHAKE_FAILED", "Cannot open the connection: refused", { cause }),
    code: "ERR_HANDSHAKE_FAILED",
    message: "Cannot open the connection: the peer refused the handshake",
    ancestors: [],
    base: true,
  },
  {
    name: "SocketError",
    of: (c) => c.net.SocketError,
    make: (c) =>
      new c.net.SocketError("Cannot connect to 127.0.0.1:9: refused", {
        code: "ECONNREFUSED",
        syscall: "connect",
        address: "127.0.0.1",
        port: 9,
      }),
    makeWithCause: (c, cause) =>
      new c.net.SocketError("Cannot listen on 127.0.0.1:80: permission denied", { code: "EACCES", cause }),
    code: "ECONNREFUSED",
    message: "Cannot connect to 127.0.0.1:9: refused",
    fields: { syscall: "connect", address: "127.0.0.1", port: 9 },
    ancestors: [],
  },
  {
    name: "SocketError",
    variant: "without details",
    of: (c) => c.net.SocketError,
    make: (c) => new c.net.SocketError("Connection lost: timed out", { code: "ETIMEDOUT" }),
    code: "ETIMEDOUT",
    message: "Connection lost: timed out",
    fields: { syscall: undefined, address: undefined, port: undefined },
    ancestors: [],
  },
  {
    name: "TlsError",
    of: (c) => c.net.TlsError,
    make: (c) =>
      new c.net.TlsError("ERR_ASYNCSTREAMS_TLS_HANDSHAKE_TIMEOUT", "Cannot start TLS: the handshake timed out"),
    makeWithCause: (c, cause) =>
      new c.net.TlsError("CERT_HAS_EXPIRED", "Cannot start TLS: certificate has expired", { cause }),
    code: "ERR_ASYNCSTREAMS_TLS_HANDSHAKE_TIMEOUT",
    message: "Cannot start TLS: the handshake timed out",
    ancestors: ["HandshakeError"],
  },
  {
    name: "TlsError",
    variant: "from tls, a certificate that does not verify",
    of: (c) => c.tls.TlsError,
    make: (c) =>
      new c.tls.TlsError("DEPTH_ZERO_SELF_SIGNED_CERT", `Cannot start TLS: self-signed certificate; ${passTheCa}`),
    code: "DEPTH_ZERO_SELF_SIGNED_CERT",
    message: `Cannot start TLS: self-signed certificate; ${passTheCa}`,
    ancestors: ["HandshakeError"],
  },
  {
    name: "TlsError",
    variant: "from tls, close_notify unanswered",
    of: (c) => c.tls.TlsError,
    make: (c) =>
      new c.tls.TlsError(
        "ERR_ASYNCSTREAMS_TLS_SHUTDOWN_TIMEOUT",
        "Cannot close TLS: SSL shutdown timed out after 0.1 seconds",
      ),
    code: "ERR_ASYNCSTREAMS_TLS_SHUTDOWN_TIMEOUT",
    message: "Cannot close TLS: SSL shutdown timed out after 0.1 seconds",
    ancestors: ["HandshakeError"],
  },
  {
    name: "WebSocketHandshakeError",
    variant: "refused with an HTTP status",
    of: (c) => c.websocket.WebSocketHandshakeError,
    make: (c) =>
      new c.websocket.WebSocketHandshakeError(
        "ERR_WEBSOCKET_HANDSHAKE",
        "ws://127.0.0.1:9/chat",
        "the server refused the upgrade with HTTP status 403",
        { status: 403, closeCode: 1006 },
      ),
    makeWithCause: (c, cause) =>
      new c.websocket.WebSocketHandshakeError("ERR_WEBSOCKET_HANDSHAKE", "ws://127.0.0.1:9/", "refused", { cause }),
    code: "ERR_WEBSOCKET_HANDSHAKE",
    message: "Cannot open the WebSocket to ws://127.0.0.1:9/chat: the server refused the upgrade with HTTP status 403",
    fields: { url: "ws://127.0.0.1:9/chat", status: 403, closeCode: 1006 },
    ancestors: ["HandshakeError"],
  },
  {
    name: "WebSocketHandshakeError",
    variant: "timed out",
    of: (c) => c.websocket.WebSocketHandshakeError,
    make: (c) =>
      new c.websocket.WebSocketHandshakeError(
        "ERR_WEBSOCKET_HANDSHAKE_TIMEOUT",
        "wss://example.test/",
        "the opening handshake took longer than handshakeTimeout (100 ms)",
      ),
    code: "ERR_WEBSOCKET_HANDSHAKE_TIMEOUT",
    message:
      "Cannot open the WebSocket to wss://example.test/: the opening handshake took longer than handshakeTimeout (100 ms)",
    fields: { url: "wss://example.test/", status: undefined, closeCode: undefined },
    ancestors: ["HandshakeError"],
  },
  {
    name: "WebSocketHandshakeError",
    variant: "an accepted socket, whose URL is unknown",
    of: (c) => c.websocket.WebSocketHandshakeError,
    make: (c) =>
      new c.websocket.WebSocketHandshakeError("ERR_WEBSOCKET_HANDSHAKE", "", "the connection closed with code 1006", {
        closeCode: 1006,
      }),
    code: "ERR_WEBSOCKET_HANDSHAKE",
    message: "Cannot open the WebSocket: the connection closed with code 1006",
    fields: { url: "", status: undefined, closeCode: 1006 },
    ancestors: ["HandshakeError"],
  },
  {
    name: "KeepAliveTimeoutError",
    of: (c) => c.websocket.KeepAliveTimeoutError,
    make: (c) => new c.websocket.KeepAliveTimeoutError(5000),
    code: "ERR_WEBSOCKET_KEEPALIVE_TIMEOUT",
    message: "Connection lost: no pong within 5000 ms of a keep-alive ping",
    fields: { timeout: 5000 },
    ancestors: [],
  },
  {
    name: "ReadOverflowError",
    of: (c) => c.websocket.ReadOverflowError,
    make: (c) => new c.websocket.ReadOverflowError(8_388_608),
    code: "ERR_WEBSOCKET_READ_OVERFLOW",
    message:
      "Cannot receive: the peer sent more than maxReadBuffer (8388608 bytes) while the reader was paused, and this WebSocket cannot pause reading; read faster or raise maxReadBuffer",
    fields: { maxReadBuffer: 8_388_608 },
    ancestors: [],
  },
  {
    name: "QuicHandshakeError",
    variant: "failed",
    of: (c) => c.quic.QuicHandshakeError,
    make: (c) =>
      new c.quic.QuicHandshakeError(
        "ERR_ASYNCSTREAMS_QUIC_HANDSHAKE_FAILED",
        "Cannot open a QUIC connection to 127.0.0.1:4433: the handshake failed: no application protocol",
      ),
    makeWithCause: (c, cause) =>
      new c.quic.QuicHandshakeError(
        "ERR_ASYNCSTREAMS_QUIC_HANDSHAKE_FAILED",
        "Cannot open a QUIC connection: refused",
        {
          cause,
        },
      ),
    code: "ERR_ASYNCSTREAMS_QUIC_HANDSHAKE_FAILED",
    message: "Cannot open a QUIC connection to 127.0.0.1:4433: the handshake failed: no application protocol",
    ancestors: ["HandshakeError"],
  },
  {
    name: "QuicHandshakeError",
    variant: "timed out",
    of: (c) => c.quic.QuicHandshakeError,
    make: (c) =>
      new c.quic.QuicHandshakeError(
        "ERR_ASYNCSTREAMS_QUIC_HANDSHAKE_TIMEOUT",
        "Cannot open a QUIC connection to 127.0.0.1:4433: the handshake did not finish within 100 ms",
      ),
    code: "ERR_ASYNCSTREAMS_QUIC_HANDSHAKE_TIMEOUT",
    message: "Cannot open a QUIC connection to 127.0.0.1:4433: the handshake did not finish within 100 ms",
    ancestors: ["HandshakeError"],
  },
];
