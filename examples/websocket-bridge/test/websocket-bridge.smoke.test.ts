import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { openConnection, startServer } from "@asyncstreams/net";
import { ConnectionResetError } from "@asyncstreams/protocol";
import { acceptWebSocket, openWebSocketConnection } from "@asyncstreams/websocket";
import { startWebSocketServer } from "@asyncstreams/websocket/server";
import { describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { kvSession, runCommands } from "../src/kv-session.js";
import { runBridge } from "../src/run-bridge.js";

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const encoder = new TextEncoder();

/** A ws server on 127.0.0.1, a client connected to it, and the server side of that connection. */
async function rawPair(): Promise<{ client: WebSocket; server: WebSocket; close(): Promise<void> }> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => wss.once("listening", resolve));
  const accepted = new Promise<WebSocket>((resolve) => wss.once("connection", resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  const opened = new Promise<void>((resolve) => client.once("open", () => resolve()));
  const [server] = await Promise.all([accepted, opened]);
  return {
    client,
    server,
    close: async () => {
      client.terminate();
      server.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

describe("examples/websocket-bridge", () => {
  it("the same handler function serves TCP and WebSocket clients, sharing one store", async () => {
    const handler = kvSession();
    const tcp = await startServer(handler, { host: "127.0.0.1", port: 0 });
    const ws = await startWebSocketServer(handler, { host: "127.0.0.1", port: 0 });
    try {
      const [address] = tcp.addresses();
      if (address === undefined || typeof address === "string") throw new Error("no TCP address");
      const overTcp = await openConnection({ host: address.address, port: address.port });
      const first = await runCommands(overTcp.reader, overTcp.writer, ["SET k from-tcp", "QUIT"]);
      expect(first).toEqual({ replies: ["OK", "BYE"], serverClosed: true });
      const [wsAddress] = ws.addresses() as AddressInfo[];
      const overWs = await openWebSocketConnection(`ws://127.0.0.1:${wsAddress!.port}/`, { WebSocket });
      const second = await runCommands(overWs.reader, overWs.writer, ["GET k", "SET k from-ws", "BOGUS", "QUIT"]);
      expect(second).toEqual({
        replies: ["VALUE from-tcp", "OK", 'ERR unknown command "BOGUS"', "BYE"],
        serverClosed: true,
      });
      const againTcp = await openConnection({ host: address.address, port: address.port });
      const third = await runCommands(againTcp.reader, againTcp.writer, ["GET k", "QUIT"]);
      expect(third.replies).toEqual(["VALUE from-ws", "BYE"]);
    } finally {
      tcp.close();
      ws.close();
      await Promise.all([tcp.waitClosed(), ws.waitClosed()]);
    }
  });

  it("runBridge() prints the transcript of both transports and shuts down", async () => {
    const lines: string[] = [];
    const sessions = await runBridge((line) => lines.push(line));
    expect(sessions.map((s) => s.via)).toEqual(["tcp", "websocket", "tcp"]);
    expect(sessions.every((s) => s.serverClosed)).toBe(true);
    expect(sessions[1]!.replies.slice(0, 2)).toEqual(["VALUE hello from tcp", "VALUE 42"]);
    expect(lines[0]).toMatch(/^tcp server on 127\.0\.0\.1:\d+$/);
    expect(lines[1]).toMatch(/^websocket server on ws:\/\/127\.0\.0\.1:\d+\/$/);
    expect(lines).toContain("[websocket] < VALUE hello from tcp");
    expect(lines.at(-1)).toBe("servers closed");
  });

  it("a text message is its UTF-8 bytes (the old example refused it with 1003; the package does not)", async () => {
    const pair = await rawPair();
    try {
      const { reader } = acceptWebSocket(pair.server);
      pair.client.send(encoder.encode("bytes first\n"));
      pair.client.send("then text\n");
      expect(new TextDecoder().decode(await reader.readLine())).toBe("bytes first\n");
      expect(new TextDecoder().decode(await reader.readLine())).toBe("then text\n");
    } finally {
      await pair.close();
    }
  });

  it("close codes 1000 and 1001 are a clean EOF (the old example failed on 1001); any other code is a ConnectionResetError with the code and reason", async () => {
    for (const [code, clean] of [
      [1000, true],
      [1001, true],
      [4000, false],
    ] as const) {
      const pair = await rawPair();
      try {
        const { reader, writer } = acceptWebSocket(pair.server);
        expect(writer.canWriteEof()).toBe(false);
        expect(() => writer.writeEof()).toThrow(/half-close/);
        pair.client.close(code, "bye now");
        if (clean) {
          expect((await reader.read(-1)).length).toBe(0);
          expect(reader.atEof()).toBe(true);
        } else {
          const error: unknown = await reader.read(-1).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(ConnectionResetError);
          expect(error).toMatchObject({ closeCode: 4000, reason: "bye now", code: "ECONNRESET" });
        }
      } finally {
        await pair.close();
      }
    }
  });

  it.skipIf(!existsSync(main))(
    "the built example (node dist/main.js) prints the transcript and exits with 0",
    async () => {
      const { stdout } = await promisify(execFile)(process.execPath, [main], { timeout: 15_000 });
      expect(stdout).toContain("[websocket] < VALUE hello from tcp");
      expect(stdout).toContain("servers closed");
    },
  );
});
