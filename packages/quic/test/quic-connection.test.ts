import { describe, expect, it } from "vitest";
import { ConnectionResetError } from "@asyncstreams/protocol";
import { QuicConnection } from "@asyncstreams/quic";
import type { QuicStreamTransport } from "@asyncstreams/quic";
import { bytes, testClient, testServer, text, until, within } from "./_helpers.js";
import { rawClient } from "./_raw-client.js";

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** An echo server that allows one stream at a time: a stream opened by mistake would block the next. */
function oneStreamEchoServer(): ReturnType<typeof testServer> {
  return testServer(
    async (reader, writer) => {
      writer.write(await reader.readLine());
    },
    { maxStreams: 1 },
  );
}

describe("QuicConnection", { timeout: 60_000 }, () => {
  describe("codes this side sends: 0 to 2^53 - 1 (both stacks take JS numbers)", () => {
    it.each([MAX + 1n, 2n ** 62n - 1n, Number.MAX_SAFE_INTEGER + 1])(
      "close({ code: %s }) throws RangeError and leaves the connection open",
      async (code) => {
        const { port } = await testServer(async (reader, writer) => {
          writer.write(await reader.readLine());
        });
        const conn = await testClient(port);
        expect(() => conn.close({ code })).toThrow(RangeError);
        expect(() => conn.close({ code })).toThrow(/code must be an integer from 0 to 2\^/);
        const { reader, writer } = await conn.openStream();
        writer.write(bytes("still open\n"));
        expect(text(await within(reader.readLine()))).toBe("still open\n");
      },
    );

    it("close() sends 2^53 - 1 exactly", async () => {
      const closed: bigint[] = [];
      const { port } = await testServer(null, {
        onConnection: async (connection) => {
          closed.push((await connection.closed).code);
        },
      });
      const conn = await testClient(port);
      conn.close({ code: MAX, reason: "max" });
      expect((await within(conn.closed)).code).toBe(MAX);
      await until(() => closed.length > 0, 10_000, "the server to see the close");
      expect(closed).toEqual([MAX]);
    });

    it("abort(2^53) throws RangeError and leaves the stream open; abort(2^53 - 1) sends it exactly", async () => {
      const errors: unknown[] = [];
      const { port } = await testServer(async (reader, writer) => {
        writer.write(await reader.readLine());
        errors.push(await reader.read().catch((error: unknown) => error));
      });
      const conn = await testClient(port);
      const { reader, writer } = await conn.openStream();
      const transport = writer.transport as QuicStreamTransport;
      expect(() => transport.abort(MAX + 1n)).toThrow(
        new RangeError(
          "Cannot reset the QUIC stream: code must be an integer from 0 to 2^53 - 1 on @matrixai/quic, not 9007199254740992",
        ),
      );
      expect(transport.isClosing()).toBe(false);
      writer.write(bytes("still open\n"));
      expect(text(await within(reader.readLine()))).toBe("still open\n");
      transport.abort(MAX);
      await until(() => errors.length > 0, 10_000, "the server to see the reset");
      expect(errors[0]).toBeInstanceOf(ConnectionResetError);
      expect((errors[0] as ConnectionResetError).applicationCode).toBe(MAX);
    });
  });

  describe("bad writeBufferLimits", () => {
    it("openStream() and openTransport() refuse them with a RangeError before opening a stream", async () => {
      const { port } = await oneStreamEchoServer();
      const conn = await testClient(port);
      const bad = { high: 1, low: 5 };
      for (let i = 0; i < 3; i++) {
        await expect(conn.openStream({ writeBufferLimits: bad })).rejects.toThrow(RangeError);
        await expect(conn.openTransport({ writeBufferLimits: bad })).rejects.toThrow(RangeError);
      }
      // The server allows one stream at a time: had any of those opened one, this would fail.
      const { reader, writer } = await conn.openStream();
      writer.write(bytes("only stream\n"));
      expect(text(await within(reader.readLine()))).toBe("only stream\n");
    });

    it("a stream whose transport cannot be built is reset, not left open", async () => {
      const errors: unknown[] = [];
      const { port } = await testServer(async (reader) => {
        errors.push(await reader.read().catch((error: unknown) => error));
      });
      const stack = await rawClient(port);
      // Past the public checks: a connection whose own water marks are bad.
      const conn = new QuicConnection({
        stack,
        stackName: "@matrixai/quic",
        limit: undefined,
        writeBufferLimits: { high: 1, low: 5 },
      });
      try {
        await expect(conn.openTransport()).rejects.toThrow(RangeError);
        await until(() => errors.length > 0, 10_000, "the server to see the reset");
        expect(errors[0]).toBeInstanceOf(ConnectionResetError);
        expect((errors[0] as ConnectionResetError).applicationCode).toBe(0n);
      } finally {
        conn.close();
        await within(conn.closed);
      }
    });
  });

  // waitClosed() resolves once the stack has taken the data; closing then drops what is still in
  // flight (about 10 KiB of 256 KiB here). The documented recipe waits for the peer instead.
  describe("close(): the documented way to deliver everything first", () => {
    const SIZE = 256 * 1024;
    const payload = Uint8Array.from({ length: SIZE }, (_, i) => (i * 13) & 0xff);

    it("writeEof(), wait for the peer's answer and EOF on that stream, then close", async () => {
      const received: Uint8Array[] = [];
      const { port } = await testServer(async (reader, writer) => {
        const all = await reader.read(); // up to the client's FIN
        received.push(all);
        writer.write(bytes(String(all.length)));
        writer.close(); // its EOF tells the client that everything arrived
      });
      const conn = await testClient(port);
      const { reader, writer } = await conn.openStream();
      writer.write(payload);
      writer.writeEof(); // a half-close: close() would end the reading side too
      expect(text(await within(reader.read(), 60_000, "the answer"))).toBe(String(SIZE));
      conn.close();
      await within(conn.closed);
      expect(received).toHaveLength(1);
      expect(received[0]).toEqual(payload);
    });

    it("close() the stream, wait for the peer to close the connection", async () => {
      const received: Uint8Array[] = [];
      const closed: unknown[] = [];
      const { port } = await testServer(null, {
        onConnection: async (connection) => {
          const { writer } = await connection.openStream({ unidirectional: true });
          writer.write(payload);
          writer.close();
          // The client closes once it has read everything: nothing of it is lost.
          closed.push(await within(connection.closed, 60_000, "the client to close"));
        },
      });
      const conn = await testClient(port);
      for await (const { reader } of conn.incomingStreams) {
        received.push(await within(reader.read(), 60_000, "the push"));
        break;
      }
      conn.close({ code: 0, reason: "got it" });
      await until(() => closed.length > 0, 10_000, "the server to see the close");
      expect(received[0]).toEqual(payload);
      expect(closed[0]).toMatchObject({ code: 0n, reason: "got it", remote: true });
    });
  });

  it("openTransport() refuses unknown option names, as openStream() does, and opens no stream", async () => {
    const { port } = await oneStreamEchoServer();
    const conn = await testClient(port);
    for (const open of [conn.openTransport.bind(conn), conn.openStream.bind(conn)]) {
      await expect(open({ unidirectonal: true } as never)).rejects.toThrow(
        new TypeError(
          'Cannot open a QUIC stream: unknown option "unidirectonal" (expected one of limit, unidirectional, writeBufferLimits)',
        ),
      );
      await expect(open(null as never)).rejects.toThrow(
        new TypeError("Cannot open a QUIC stream: options must be an object"),
      );
    }
    const { reader, writer } = await conn.openStream();
    writer.write(bytes("the first stream\n"));
    expect(text(await within(reader.readLine()))).toBe("the first stream\n");
  });
});
