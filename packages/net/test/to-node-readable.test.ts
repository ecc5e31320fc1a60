import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { toNodeReadable } from "@asyncstreams/net";
import { createStreams, memoryTransportPair } from "@asyncstreams/protocol";
import { StreamReader } from "@asyncstreams/reader";
import { bytes, concat, runBriefly, text, within } from "@asyncstreams/test-utils";

const SEPARATOR = bytes("\r\n\r\n");

/** Collects a Node readable with `for await`. */
async function collect(readable: AsyncIterable<Buffer>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of readable) chunks.push(new Uint8Array(chunk));
  return concat(chunks);
}

function message(bodyLength: number): { whole: Uint8Array; header: Uint8Array; body: Uint8Array } {
  const header = bytes(`HTTP/1.1 200 OK\r\nContent-Length: ${bodyLength}\r\n\r\n`);
  const body = new Uint8Array(bodyLength).map((_, index) => (index * 13 + 5) & 0xff);
  return { whole: concat([header, body]), header, body };
}

describe("toNodeReadable()", () => {
  it("after readUntil() reads the header, yields the body byte-exact, with the message split at every chunk boundary", async () => {
    const { whole, header, body } = message(40);
    for (let size = 1; size <= whole.length; size++) {
      const [left, right] = memoryTransportPair();
      const client = createStreams(left);
      const server = createStreams(right, { limit: 64 });
      for (let offset = 0; offset < whole.length; offset += size)
        client.writer.write(whole.subarray(offset, offset + size));
      client.writer.close();
      expect(await within(server.reader.readUntil(SEPARATOR))).toEqual(header);
      expect(await within(collect(toNodeReadable(server.reader)))).toEqual(body);
      server.writer.close();
      await within(Promise.all([client.writer.waitClosed(), server.writer.waitClosed()]));
    }
  });

  it("yields the body byte-exact for every single cut of the message, fed straight into a reader", async () => {
    const { whole, header, body } = message(30);
    for (let cut = 1; cut < whole.length; cut++) {
      const reader = new StreamReader();
      reader.feedData(whole.slice(0, cut));
      const parsing = reader.readUntil(SEPARATOR);
      reader.feedData(whole.slice(cut));
      reader.feedEof();
      expect(await parsing).toEqual(header);
      expect(await within(collect(toNodeReadable(reader, { chunkSize: 7 })))).toEqual(body);
    }
  });

  it("keeps back-pressure: a slow pipeline() destination holds the transport paused", async () => {
    const [left, right] = memoryTransportPair();
    const client = createStreams(left);
    const server = createStreams(right, { limit: 100 });
    const received: Uint8Array[] = [];
    let release: (() => void) | undefined;
    const slow = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _encoding, callback) {
        received.push(new Uint8Array(chunk));
        release = () => callback();
      },
    });
    const piping = pipeline(toNodeReadable(server.reader, { chunkSize: 50 }), slow);
    piping.catch(() => undefined); // awaited below
    client.writer.write(new Uint8Array(1000).fill(7));
    client.writer.close();
    await runBriefly(3);
    expect(right.isReading()).toBe(false); // the reader holds more than 2 × limit: nobody pulls
    expect(received.length).toBeLessThanOrEqual(2);
    while (release !== undefined) {
      const next = release;
      release = undefined;
      next();
      await runBriefly(1);
    }
    await within(piping);
    expect(concat(received)).toEqual(new Uint8Array(1000).fill(7));
    server.writer.close();
    await within(Promise.all([client.writer.waitClosed(), server.writer.waitClosed()]));
  });

  it("is destroyed with the reader's error", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("partial"));
    const readable = toNodeReadable(reader);
    const failure = new Error("connection reset");
    const collecting = collect(readable).catch((error: unknown) => error);
    await runBriefly();
    reader.setException(failure);
    expect(await within(collecting)).toBe(failure);
  });

  it("aborting the signal destroys it with the reason and consumes nothing", async () => {
    const reader = new StreamReader();
    const controller = new AbortController();
    const readable = toNodeReadable(reader, { signal: controller.signal });
    const collecting = collect(readable).catch((error: unknown) => error);
    await runBriefly();
    const reason = new Error("enough");
    controller.abort(reason);
    expect(await within(collecting)).toBe(reason);
    reader.feedData(bytes("kept"));
    expect(text(await reader.read(100))).toBe("kept");
  });

  it("destroy() stops the read in flight without consuming anything, and the reader can be read again", async () => {
    const reader = new StreamReader();
    const readable = toNodeReadable(reader);
    readable.on("data", () => undefined);
    await runBriefly();
    readable.destroy();
    await runBriefly();
    reader.feedData(bytes("next request"));
    expect(text(await within(reader.read(100)))).toBe("next request");
  });

  // The window is a matter of microtasks, so the sweep counts them: a destroy() or an abort in any
  // turn between the data's arrival and its delivery must leave the data in the reader.
  for (const stop of ["destroy", "abort"] as const) {
    it(`${stop === "destroy" ? "destroy()" : "aborting signal"} in any microtask after data arrived loses no byte: the stream has it or the reader still does`, async () => {
      for (const chunkSize of [65_536, 5, 2, 1]) {
        for (let turns = 0; turns <= 12; turns++) {
          const reader = new StreamReader();
          const controller = new AbortController();
          const readable = toNodeReadable(reader, { chunkSize, signal: controller.signal });
          const delivered: Uint8Array[] = [];
          readable.on("data", (chunk: Uint8Array) => delivered.push(new Uint8Array(chunk)));
          readable.on("error", () => undefined);
          await runBriefly(); // the read waits for data
          reader.feedData(bytes("hello"));
          for (let turn = 0; turn < turns; turn++) await Promise.resolve();
          if (stop === "destroy") readable.destroy();
          else controller.abort(new Error("enough"));
          await runBriefly();
          const seen = text(concat(delivered)) + text(reader.takeBuffered());
          expect(seen, `${chunkSize} ${turns}`).toBe("hello");
        }
      }
    });
  }

  it("an already aborted signal gives a destroyed readable", async () => {
    const reason = new Error("too late");
    const readable = toNodeReadable(new StreamReader(), { signal: AbortSignal.abort(reason) });
    expect(await within(collect(readable).catch((error: unknown) => error))).toBe(reason);
  });

  it("rejects a chunkSize that is not a positive integer", () => {
    expect(() => toNodeReadable(new StreamReader(), { chunkSize: 0 })).toThrow(
      new RangeError("Cannot make a Readable: chunkSize should be a positive integer, got 0"),
    );
    expect(() => toNodeReadable(new StreamReader(), { chunkSize: 2.5 })).toThrow(
      "chunkSize should be a positive integer, got 2.5",
    );
  });
});
