import { Duplex } from "node:stream";
import type { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { ConnectionResetError, WebStreamTransport, createWebStreams } from "@asyncstreams/protocol";
import type { WebStreamPair } from "@asyncstreams/protocol";
import { transportConformance } from "@asyncstreams/protocol/testing";
import { bytes, text, within } from "@asyncstreams/test-utils";
import { socketAsWebStreams, tcpSocketPair } from "./_pairs.js";

/** A socket as Web Streams, as `Duplex.toWeb()` gives it (Node's types differ from the DOM's only nominally). */
function toWeb(socket: Socket): WebStreamPair {
  return Duplex.toWeb(socket) as unknown as WebStreamPair;
}

describe("WebStreamTransport over a loopback TCP connection", () => {
  describe("conformance, with the socket presented as Web Streams the way Deno.connect() does", () => {
    const cases = transportConformance(
      async () => {
        const { sockets, close } = await tcpSocketPair();
        return {
          transports: [
            new WebStreamTransport(socketAsWebStreams(sockets[0])),
            new WebStreamTransport(socketAsWebStreams(sockets[1])),
          ],
          close,
        };
        // Web Streams have no way to send a TCP RST: the writable's abort() closes the socket, so the
        // peer reads EOF. A reset sent by the peer is checked below.
      },
      { halfClose: true, pauseReading: true, writeBufferLimits: true, abortResets: false },
    );
    for (const c of cases) it(c.name, c.run);
  });

  it("a peer's TCP reset fails reads and drain() with ConnectionResetError carrying the system code, as over net", async () => {
    const { sockets, close } = await tcpSocketPair();
    try {
      const { reader, writer } = createWebStreams(toWeb(sockets[0]));
      const pending = reader.readExactly(100);
      pending.catch(() => undefined); // awaited below
      sockets[1].resetAndDestroy();
      const error = await within(
        pending.then(
          () => undefined,
          (failure: unknown) => failure,
        ),
      );
      expect(error).toBeInstanceOf(ConnectionResetError);
      expect(error).toMatchObject({ code: "ECONNRESET", systemCode: "ECONNRESET", cause: { code: "ECONNRESET" } });
      await expect(within(reader.readLine())).rejects.toBe(error);
      await expect(within(writer.drain())).rejects.toBe(error);
      writer.close();
    } finally {
      await close();
    }
  });

  it("createWebStreams() over Duplex.toWeb() exchanges lines both ways, with back-pressure, and both ends close", async () => {
    const { sockets, close } = await tcpSocketPair();
    try {
      const client = createWebStreams(toWeb(sockets[0]), { writeBufferLimits: { high: 16_384 } });
      const server = createWebStreams(toWeb(sockets[1]), { limit: 1024 });
      client.writer.write(bytes("HELO example.org\r\n"));
      expect(text(await within(server.reader.readLine()))).toBe("HELO example.org\r\n");
      server.writer.write(bytes("250 hello\r\n"));
      expect(text(await within(client.reader.readLine()))).toBe("250 hello\r\n");
      const body = new Uint8Array(2 * 1024 * 1024).map((_, index) => index & 0xff);
      const sending = (async () => {
        for (let offset = 0; offset < body.length; offset += 16_384) {
          client.writer.write(body.subarray(offset, offset + 16_384));
          await client.writer.drain();
        }
      })();
      sending.catch(() => undefined); // awaited below
      const received = await within(server.reader.readExactly(body.length), 10_000, "2 MiB over Duplex.toWeb()");
      expect(Buffer.compare(received, body)).toBe(0); // toEqual() on 2 MiB would compare element by element, slowly
      await within(sending);
      // Node 20's Duplex.toWeb() reports the peer's FIN only once the local write side has
      // finished too, so each end closes on its own here rather than waiting for the other's EOF.
      server.writer.close();
      client.writer.close();
      await within(Promise.all([server.writer.waitClosed(), client.writer.waitClosed()]));
    } finally {
      await close();
    }
  });
});
