import { createServer } from "node:http";
import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openWebSocketConnection, WebSocketHandshakeError } from "../src/index.js";
import { startWebSocketServer, WebSocketServer } from "../src/server/index.js";
import { WsWebSocket } from "./_pairs.js";

const WebSocket = WsWebSocket;

/** The ws:// URL of a server's first address. */
function urlOf(server: { addresses(): unknown[] }): string {
  const [address] = server.addresses() as AddressInfo[];
  return `ws://127.0.0.1:${address!.port}/`;
}

/**
 * Sends `head` as a raw upgrade request and resolves with everything the server answered once it
 * closes the connection (rejects after `timeout` ms, with the socket destroyed).
 */
function rawUpgrade(port: number, target: string, timeout = 3_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close within ${timeout} ms; got ${JSON.stringify(answer)}`));
    }, timeout);
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => (answer += chunk));
    socket.on("error", () => undefined); // a reset after the answer is what some refusals do
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(answer);
    });
    socket.write(
      `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
    );
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("WebSocketServer", () => {
  it("answers an upgrade whose request target is not a URL (GET //[) with 400 and closes the socket, and goes on serving", async () => {
    await using server = await startWebSocketServer((_reader, writer) => writer.close(), {
      host: "127.0.0.1",
      port: 0,
      path: "/ws",
    });
    const { port } = server.addresses()[0] as AddressInfo;
    expect(await rawUpgrade(port, "//[")).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(await rawUpgrade(port, "/elsewhere")).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
    const { reader } = await openWebSocketConnection(`${urlOf(server)}ws`, { WebSocket });
    expect((await reader.read()).length).toBe(0);
  });

  it("a selectProtocol that throws refuses that upgrade with 500 and reports to onError; the server serves on", async () => {
    const onError = vi.fn();
    let fail = true;
    await using server = await startWebSocketServer((_reader, writer) => writer.close(), {
      host: "127.0.0.1",
      port: 0,
      onError,
      selectProtocol: (protocols) => {
        if (fail) throw new Error("selectProtocol bug");
        return protocols[0] ?? false;
      },
    });
    const error: unknown = await openWebSocketConnection(urlOf(server), {
      WebSocket,
      protocols: ["a"],
      handshakeTimeout: 5_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebSocketHandshakeError);
    expect(error).toMatchObject({ status: 500 });
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ message: "selectProtocol bug" }),
      expect.objectContaining({ message: "the upgrade failed; it was refused with 500" }),
    );
    fail = false;
    const { reader, writer } = await openWebSocketConnection(urlOf(server), {
      WebSocket,
      protocols: ["a"],
      handshakeTimeout: 5_000,
    });
    expect(writer.getExtraInfo("subprotocol" as never)).toBe("a");
    expect((await reader.read()).length).toBe(0);
  });

  it("an onError that throws falls back to console.error, and the upgrade is still refused", async () => {
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => undefined);
    await using server = await startWebSocketServer((_reader, writer) => writer.close(), {
      host: "127.0.0.1",
      port: 0,
      authorize: () => {
        throw new Error("authorize bug");
      },
      onError: () => {
        throw new Error("onError bug");
      },
    });
    const error: unknown = await openWebSocketConnection(urlOf(server), { WebSocket, handshakeTimeout: 5_000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ status: 500 });
    expect(consoleError).toHaveBeenCalledWith(
      "WebSocketServer: onError threw while reporting an error",
      expect.objectContaining({ message: "onError bug" }),
    );
    expect(consoleError).toHaveBeenCalledWith(
      "authorize failed; the upgrade was refused with 500",
      expect.objectContaining({ message: "authorize bug" }),
    );
  });

  it("its constructor refuses hooks that are not functions with a TypeError", () => {
    const http = createServer();
    const init = {
      httpServer: http,
      ownsHttpServer: false,
      wss: { handleUpgrade: () => undefined, close: () => undefined },
      onClient: () => undefined,
      onError: undefined,
      path: undefined,
      authorize: undefined,
      limit: undefined,
      writeBufferLimits: undefined,
      keepAlive: undefined,
    };
    expect(() => new WebSocketServer({ ...init, authorize: true as never })).toThrow(
      new TypeError("Cannot make a WebSocketServer: authorize must be a function, not boolean"),
    );
    expect(() => new WebSocketServer({ ...init, onError: console as never })).toThrow(
      new TypeError("Cannot make a WebSocketServer: onError must be a function, not object"),
    );
    expect(() => new WebSocketServer({ ...init, onClient: undefined as never })).toThrow(
      new TypeError("Cannot make a WebSocketServer: onClient must be a function"),
    );
    expect(http.listenerCount("upgrade")).toBe(0);
  });

  it("refuses hooks that are not functions with a TypeError, before listening", async () => {
    for (const hook of ["authorize", "selectProtocol", "onError"]) {
      await expect(startWebSocketServer(() => undefined, { [hook]: "yes" })).rejects.toThrow(
        new TypeError(`Cannot start a WebSocket server: ${hook} must be a function, not string`),
      );
    }
  });
});
