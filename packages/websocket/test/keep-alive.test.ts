import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { type WebSocket, WebSocketServer } from "ws";
import { acceptWebSocket, KeepAliveTimeoutError, openWebSocketConnection } from "../src/index.js";
import { GlobalWebSocket, whenOpen, WsWebSocket } from "./_pairs.js";

/** A ws server whose sockets answer pings (or not): a live peer, or a half-open one. */
async function pingServer(autoPong: boolean) {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, autoPong });
  await new Promise<void>((resolve) => wss.once("listening", resolve));
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

describe("keepAlive", () => {
  it("a peer that stops answering pings fails the pending read, later reads and drain() with KeepAliveTimeoutError", async () => {
    const server = await pingServer(false);
    try {
      const { reader, writer } = await openWebSocketConnection(server.url, {
        WebSocket: WsWebSocket,
        keepAlive: { interval: 50, timeout: 100 },
      });
      const error: unknown = await reader.readLine().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KeepAliveTimeoutError);
      expect(error).toMatchObject({
        code: "ERR_WEBSOCKET_KEEPALIVE_TIMEOUT",
        timeout: 100,
        message: "Connection lost: no pong within 100 ms of a keep-alive ping",
      });
      await expect(reader.read()).rejects.toBe(error);
      await expect(writer.drain()).rejects.toBe(error);
      expect(writer.isClosing()).toBe(true);
    } finally {
      await server.close();
    }
  });

  it("a peer that answers pings keeps the connection open well past the timeout", async () => {
    const server = await pingServer(true);
    try {
      const { reader, writer } = await openWebSocketConnection(server.url, {
        WebSocket: WsWebSocket,
        keepAlive: { interval: 20, timeout: 100 },
      });
      const controller = new AbortController();
      const reading = reader.readLine({ signal: controller.signal }).catch((e: unknown) => e);
      await new Promise((resolve) => setTimeout(resolve, 400));
      controller.abort(new Error("enough"));
      expect(await reading).toEqual(new Error("enough"));
      expect(writer.isClosing()).toBe(false);
      writer.close();
      await writer.waitClosed();
    } finally {
      await server.close();
    }
  });

  it("a reader paused for back-pressure keeps a live connection: the pong deadline waits while the socket is paused", async () => {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false });
    await new Promise<void>((resolve) => wss.once("listening", resolve));
    try {
      const accepted = new Promise<WebSocket>((resolve) => wss.once("connection", resolve));
      const { reader, writer } = await openWebSocketConnection(
        `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`,
        {
          WebSocket: WsWebSocket,
          keepAlive: { interval: 20, timeout: 60 },
          limit: 1024,
        },
      );
      const peer = await accepted;
      const sent = new Uint8Array(256 * 1024).fill(1);
      peer.send(sent);
      // Past 2 × limit the reader pauses the socket: pongs wait unread in the kernel with the data.
      await expect.poll(() => reader.isPausing, { timeout: 5_000 }).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 400)); // many timeouts' worth
      expect(writer.isClosing()).toBe(false);
      expect((await reader.readExactly(sent.length)).length).toBe(sent.length);
      await new Promise((resolve) => setTimeout(resolve, 200)); // reading again: pings and pongs resume
      expect(writer.isClosing()).toBe(false);
      writer.close();
      await writer.waitClosed();
    } finally {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    }
  });

  it.skipIf(GlobalWebSocket === undefined)("is refused on a WHATWG WebSocket, which cannot send pings", async () => {
    const server = await pingServer(true);
    try {
      const socket = new GlobalWebSocket!(server.url);
      await whenOpen(socket);
      expect(() => acceptWebSocket(socket, { keepAlive: { interval: 1000 } })).toThrow(
        /keepAlive needs a socket that can send pings, such as ws's; the WHATWG WebSocket cannot/,
      );
      socket.close();
    } finally {
      await server.close();
    }
  });
});
