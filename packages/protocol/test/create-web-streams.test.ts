import { describe, expect, it } from "vitest";
import { createWebStreams } from "@asyncstreams/protocol";
import type { CreateWebStreamsOptions, Transport, WebStreamPair } from "@asyncstreams/protocol";
import { bytes, text } from "@asyncstreams/test-utils";

function crossedPairs(): [WebStreamPair, WebStreamPair] {
  const there = new TransformStream<Uint8Array, Uint8Array>();
  const back = new TransformStream<Uint8Array, Uint8Array>();
  return [
    { readable: back.readable, writable: there.writable },
    { readable: there.readable, writable: back.writable },
  ];
}

describe("createWebStreams()", () => {
  it("gives a reader and a writer that talk to the other end, with half-close", async () => {
    const [left, right] = crossedPairs();
    const client = createWebStreams(left);
    const server = createWebStreams(right, { limit: 1024 });
    client.writer.write(bytes("hello\n"));
    await client.writer.drain();
    expect(text(await server.reader.readLine())).toBe("hello\n");
    client.writer.writeEof();
    expect(await server.reader.read()).toEqual(new Uint8Array(0));
    server.writer.write(bytes("bye\n"));
    expect(text(await client.reader.readLine())).toBe("bye\n");
    server.writer.close();
    client.writer.close();
    await Promise.all([server.writer.waitClosed(), client.writer.waitClosed()]);
  });

  it("drain() waits while the other reader is full, and every byte arrives once it reads", async () => {
    const [left, right] = crossedPairs();
    const client = createWebStreams(left, { writeBufferLimits: { high: 4096 } });
    const server = createWebStreams(right, { limit: 256 });
    const sent = new Uint8Array(64 * 1024).map((_, index) => index % 251);
    let drains = 0;
    const writing = (async () => {
      for (let offset = 0; offset < sent.length; offset += 1024) {
        client.writer.write(sent.subarray(offset, offset + 1024));
        await client.writer.drain();
        drains += 1;
      }
      client.writer.close();
    })();
    writing.catch(() => undefined); // awaited below; never unhandled if an assertion fails first
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(drains).toBeLessThan(64); // held back: nobody reads on the other side
    const received = await server.reader.readExactly(sent.length);
    await writing;
    expect(received.length).toBe(sent.length);
    expect(received.every((byte, index) => byte === sent[index])).toBe(true); // faster than toEqual() on 64 KiB
    expect(await server.reader.read()).toEqual(new Uint8Array(0));
    server.writer.close();
    await Promise.all([server.writer.waitClosed(), client.writer.waitClosed()]);
  });

  it("checks limit before it locks the streams", () => {
    const [left] = crossedPairs();
    expect(() => createWebStreams(left, { limit: 0 })).toThrow(RangeError);
    expect(left.readable.locked).toBe(false);
    expect(left.writable.locked).toBe(false);
  });

  it("throws TypeError on an unknown option or one of the wrong type, before it locks the streams", () => {
    const [left] = crossedPairs();
    const cases: [unknown, string][] = [
      [
        { halfclose: false },
        'unknown option "halfclose"; the options are writeBufferLimits, halfClose, copyChunks, extraInfo, limit',
      ],
      [{ halfClose: "no" }, 'halfClose should be a boolean, got "no" (string)'],
      [{ copyChunks: "false" }, 'copyChunks should be a boolean, got "false" (string)'],
      [{ extraInfo: 5 }, "extraInfo should be an object, got 5 (number)"],
    ];
    for (const [options, detail] of cases)
      expect(() => createWebStreams(left, options as CreateWebStreamsOptions)).toThrow(
        new TypeError(`Cannot create web streams: ${detail}`),
      );
    expect(left.readable.locked || left.writable.locked).toBe(false);
  });

  it("throws TypeError naming the missing stream when the pair is not a readable and a writable", () => {
    expect(() => createWebStreams({} as WebStreamPair)).toThrow(
      new TypeError("Cannot create web streams: readable should be a ReadableStream, got undefined"),
    );
  });

  it("passes every transport option on, and not limit", () => {
    const [left] = crossedPairs();
    const { reader, writer } = createWebStreams(left, {
      limit: 10,
      writeBufferLimits: { high: 100 },
      copyChunks: true,
      extraInfo: { peername: "peer" },
    });
    expect(reader.limit).toBe(10);
    expect((writer.transport as Transport).getWriteBufferLimits()).toEqual({ high: 100, low: 25 });
    expect(writer.getExtraInfo("peername")).toBe("peer");
    writer.transport.close();
  });

  it("passes halfClose: false on to the transport", () => {
    const [left] = crossedPairs();
    const { writer } = createWebStreams(left, { halfClose: false });
    expect(writer.canWriteEof()).toBe(false);
    writer.transport.close();
  });
});
