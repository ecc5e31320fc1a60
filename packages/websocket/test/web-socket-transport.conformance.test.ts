import { transportConformance } from "@asyncstreams/protocol/testing";
import { describe, it } from "vitest";
import { WebSocketTransport, type WebSocketConstructor } from "../src/index.js";
import { GlobalWebSocket, rawServer, whenClosed, whenOpen, WsWebSocket } from "./_pairs.js";

/** A client socket of `Constructor` and ws's server-side socket on 127.0.0.1, each in a WebSocketTransport. */
function factory(Constructor: WebSocketConstructor) {
  return async () => {
    const server = await rawServer();
    const accepted = server.accepted();
    const client = new Constructor(server.url);
    const [peer] = await Promise.all([accepted, whenOpen(client)]);
    return {
      transports: [new WebSocketTransport(client), new WebSocketTransport(peer)] as const,
      async close() {
        // The kit has closed or aborted both ends; drop whatever is still shaking hands.
        const closed = [whenClosed(client), whenClosed(peer)];
        peer.terminate();
        await Promise.all(closed);
        await server.close();
      },
    };
  };
}

for (const [label, Constructor] of [
  ["ws", WsWebSocket],
  ["the global WebSocket", GlobalWebSocket],
] as const) {
  describe.skipIf(Constructor === undefined)(`WebSocketTransport conformance, ${label} client to a ws server`, () => {
    // pauseReading: ws pauses its socket; a WHATWG socket holds messages in the transport (up to maxReadBuffer).
    const cases = transportConformance(factory(Constructor ?? WsWebSocket), {
      halfClose: false,
      pauseReading: true,
      writeBufferLimits: true,
    });
    for (const c of cases) {
      // A WHATWG socket cannot stop reading, so its peer's drain() never waits: the transport holds
      // up to maxReadBuffer, then closes with 4009. That bound is tested in web-socket-back-pressure.test.ts.
      const unbounded = label !== "ws" && c.name.startsWith("drain() waits while the peer's reader is full");
      (unbounded ? it.skip : it)(c.name, c.run);
    }
  });
}
