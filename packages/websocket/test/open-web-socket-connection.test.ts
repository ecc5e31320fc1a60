import { createServer as createTcpServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { HandshakeError } from "@asyncstreams/protocol";
import { describe, expect, it } from "vitest";
import { openWebSocketConnection, type OpenWebSocketConnectionOptions, WebSocketHandshakeError } from "../src/index.js";
import { startWebSocketServer } from "../src/server/index.js";
import { decode, encode, GlobalWebSocket, WsWebSocket } from "./_pairs.js";

/** A TCP server that accepts and never answers: an opening handshake that hangs. */
async function silentServer() {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => sockets.add(socket.on("close", () => sockets.delete(socket)).resume())); // reading, so that it sees the client go
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    sockets,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The URL of a port nobody listens on. */
async function refusedUrl(): Promise<string> {
  const server = await silentServer();
  const { url } = server;
  await server.close();
  return url;
}

describe("openWebSocketConnection() options", () => {
  it("refuses an unknown option, a bad limit, and a bad handshakeTimeout with no network activity", async () => {
    await expect(openWebSocketConnection("ws://127.0.0.1:9/", { limt: 5 } as never)).rejects.toThrow(
      new TypeError(
        'Cannot open a WebSocket connection: unknown option "limt"; expected one of limit, writeBufferLimits, maxReadBuffer, keepAlive, search, protocols, signal, handshakeTimeout, WebSocket, webSocketStream',
      ),
    );
    await expect(
      openWebSocketConnection("ws://127.0.0.1:9/", { limit: 0, WebSocket: WsWebSocket }),
    ).rejects.toBeInstanceOf(RangeError);
    await expect(
      openWebSocketConnection("ws://127.0.0.1:9/", { handshakeTimeout: -1, WebSocket: WsWebSocket }),
    ).rejects.toThrow(/handshakeTimeout must be a number of milliseconds greater than 0/);
    await expect(
      openWebSocketConnection("ws://127.0.0.1:9/", {
        keepAlive: { interval: 10, timout: 5 } as never,
        WebSocket: WsWebSocket,
      }),
    ).rejects.toThrow(/keepAlive: unknown option "timout"/);
    await expect(
      openWebSocketConnection("ws://127.0.0.1:9/", {
        signal: AbortSignal.abort(new Error("stop")),
        WebSocket: WsWebSocket,
      }),
    ).rejects.toThrow("stop");
  });

  it("refuses options of the wrong type with a message that says what to give, before any network activity", async () => {
    const url = "ws://127.0.0.1:9/";
    const action = "Cannot open a WebSocket connection";
    const WebSocket = WsWebSocket;
    const cases: [OpenWebSocketConnectionOptions, Error][] = [
      [
        { WebSocket, writeBufferLimits: { hihg: 10 } as never },
        new TypeError(`${action}: writeBufferLimits: unknown option "hihg"; expected one of high, low`),
      ],
      [
        { WebSocket, writeBufferLimits: { high: "10" } as never },
        new TypeError(
          `${action}: writeBufferLimits.high must be a number of bytes (an integer >= 0, or Infinity), not string`,
        ),
      ],
      [
        { WebSocket, writeBufferLimits: { low: 1.5 } },
        new RangeError(
          `${action}: writeBufferLimits.low must be a number of bytes (an integer >= 0, or Infinity), not 1.5`,
        ),
      ],
      [
        { WebSocket, writeBufferLimits: { high: -1 } },
        new RangeError(
          `${action}: writeBufferLimits.high must be a number of bytes (an integer >= 0, or Infinity), not -1`,
        ),
      ],
      [
        { WebSocket, writeBufferLimits: 5 as never },
        new TypeError(`${action}: writeBufferLimits must be an object, not 5`),
      ],
      [
        { WebSocket, webSocketStream: "false" as never },
        new TypeError(`${action}: webSocketStream must be true or false, not string`),
      ],
      [
        { WebSocket, signal: { aborted: false } as never },
        new TypeError(`${action}: signal must be an AbortSignal (AbortController's signal), not object`),
      ],
      [
        { WebSocket: {} as never },
        new TypeError(
          `${action}: WebSocket (a WebSocket constructor, such as ws's WebSocket) must be a function, not object`,
        ),
      ],
      [{ WebSocket, search: 5 as never }, new TypeError(`${action}: search must be a function, not number`)],
    ];
    for (const [options, expected] of cases) {
      const error: unknown = await openWebSocketConnection(url, options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(expected.constructor);
      expect((error as Error).message).toBe(expected.message);
    }
    // high >= low is checked up front too (the message is the transport's own).
    await expect(
      openWebSocketConnection(url, { WebSocket, writeBufferLimits: { high: 1, low: 2 } }),
    ).rejects.toBeInstanceOf(RangeError);
  });

  it("refuses a handshakeTimeout or keepAlive duration above 2147483647 ms, which setTimeout would cut to 1 ms", async () => {
    const action = "Cannot open a WebSocket connection";
    await expect(
      openWebSocketConnection("ws://127.0.0.1:9/", { handshakeTimeout: 2 ** 31, WebSocket: WsWebSocket }),
    ).rejects.toThrow(
      new RangeError(
        `${action}: handshakeTimeout must be at most 2147483647 ms (about 24.8 days, the longest timer delay), not 2147483648`,
      ),
    );
    await expect(
      openWebSocketConnection("ws://127.0.0.1:9/", { keepAlive: { interval: 2 ** 32 }, WebSocket: WsWebSocket }),
    ).rejects.toThrow(/keepAlive\.interval must be at most 2147483647 ms/);
    await expect(
      openWebSocketConnection("ws://127.0.0.1:9/", {
        keepAlive: { interval: 1000, timeout: 1e10 },
        WebSocket: WsWebSocket,
      }),
    ).rejects.toThrow(/keepAlive\.timeout must be at most 2147483647 ms/);
  });

  it.skipIf("WebSocketStream" in globalThis)(
    "webSocketStream: true on a runtime without WebSocketStream (Node) is a TypeError, before any network activity",
    async () => {
      await expect(
        openWebSocketConnection("ws://127.0.0.1:9/", { webSocketStream: true, WebSocket: WsWebSocket }),
      ).rejects.toThrow(/no WebSocketStream \(webSocketStream: true\)/);
    },
  );

  it.skipIf(GlobalWebSocket !== undefined)(
    "says what to do where the runtime has no global WebSocket (Node 20)",
    async () => {
      await expect(openWebSocketConnection("ws://127.0.0.1:9/")).rejects.toThrow(
        /no global WebSocket; pass one as the WebSocket option \(on Node 20, the ws package's WebSocket\)/,
      );
    },
  );

  it.skipIf(GlobalWebSocket === undefined)(
    "refuses keepAlive on a WHATWG WebSocket, which cannot send pings",
    async () => {
      await expect(openWebSocketConnection("ws://127.0.0.1:9/", { keepAlive: { interval: 1000 } })).rejects.toThrow(
        /keepAlive needs a socket that can send pings/,
      );
    },
  );
});

for (const [label, Constructor] of [
  ["ws", WsWebSocket],
  ["the global WebSocket", GlobalWebSocket],
] as const) {
  describe.skipIf(Constructor === undefined)(`openWebSocketConnection() with ${label}`, () => {
    const WebSocket = Constructor ?? WsWebSocket;

    it("opens, offers subprotocols, and exchanges lines", async () => {
      await using server = await startWebSocketServer(
        async (reader, writer) => {
          writer.write(encode(`${writer.getExtraInfo("subprotocol" as never) as string}:`));
          writer.write(await reader.readLine());
          await writer.drain();
        },
        { host: "127.0.0.1", port: 0, selectProtocol: (protocols) => protocols.at(-1) ?? false },
      );
      const [address] = server.addresses() as { port: number }[];
      const { reader, writer } = await openWebSocketConnection(`ws://127.0.0.1:${address!.port}/`, {
        WebSocket,
        protocols: ["kv.v1", "kv.v2"],
      });
      expect(writer.getExtraInfo("subprotocol" as never)).toBe("kv.v2");
      writer.write(encode("hello\n"));
      expect(decode(await reader.readLine())).toBe("kv.v2:hello\n");
      writer.close();
      await writer.waitClosed();
      server.closeClients();
    });

    it("rejects with a WebSocketHandshakeError (a HandshakeError) when the server refuses the upgrade", async () => {
      await using server = await startWebSocketServer(() => undefined, {
        host: "127.0.0.1",
        port: 0,
        authorize: () => 401,
      });
      const [address] = server.addresses() as { port: number }[];
      const error: unknown = await openWebSocketConnection(`ws://127.0.0.1:${address!.port}/`, { WebSocket }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WebSocketHandshakeError);
      expect(error).toBeInstanceOf(HandshakeError);
      expect(error).toMatchObject({ code: "ERR_WEBSOCKET_HANDSHAKE", url: `ws://127.0.0.1:${address!.port}/` });
      if (label === "ws") {
        expect(error).toMatchObject({
          status: 401,
          message: `Cannot open the WebSocket to ws://127.0.0.1:${address!.port}/: the server refused the upgrade with HTTP status 401`,
        });
      } else {
        // The WHATWG WebSocket reports only 1006, with no detail, and the message says so.
        expect(error).toMatchObject({ status: undefined, closeCode: 1006 });
        expect((error as Error).message).toMatch(
          /closed with code 1006 before the opening handshake completed; the WHATWG WebSocket gives no detail/,
        );
      }
    });

    it("rejects with a WebSocketHandshakeError when nobody listens", async () => {
      const error: unknown = await openWebSocketConnection(await refusedUrl(), { WebSocket }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WebSocketHandshakeError);
      expect(error).toMatchObject({ code: "ERR_WEBSOCKET_HANDSHAKE" });
    });

    it("handshakeTimeout rejects with ERR_WEBSOCKET_HANDSHAKE_TIMEOUT and closes the socket", async () => {
      const server = await silentServer();
      try {
        const error: unknown = await openWebSocketConnection(server.url, { WebSocket, handshakeTimeout: 100 }).catch(
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(WebSocketHandshakeError);
        expect(error).toMatchObject({
          code: "ERR_WEBSOCKET_HANDSHAKE_TIMEOUT",
          message: `Cannot open the WebSocket to ${server.url}: the opening handshake took longer than handshakeTimeout (100 ms)`,
        });
        await expect.poll(() => server.sockets.size, { timeout: 5_000 }).toBe(0);
      } finally {
        await server.close();
      }
    });

    it("an aborted signal rejects with its reason and closes the socket", async () => {
      const server = await silentServer();
      try {
        const controller = new AbortController();
        const opening = openWebSocketConnection(server.url, { WebSocket, signal: controller.signal });
        await expect.poll(() => server.sockets.size, { timeout: 5_000 }).toBe(1);
        const reason = new Error("changed my mind");
        controller.abort(reason);
        await expect(opening).rejects.toBe(reason);
        await expect.poll(() => server.sockets.size, { timeout: 5_000 }).toBe(0);
      } finally {
        await server.close();
      }
    });
  });
}
