import type { AddressInfo } from "node:net";
import { transportConformance } from "@asyncstreams/protocol/testing";
import { describe, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { whenOpen } from "../src/websocket-streams.js";
import { WebSocketTransport } from "../src/websocket-transport.js";

/** Resolves once `ws` has closed (at once if it already has). */
function whenClosed(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => ws.once("close", () => resolve()));
}

/** A connected ws client and server-side socket on 127.0.0.1, wrapped in WebSocketTransports. */
async function webSocketPair() {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    wss.once("listening", resolve);
    wss.once("error", reject);
  });
  const { port } = wss.address() as AddressInfo;
  const accepted = new Promise<WebSocket>((resolve) => wss.once("connection", resolve));
  const client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
  const [server] = await Promise.all([accepted, whenOpen(client)]);
  return {
    transports: [new WebSocketTransport(client), new WebSocketTransport(server)] as const,
    async close() {
      // The kit has closed or aborted both ends; terminate whatever is still shaking hands.
      for (const ws of [client, server]) ws.terminate();
      await Promise.all([whenClosed(client), whenClosed(server)]);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

describe("WebSocketTransport conformance over a loopback ws connection", () => {
  const cases = transportConformance(webSocketPair, { halfClose: false, pauseReading: true, writeBufferLimits: true });
  for (const c of cases) it(c.name, c.run);
});
