import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { ByteSearch } from "@asyncstreams/buffer";
import { nodeByteSearch } from "@asyncstreams/net";
import { ConnectionResetError } from "@asyncstreams/protocol";
import { describe, expect, it, vi } from "vitest";
import WsClient from "ws";
import { openWebSocketConnection, type WebSocketConstructor, WebSocketHandshakeError } from "../src/index.js";
import { startWebSocketServer, type StartWebSocketServerOptions } from "../src/server/index.js";
import { decode, encode, WsWebSocket } from "./_pairs.js";

const WebSocket = WsWebSocket;

/** The ws:// URL of a server's first address, with `path`. */
function urlOf(server: { addresses(): unknown[] }, path = "/"): string {
  const [address] = server.addresses() as AddressInfo[];
  return `ws://127.0.0.1:${address!.port}${path}`;
}

/** A line echo handler that records each request it saw. */
function echo(requests: IncomingMessage[] = []) {
  return async (
    reader: { readLine(): Promise<Uint8Array> },
    writer: { write(data: Uint8Array): void; drain(): Promise<void> },
    request: IncomingMessage,
  ) => {
    requests.push(request);
    for (;;) {
      const line = await reader.readLine();
      if (line.length === 0) break;
      writer.write(line);
      await writer.drain();
    }
  };
}

describe("startWebSocketServer()", () => {
  it("serves each connection as (reader, writer, request), with asyncio's lifecycle", async () => {
    const requests: IncomingMessage[] = [];
    const server = await startWebSocketServer(echo(requests), { host: "127.0.0.1", port: 0, path: "/echo" });
    expect(server.addresses()).toEqual([{ address: "127.0.0.1", family: "IPv4", port: expect.any(Number) as number }]);
    expect(server.isServing()).toBe(true);
    const clients = await Promise.all(
      [1, 2].map(() => openWebSocketConnection(urlOf(server, "/echo?x=1"), { WebSocket })),
    );
    for (const [index, { reader, writer }] of clients.entries()) {
      writer.write(encode(`line ${index}\n`));
      expect(decode(await reader.readLine())).toBe(`line ${index}\n`);
    }
    expect(requests.map((request) => request.url)).toEqual(["/echo?x=1", "/echo?x=1"]);
    expect(requests[0]!.headers.upgrade).toBe("websocket");
    server.close();
    expect(server.addresses()).toEqual([]);
    let waited = false;
    const closed = server.waitClosed().then(() => (waited = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(waited).toBe(false); // clients are still connected
    server.closeClients();
    for (const { reader } of clients) expect((await reader.read()).length).toBe(0); // 1000: EOF
    await closed;
  });

  it("abortClients() drops every connection: the clients see ConnectionResetError with 1006", async () => {
    const server = await startWebSocketServer(echo(), { host: "127.0.0.1", port: 0 });
    const { reader } = await openWebSocketConnection(urlOf(server), { WebSocket });
    server.close();
    server.abortClients(); // the server tracked the connection before it sent 101, so before the client opened
    await expect(reader.readLine()).rejects.toMatchObject({ code: "ECONNRESET", closeCode: 1006 });
    await server.waitClosed();
  });

  it("refuses other paths with 404, and authorize can refuse with 403 or any HTTP status", async () => {
    const seen: string[] = [];
    await using server = await startWebSocketServer(echo(), {
      host: "127.0.0.1",
      port: 0,
      path: "/kv",
      authorize: (request) => {
        seen.push(request.headers.origin ?? "");
        const token = new URL(request.url ?? "/", "http://x").searchParams.get("token");
        return token === "good" ? true : token === "none" ? 401 : false;
      },
    });
    const statusOf = async (path: string) =>
      (
        (await openWebSocketConnection(urlOf(server, path), { WebSocket }).catch(
          (e: unknown) => e,
        )) as WebSocketHandshakeError
      ).status;
    expect(await statusOf("/other?token=good")).toBe(404);
    expect(await statusOf("/kv?token=bad")).toBe(403);
    expect(await statusOf("/kv?token=none")).toBe(401);
    const { reader, writer } = await openWebSocketConnection(urlOf(server, "/kv?token=good"), { WebSocket });
    writer.write(encode("in\n"));
    expect(decode(await reader.readLine())).toBe("in\n");
    expect(seen).toHaveLength(3); // authorize ran only for /kv
    writer.close();
    await writer.waitClosed();
  });

  it("an authorize that throws refuses with 500 and reports to onError", async () => {
    const onError = vi.fn();
    await using server = await startWebSocketServer(echo(), {
      host: "127.0.0.1",
      port: 0,
      onError,
      authorize: () => Promise.reject(new Error("database down")),
    });
    const error = (await openWebSocketConnection(urlOf(server), { WebSocket }).catch(
      (e: unknown) => e,
    )) as WebSocketHandshakeError;
    expect(error.status).toBe(500);
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ message: "database down" }),
      expect.objectContaining({ message: "authorize failed; the upgrade was refused with 500" }),
    );
  });

  it("attaches to an existing HTTP server, which goes on serving plain requests and outlives close()", async () => {
    const http = createServer((_request, response) => response.end("plain http"));
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    try {
      const server = await startWebSocketServer(echo(), { server: http, path: "/ws" });
      expect(server.addresses()).toEqual([http.address()]);
      const { reader, writer } = await openWebSocketConnection(urlOf(server, "/ws"), { WebSocket });
      writer.write(encode("via upgrade\n"));
      expect(decode(await reader.readLine())).toBe("via upgrade\n");
      const { port } = http.address() as AddressInfo;
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe("plain http");
      server.close();
      server.closeClients();
      await server.waitClosed();
      expect(http.listening).toBe(true);
    } finally {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });

  it("a message larger than maxPayload (16 × limit by default) closes that connection with 1009", async () => {
    const sink = async (
      reader: { read(n: number): Promise<Uint8Array> },
      writer: { write(data: Uint8Array): void },
    ) => {
      let total = 0;
      for (let chunk = await reader.read(65_536); chunk.length > 0; chunk = await reader.read(65_536))
        total += chunk.length;
      writer.write(encode(`${total}\n`));
    };
    await using server = await startWebSocketServer(sink, {
      host: "127.0.0.1",
      port: 0,
      limit: 1024,
      onError: () => undefined,
    });
    const fits = await openWebSocketConnection(urlOf(server), { WebSocket });
    fits.writer.write(new Uint8Array(16 * 1024)); // exactly maxPayload: accepted
    const big = await openWebSocketConnection(urlOf(server), { WebSocket });
    big.writer.write(new Uint8Array(16 * 1024 + 1));
    const error: unknown = await big.reader.read().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionResetError);
    expect(error).toMatchObject({ closeCode: 1009 });
    expect(fits.writer.isClosing()).toBe(false);
    server.abortClients();
  });

  it("a client callback that throws is reported to onError with its transport, which is closed", async () => {
    const onError = vi.fn();
    await using server = await startWebSocketServer(
      () => {
        throw new Error("handler bug");
      },
      { host: "127.0.0.1", port: 0, onError },
    );
    const { reader } = await openWebSocketConnection(urlOf(server), { WebSocket });
    expect((await reader.read()).length).toBe(0);
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ message: "handler bug" }),
      expect.objectContaining({
        message: "Unhandled exception in client_connected_cb",
        transport: expect.anything() as unknown,
      }),
    );
  });

  it("refuses a bad path, perMessageDeflate, maxReadBuffer, search or writeBufferLimits before listening", async () => {
    const action = "Cannot start a WebSocket server";
    const cases: [StartWebSocketServerOptions, Error][] = [
      [{ path: "ws" }, new TypeError(`${action}: path must start with "/" (as "/ws"), not "ws"`)],
      [{ path: 5 as never }, new TypeError(`${action}: path must be a string, not number`)],
      [
        { perMessageDeflate: "yes" as never },
        new TypeError(
          `${action}: perMessageDeflate must be true, false or an object of ws's permessage-deflate options`,
        ),
      ],
      [
        { perMessageDeflate: { treshold: 0 } as never },
        new TypeError(
          `${action}: perMessageDeflate: unknown option "treshold"; expected one of serverNoContextTakeover, clientNoContextTakeover, serverMaxWindowBits, clientMaxWindowBits, zlibDeflateOptions, zlibInflateOptions, threshold, concurrencyLimit`,
        ),
      ],
      [
        { perMessageDeflate: { serverMaxWindowBits: 16 } },
        new RangeError(`${action}: perMessageDeflate.serverMaxWindowBits must be an integer from 8 to 15, not 16`),
      ],
      [
        { perMessageDeflate: { serverNoContextTakeover: 1 as never } },
        new TypeError(`${action}: perMessageDeflate.serverNoContextTakeover must be true or false, not 1`),
      ],
      [
        { perMessageDeflate: { threshold: -1 } },
        new RangeError(`${action}: perMessageDeflate.threshold must be an integer >= 0, not -1`),
      ],
      [{ maxReadBuffer: 0 }, new RangeError(`${action}: maxReadBuffer must be an integer greater than 0, not 0`)],
      [{ search: "indexOf" as never }, new TypeError(`${action}: search must be a function, not string`)],
      [
        { writeBufferLimits: { high: 1e3, loww: 1 } as never },
        new TypeError(`${action}: writeBufferLimits: unknown option "loww"; expected one of high, low`),
      ],
    ];
    for (const [options, expected] of cases) {
      const error: unknown = await startWebSocketServer(echo(), { host: "127.0.0.1", port: 0, ...options }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(expected.constructor);
      expect((error as Error).message).toBe(expected.message);
    }
  });

  it("passes search and maxReadBuffer to each connection, and perMessageDeflate's settings to ws", async () => {
    let searches = 0;
    const search: ByteSearch = (haystack, needle, fromIndex) => {
      searches += 1;
      return nodeByteSearch(haystack, needle, fromIndex);
    };
    const extensions: unknown[] = [];
    /** ws's WebSocket, recording the extensions the server's 101 response agreed to. */
    class RecordingWebSocket extends WsClient {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols);
        this.on("upgrade", (response) => extensions.push(response.headers["sec-websocket-extensions"]));
      }
    }
    const server = await startWebSocketServer(echo(), {
      host: "127.0.0.1",
      port: 0,
      search,
      maxReadBuffer: 1024,
      perMessageDeflate: { threshold: 0, serverMaxWindowBits: 10 },
    });
    try {
      const { reader, writer } = await openWebSocketConnection(urlOf(server), {
        WebSocket: RecordingWebSocket as unknown as WebSocketConstructor,
        handshakeTimeout: 5_000,
      });
      expect(extensions).toEqual([expect.stringMatching(/^permessage-deflate; server_max_window_bits=10/)]);
      writer.write(encode("searched\n"));
      expect(decode(await reader.readLine())).toBe("searched\n");
      expect(searches).toBeGreaterThan(0);
    } finally {
      server.close();
      server.abortClients();
      await server.waitClosed();
    }
  });

  it("refuses unknown options, server with host or port, and a bad limit or maxPayload", async () => {
    await expect(startWebSocketServer(echo(), { prot: 1 } as never)).rejects.toThrow(/unknown option "prot"/);
    await expect(startWebSocketServer(echo(), { server: createServer(), port: 0 })).rejects.toThrow(
      /either server .* or host and port/,
    );
    await expect(startWebSocketServer(echo(), { limit: -1 })).rejects.toBeInstanceOf(RangeError);
    await expect(startWebSocketServer(echo(), { maxPayload: 1.5 })).rejects.toThrow(
      /maxPayload must be an integer greater than 0/,
    );
  });
});
