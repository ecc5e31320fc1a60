import { Buffer } from "node:buffer";
import { ConnectionResetError, createStreams } from "@asyncstreams/protocol";
import { StreamReader } from "@asyncstreams/reader";
import { describe, expect, it } from "vitest";
import { acceptWebSocket, WebSocketTransport, type WebSocketLike } from "../src/index.js";
import { decode, encode, GlobalWebSocket, rawServer, socketPair, whenClosed, WsWebSocket } from "./_pairs.js";

/** `promise`, or a rejection after `ms` milliseconds: a wait that cannot hang the run. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const clients = [
  ["ws", WsWebSocket],
  ["the global WebSocket", GlobalWebSocket],
] as const;

for (const [label, Constructor] of clients) {
  describe.skipIf(Constructor === undefined)(`WebSocketTransport with ${label} as the client`, () => {
    it("the reader never sees message boundaries: a line split across 3 messages is one line, 3 lines in one message are 3 lines", async () => {
      const pair = await socketPair(Constructor);
      try {
        const { reader } = acceptWebSocket(pair.client);
        pair.peer.send(encode("hel"));
        pair.peer.send("lo wo"); // a text message: its UTF-8 bytes
        pair.peer.send(encode("rld\n"));
        pair.peer.send(encode("one\ntwo\nthree\n"));
        pair.peer.send("é€\n");
        expect(decode(await reader.readLine())).toBe("hello world\n");
        expect(decode(await reader.readLine())).toBe("one\n");
        expect(decode(await reader.readLine())).toBe("two\n");
        expect(decode(await reader.readLine())).toBe("three\n");
        expect(await reader.readLine()).toEqual(encode("é€\n"));
      } finally {
        await pair.close();
      }
    });

    for (const code of [1000, 1001, undefined]) {
      it(`the peer's close with ${code ?? "no status (1005)"} is EOF`, async () => {
        const pair = await socketPair(Constructor);
        try {
          const { reader } = acceptWebSocket(pair.client);
          pair.peer.send(encode("last words"));
          pair.peer.close(code);
          expect(decode(await reader.read())).toBe("last words");
          expect(reader.atEof()).toBe(true);
          expect(reader.exception()).toBeUndefined();
        } finally {
          await pair.close();
        }
      });
    }

    for (const code of [1003, 1008, 1011, 4000]) {
      it(`the peer's close with ${code} is a ConnectionResetError with closeCode and reason, after the data`, async () => {
        const pair = await socketPair(Constructor);
        try {
          const { reader, writer } = acceptWebSocket(pair.client);
          pair.peer.send(encode("line\n"));
          pair.peer.close(code, "bye now");
          expect(decode(await reader.readLine())).toBe("line\n");
          const error: unknown = await reader.readLine().catch((e: unknown) => e);
          expect(error).toBeInstanceOf(ConnectionResetError);
          expect(error).toMatchObject({ code: "ECONNRESET", closeCode: code, reason: "bye now" });
          await expect(reader.read()).rejects.toBe(error);
          await expect(writer.drain()).rejects.toBe(error);
        } finally {
          await pair.close();
        }
      });
    }

    it("an abnormal drop (1006) fails every pending and later read and drain() with the same ConnectionResetError", async () => {
      const pair = await socketPair(Constructor);
      try {
        const { reader, writer } = acceptWebSocket(pair.client);
        const pending = reader.readLine().catch((e: unknown) => e);
        pair.peer.terminate();
        const first = await pending;
        expect(first).toBeInstanceOf(ConnectionResetError);
        expect(first).toMatchObject({ code: "ECONNRESET", closeCode: 1006 });
        await expect(reader.readExactly(10)).rejects.toBe(first);
        await expect(reader.readUntil(encode("\n"))).rejects.toBe(first);
        await expect(writer.drain()).rejects.toBe(first);
      } finally {
        await pair.close();
      }
    });

    it.each([
      ["acceptWebSocket()", (socket: WebSocketLike) => acceptWebSocket(socket, { limit: 1024 })],
      [
        "createStreams() over a WebSocketTransport",
        (socket: WebSocketLike) =>
          createStreams(new WebSocketTransport(socket), { reader: new StreamReader({ limit: 1024 }) }),
      ],
    ])(
      "a reset while the reader is behind fails drain() at once (%s); the reader gets every byte, then the same error",
      async (_, streamsOf) => {
        const pair = await socketPair(Constructor);
        try {
          const { reader, writer } = streamsOf(pair.client);
          const sent = new Uint8Array(64 * 1024).fill(7);
          pair.peer.send(sent);
          // Past 2 × limit: the reader has paused the transport and reads nothing more for now.
          await expect.poll(() => reader.bufferedLength, { timeout: 5_000 }).toBe(sent.length);
          (pair.peer as unknown as { _socket: { resetAndDestroy(): void } })._socket.resetAndDestroy();
          let failure: unknown;
          // A paused ws socket learns of the reset only when it writes: keep writing until drain() says so.
          for (let attempt = 0; attempt < 100 && failure === undefined; attempt += 1) {
            writer.write(encode("ping\n"));
            failure = await writer.drain().then(
              () => undefined,
              (error: unknown) => error,
            );
            if (failure === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
          }
          expect(failure).toBeInstanceOf(ConnectionResetError);
          expect(failure).toMatchObject({ code: "ECONNRESET", closeCode: 1006 });
          expect(writer.isClosing()).toBe(true);
          await expect(writer.drain()).rejects.toBe(failure);
          expect(await reader.readExactly(sent.length)).toEqual(sent);
          await expect(reader.read()).rejects.toBe(failure);
          await expect(writer.waitClosed()).rejects.toBe(failure);
        } finally {
          await pair.close();
        }
      },
    );

    it("a protocol set after the connection ended (reader behind) still fails drain() at once, with the reader's error", async () => {
      const pair = await socketPair(Constructor);
      try {
        const transport = new WebSocketTransport(pair.client);
        const sent = new Uint8Array(200_000).fill(3);
        pair.peer.send(sent);
        pair.peer.close(4001, "bye");
        await expect.poll(() => transport.isClosing(), { timeout: 5_000 }).toBe(true);
        const { reader, writer } = createStreams(transport, { reader: new StreamReader({ limit: 1024 }) });
        writer.write(encode("too late\n")); // dropped
        const failure = await within(
          5_000,
          writer.drain().then(
            () => "resolved",
            (error: unknown) => error,
          ),
        );
        expect(failure).toBeInstanceOf(ConnectionResetError);
        expect(failure).toMatchObject({ closeCode: 4001, reason: "bye" });
        expect(await reader.readExactly(sent.length)).toEqual(sent);
        await expect(reader.read()).rejects.toBe(failure);
      } finally {
        await pair.close();
      }
    });

    it("writer.close() on a socket that is still opening sends a copy of what was written once it opens, then closes with 1000", async () => {
      const server = await rawServer();
      try {
        const accepted = server.accepted();
        const client = new Constructor!(server.url);
        const { writer } = acceptWebSocket(client);
        const scratch = Buffer.from("written while opening\n");
        writer.write(scratch);
        scratch.fill("X"); // reused at once, as write() allows: a Buffer's slice() would have been a view
        writer.write(encode("and more\n"));
        writer.close();
        const peer = await within(5_000, accepted);
        const received: string[] = [];
        peer.on("message", (data: Uint8Array) => received.push(decode(data)));
        expect(await within(5_000, whenClosed(peer))).toEqual({ code: 1000, reason: "" });
        expect(received.join("")).toBe("written while opening\nand more\n");
        await within(5_000, writer.waitClosed());
      } finally {
        await server.close();
      }
    });

    it("writer.close() on a socket that is still opening abandons the opening without throwing, and waitClosed() settles", async () => {
      const server = await rawServer();
      try {
        const client = new Constructor!(server.url);
        client.addEventListener("error", () => undefined); // the abandoned opening reports an error event
        const { reader, writer } = acceptWebSocket(client);
        // Listening first: Node 24's WebSocket fires close inside close(), then reads CLOSING (2) again.
        const closed = whenClosed(client);
        expect(() => writer.close()).not.toThrow();
        await writer.waitClosed().catch(() => undefined);
        expect(await reader.read().catch(() => new Uint8Array(0))).toEqual(new Uint8Array(0));
        await closed;
      } finally {
        await server.close();
      }
    });

    it("writer.close() sends 1000 and completes the closing handshake; canWriteEof() is false and writeEof() says why", async () => {
      const pair = await socketPair(Constructor);
      try {
        const { writer } = acceptWebSocket(pair.client);
        expect(writer.canWriteEof()).toBe(false);
        expect(() => writer.writeEof()).toThrow(/no half-close.*close\(\)/);
        const received: string[] = [];
        pair.peer.on("message", (data: Uint8Array) => received.push(decode(data)));
        const peerClosed = whenClosed(pair.peer);
        const clientClosed = whenClosed(pair.client);
        writer.write(encode("before close\n"));
        writer.close();
        await writer.waitClosed();
        expect(await peerClosed).toEqual({ code: 1000, reason: "" });
        // The client's socket saw the peer's close frame: the handshake completed, cleanly.
        expect((await clientClosed).code).toBe(1000);
        expect(received).toEqual(["before close\n"]);
      } finally {
        await pair.close();
      }
    });
  });
}

describe("acceptWebSocket() and WebSocketTransport options", () => {
  it("refuse an extraInfo that is not an object and bad writeBufferLimits, leaving the socket alone", async () => {
    const pair = await socketPair(WsWebSocket);
    try {
      expect(() => acceptWebSocket(pair.client, { extraInfo: "peer" as never })).toThrow(
        new TypeError("Cannot accept a WebSocket: extraInfo must be an object, not string"),
      );
      expect(() => acceptWebSocket(pair.client, { writeBufferLimits: { high: 64, lo: 16 } as never })).toThrow(
        new TypeError('Cannot accept a WebSocket: writeBufferLimits: unknown option "lo"; expected one of high, low'),
      );
      expect(() => new WebSocketTransport(pair.client, { extraInfo: null as never })).toThrow(
        new TypeError("Cannot make a WebSocketTransport: extraInfo must be an object, not null"),
      );
      expect(() => new WebSocketTransport(pair.client, { writeBufferLimits: { low: Number.NaN } })).toThrow(
        new RangeError(
          "Cannot make a WebSocketTransport: writeBufferLimits.low must be a number of bytes (an integer >= 0, or Infinity), not NaN",
        ),
      );
      expect(pair.client.readyState).toBe(1); // still open: nothing was attached to it
    } finally {
      await pair.close();
    }
  });
});
