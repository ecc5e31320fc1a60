// Run by two-copies.test.ts in plain Node: loads the packages from two separate node_modules trees
// (argv[2] and argv[3], each with an index.mjs re-exporting its packages) and prints, as JSON, how
// errors made by one copy fare against the other copy's classes.
import { pathToFileURL } from "node:url";
import { join } from "node:path";

const [treeA, treeB] = process.argv.slice(2);
const a = await import(pathToFileURL(join(treeA, "index.mjs")).href);
const b = await import(pathToFileURL(join(treeB, "index.mjs")).href);

/** How a rejected promise settled. */
async function rejectionOf(promise) {
  return promise.then(
    () => undefined,
    (error) => error,
  );
}

/** Errors made by real operations of `copy`, plus one of each class that no operation here raises. */
async function errorsOf(copy) {
  const atEof = new copy.reader.StreamReader();
  atEof.feedData(new Uint8Array([1, 2]));
  atEof.feedEof();
  const overLimit = new copy.reader.StreamReader({ limit: 3 });
  overLimit.feedData(new TextEncoder().encode("too long\n"));
  const fed = new copy.reader.StreamReader();
  fed.feedEof();
  const busy = new copy.reader.StreamReader();
  const waiting = busy.readLine();
  const second = rejectionOf(busy.readLine());
  busy.feedEof();
  await waiting;
  let invalidState;
  try {
    fed.feedData(new Uint8Array([1]));
  } catch (error) {
    invalidState = error;
  }
  return {
    IncompleteReadError: await rejectionOf(atEof.readExactly(4)),
    LimitOverrunError: await rejectionOf(overLimit.readLine()),
    InvalidStateError: invalidState,
    ReadInProgressError: await second,
    ReadTimeoutError: new copy.reader.ReadTimeoutError("idle", 1000),
    TextDecodeError: new copy.reader.TextDecodeError("utf-8", new Uint8Array([0xff])),
    DrainTimeoutError: new copy.writer.DrainTimeoutError("total", 1000),
    NotImplementedError: new copy.buffer.NotImplementedError("pauseReading"),
    ConnectionLostError: new copy.writer.ConnectionLostError(),
    ConnectionResetError: new copy.protocol.ConnectionResetError(),
    SocketError: new copy.net.SocketError("Cannot connect: refused", { code: "ECONNREFUSED" }),
    TlsError: new copy.net.TlsError("CERT_HAS_EXPIRED", "Cannot start TLS: certificate has expired"),
    KeepAliveTimeoutError: new copy.websocket.KeepAliveTimeoutError(1000),
    ReadOverflowError: new copy.websocket.ReadOverflowError(1024),
    WebSocketHandshakeError: new copy.websocket.WebSocketHandshakeError(
      "ERR_WEBSOCKET_HANDSHAKE",
      "ws://127.0.0.1:1/",
      "the server refused the upgrade",
    ),
    QuicHandshakeError: new copy.quic.QuicHandshakeError(
      "ERR_ASYNCSTREAMS_QUIC_HANDSHAKE_TIMEOUT",
      "Cannot open a QUIC connection: the handshake timed out",
    ),
  };
}

/** An entry point's first function or class in name order: two copies of the entry have two of it. */
function firstFunction(entry) {
  return Object.keys(entry)
    .sort()
    .map((name) => entry[name])
    .find((value) => typeof value === "function");
}

/** The classes of `copy` an error is checked against. */
function classesOf(copy) {
  return {
    StreamError: copy.buffer.StreamError,
    NotImplementedError: copy.buffer.NotImplementedError,
    IncompleteReadError: copy.reader.IncompleteReadError,
    LimitOverrunError: copy.reader.LimitOverrunError,
    InvalidStateError: copy.reader.InvalidStateError,
    ReadInProgressError: copy.reader.ReadInProgressError,
    ReadTimeoutError: copy.reader.ReadTimeoutError,
    TextDecodeError: copy.reader.TextDecodeError,
    DrainTimeoutError: copy.writer.DrainTimeoutError,
    ConnectionLostError: copy.writer.ConnectionLostError,
    ConnectionResetError: copy.protocol.ConnectionResetError,
    HandshakeError: copy.protocol.HandshakeError,
    SocketError: copy.net.SocketError,
    TlsError: copy.net.TlsError,
    KeepAliveTimeoutError: copy.websocket.KeepAliveTimeoutError,
    ReadOverflowError: copy.websocket.ReadOverflowError,
    WebSocketHandshakeError: copy.websocket.WebSocketHandshakeError,
    QuicHandshakeError: copy.quic.QuicHandshakeError,
  };
}

/** For each error of `maker`, the classes of `checker` it is an instance of, and its code. */
async function crossCheck(maker, checker) {
  const classes = classesOf(checker);
  const result = {};
  for (const [name, error] of Object.entries(await errorsOf(maker))) {
    result[name] = {
      instanceOf: Object.entries(classes)
        .filter(([, type]) => error instanceof type)
        .map(([className]) => className)
        .sort(),
      code: error.code,
    };
  }
  return result;
}

console.log(
  JSON.stringify({
    distinctClasses:
      a.buffer.StreamError !== b.buffer.StreamError && a.reader.IncompleteReadError !== b.reader.IncompleteReadError,
    // An entry point that resolved to the other copy's module (hoisted, shared) would give the same function.
    entryPoints: Object.fromEntries(
      Object.keys(a).map((name) => {
        const mine = firstFunction(a[name]);
        return [name, mine !== undefined && mine !== firstFunction(b[name])];
      }),
    ),
    bMadeCheckedByA: await crossCheck(b, a),
    aMadeCheckedByB: await crossCheck(a, b),
  }),
);
