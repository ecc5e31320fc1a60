// The fix for @matrixai/quic 2.0.9's crash on streams that arrive with the handshake.
//
// quiche reports the handshake done in the same `recv()` that brings the peer's first streams, and
// QUICConnection.processStreams() then runs while the connection is still `starting`. It treats the
// connection as not running and shuts those streams down; for a peer's unidirectional stream
// quiche throws InvalidStreamState out of processStreams(), nobody catches it, and the Node process
// dies. Every HTTP/3 peer opens its control streams in that first flight, so it happens each time.
// Deferring stream processing until the connection has started (and its owner has registered its
// listeners) fixes it. The fix lives here, in this package's code, because a patch to node_modules
// would never reach users who install from the registry. Not yet reported to MatrixAI/js-quic (this
// project's machines cannot reach GitHub): test/_matrixai-unpatched-server.mjs and the ngtcp2 tests
// reproduce it, for whoever files the report; drop this file once a fixed release is pinned.
import { QUICConnection, events } from "@matrixai/quic";
import { startStop } from "@matrixai/async-init";

interface Patchable {
  processStreams: (this: QUICConnection) => void;
}

const PATCHED = Symbol.for("@asyncstreams/quic.deferEarlyStreams");

/** Patches `QUICConnection.prototype.processStreams` once per loaded copy of @matrixai/quic. */
export function deferEarlyStreams(): void {
  const prototype = QUICConnection.prototype as unknown as Patchable & Record<symbol, unknown>;
  if (prototype[PATCHED] === true) return;
  prototype[PATCHED] = true;
  const original = prototype.processStreams;
  const deferred = new WeakSet<object>();
  prototype.processStreams = function processStreams(this: QUICConnection): void {
    const state = this as unknown as Record<symbol, unknown>;
    if (state[startStop.status] !== "starting") {
      original.call(this);
      return;
    }
    if (deferred.has(this)) return; // one deferred pass sees every stream that is readable by then
    deferred.add(this);
    this.addEventListener(
      events.EventQUICConnectionStarted.name,
      () => {
        // setImmediate: after start() resolves and the client or server hands the connection out.
        setImmediate(() => {
          if (state[startStop.running] !== true || state[startStop.status] === "stopping") return;
          original.call(this);
          // What processStreams() read must be acknowledged and its flow-control credit sent.
          void (this as unknown as { send(): Promise<void> }).send().catch(() => undefined);
        });
      },
      { once: true },
    );
  };
}
