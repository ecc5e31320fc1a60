import { describe, expect, it } from "vitest";
import { ConnectionResetError } from "@asyncstreams/protocol";
import type { StreamReader } from "@asyncstreams/reader";
import type { QuicConnection, QuicStreamTransport } from "@asyncstreams/quic";
import { testClient, testServer, until, within } from "./_helpers.js";

describe("flow control and aborted reads over QUIC streams", { timeout: 120_000 }, () => {
  it("a full reader stops pulling: the stream's data stays with QUIC until the reader reads", async () => {
    const limit = 4096;
    let serverReader: StreamReader | undefined;
    let serverTransport: QuicStreamTransport | undefined;
    const { port } = await testServer(
      (reader, writer) => {
        serverReader = reader;
        serverTransport = writer.transport as QuicStreamTransport;
      },
      { limit },
    );
    const conn = await testClient(port);
    const { writer } = await conn.openStream();
    const payload = Uint8Array.from({ length: 96 * 1024 }, (_, i) => (i * 31) & 0xff);
    writer.write(payload);
    writer.writeEof();
    await until(
      () => serverTransport !== undefined && !serverTransport.isReading(),
      20_000,
      "the server to pause reading",
    );
    // Held for a while: nothing more is pulled while the reader is over its limit.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(serverTransport!.isReading()).toBe(false);
    // Read it all: nothing lost, nothing reordered.
    const all = await within(serverReader!.read(), 60_000, "the whole payload");
    expect(all).toEqual(payload);
  });

  it("a read whose signal aborts consumes nothing and the next read gets the bytes", async () => {
    let serverReader: StreamReader | undefined;
    const { port } = await testServer((reader) => {
      serverReader = reader;
    });
    const conn = await testClient(port);
    const { writer } = await conn.openStream();
    writer.write(new TextEncoder().encode("partial"));
    await until(() => serverReader !== undefined, 20_000, "the server's stream");
    const controller = new AbortController();
    const pending = serverReader!.readLine({ signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort(new Error("stop"));
    await expect(pending).rejects.toThrow("stop");
    writer.write(new TextEncoder().encode(" line\n"));
    expect(new TextDecoder().decode(await within(serverReader!.readLine()))).toBe("partial line\n");
  });
});

/** Reads until the reader fails or ends: how many bytes came first, and the failure ("EOF" at the end). */
async function readToFailure(reader: StreamReader): Promise<{ received: number; failure: unknown }> {
  let received = 0;
  for (;;) {
    try {
      const chunk = await within(reader.read(64 * 1024), 10_000, "the reader's next chunk");
      if (chunk.length === 0) return { received, failure: "EOF" };
      received += chunk.length;
    } catch (failure) {
      return { received, failure };
    }
  }
}

describe("a stream that ends while its reader is behind", { timeout: 120_000 }, () => {
  /**
   * The server sends more than the client's reader takes (it pauses its transport), then ends the
   * stream as `end` says. Nothing of the client's is waiting to be written: only the readable can
   * tell, and a paused transport does not read it.
   */
  async function behindWhenEnded(end: (transport: QuicStreamTransport, connection: QuicConnection) => void) {
    let ended: (() => void) | undefined;
    const { port } = await testServer((_reader, writer, connection) => {
      writer.write(new Uint8Array(64 * 1024).fill(7));
      ended = () => end(writer.transport as QuicStreamTransport, connection);
    });
    const conn = await testClient(port);
    const { reader, writer } = await conn.openStream({ limit: 1024 });
    writer.write(new Uint8Array([1])); // a QUIC stream reaches the peer with its first frame
    await until(
      () => ended !== undefined && !(writer.transport as QuicStreamTransport).isReading(),
      20_000,
      "the client's reader to pause",
    );
    const behind = reader.bufferedLength;
    ended!();
    return { reader, writer, behind };
  }

  for (const [how, end, applicationCode] of [
    ["the peer resets the stream", (transport: QuicStreamTransport) => transport.abort(0x77n), 0x77n],
    [
      "the peer closes the connection",
      (_: QuicStreamTransport, connection: QuicConnection) => connection.close({ code: 9, reason: "bye" }),
      9n,
    ],
  ] as const)
    it(`${how}: drain() fails at once; the reader gets what it holds, then the same error`, async () => {
      const { reader, writer, behind } = await behindWhenEnded(end);
      // Before the fix, drain() kept resolving until the reader caught up (or a write failed).
      await expect
        .poll(
          () =>
            writer.drain().then(
              () => "resolved",
              (error: unknown) => error,
            ),
          { timeout: 5_000 },
        )
        .toBeInstanceOf(ConnectionResetError);
      const failure = await writer.drain().catch((error: unknown) => error);
      expect((failure as ConnectionResetError).applicationCode).toBe(applicationCode);
      await expect(writer.drain()).rejects.toBe(failure);
      const read = await readToFailure(reader);
      expect(read.received).toBeGreaterThanOrEqual(behind);
      expect(read.failure).toBe(failure);
    });
});

describe("stream credit", { timeout: 120_000 }, () => {
  it("streams nobody takes are held by QUIC's stream credit: past maxStreams the opener is refused, not queued in memory", async () => {
    const { StreamError } = await import("@asyncstreams/buffer");
    let take: (() => void) | undefined;
    const taking = new Promise<void>((resolve) => (take = resolve));
    const answered: string[] = [];
    const { port } = await testServer(null, {
      maxStreams: 4,
      onConnection: async (connection) => {
        await taking; // the handler takes no stream until told
        for await (const { reader, writer } of connection.incomingStreams) {
          void (async () => {
            answered.push(new TextDecoder().decode(await reader.read()));
            writer.close();
          })();
        }
      },
    });
    const conn = await testClient(port);
    const opened = [];
    for (let i = 0; i < 4; i++) {
      const streams = await conn.openStream();
      streams.writer.write(new TextEncoder().encode(`s${i}`));
      streams.writer.writeEof();
      opened.push(streams);
    }
    const refused = await conn.openStream().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StreamError);
    expect((refused as InstanceType<typeof StreamError>).code).toBe("ERR_ASYNCSTREAMS_QUIC_STREAM_LIMIT");
    take!();
    await within(Promise.all(opened.map(({ reader }) => reader.read())), 30_000, "the held streams to be served");
    expect(answered.sort()).toEqual(["s0", "s1", "s2", "s3"]);
  });
});
