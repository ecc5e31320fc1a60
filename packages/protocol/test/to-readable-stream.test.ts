import { describe, expect, it } from "vitest";
import { createStreams, memoryTransportPair, toReadableStream } from "@asyncstreams/protocol";
import { StreamReader } from "@asyncstreams/reader";
import { bytes, concat, eventLoopTurn, text, watchUnhandledRejections } from "@asyncstreams/test-utils";

const SEPARATOR = bytes("\r\n\r\n");

/** Reads a whole Web stream. */
async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return concat(chunks);
    chunks.push(value);
  }
}

/** An HTTP-like message: a header, then a body of every byte value. */
function message(bodyLength: number): { whole: Uint8Array; header: Uint8Array; body: Uint8Array } {
  const header = bytes(`HTTP/1.1 200 OK\r\nContent-Length: ${bodyLength}\r\n\r\n`);
  const body = new Uint8Array(bodyLength).map((_, index) => (index * 7 + 3) & 0xff);
  return { whole: concat([header, body]), header, body };
}

/**
 * Feeds "hello" to a reader whose stream has a pull waiting (or before the pull, with `early`),
 * lets `turns` microtasks pass, then cancels the stream or aborts its signal. Returns what the
 * stream delivered followed by what the reader still holds: all of "hello" unless bytes were lost.
 */
async function stopAfterData(
  turns: number,
  options: { chunkSize: number; stop: "cancel" | "abort"; early?: boolean },
): Promise<string> {
  const reader = new StreamReader();
  const abort = new AbortController();
  const consumer = toReadableStream(reader, { chunkSize: options.chunkSize, signal: abort.signal }).getReader();
  if (options.early === true) reader.feedData(bytes("hello"));
  const first = consumer.read().catch(() => ({ done: true, value: undefined }));
  if (options.early !== true) {
    await eventLoopTurn(); // the pull waits for data
    reader.feedData(bytes("hello"));
  }
  for (let turn = 0; turn < turns; turn++) await Promise.resolve();
  if (options.stop === "cancel") await consumer.cancel(new Error("not interested"));
  else abort.abort(new Error("enough"));
  const { value } = await first;
  return (value === undefined ? "" : text(value)) + text(reader.takeBuffered());
}

describe("toReadableStream()", () => {
  // The window is a matter of microtasks, so the sweep counts them: a cancel or an abort in any turn
  // between the data's arrival and its delivery must leave it in the reader.
  for (const stop of ["cancel", "abort"] as const) {
    it(`${stop === "cancel" ? "cancel()" : "aborting signal"} in any microtask after data arrived loses no byte: the stream has it or the reader still does`, async () => {
      for (const chunkSize of [65_536, 5, 2, 1]) {
        for (const early of [false, true]) {
          for (let turns = 0; turns <= 12; turns++)
            expect(await stopAfterData(turns, { chunkSize, stop, early }), `${chunkSize} ${early} ${turns}`).toBe(
              "hello",
            );
        }
      }
    });
  }

  it("after readUntil() reads the header, yields the body byte-exact, with the message split at every chunk boundary", async () => {
    const { whole, header, body } = message(40);
    for (let size = 1; size <= whole.length; size++) {
      const [left, right] = memoryTransportPair();
      const client = createStreams(left);
      const server = createStreams(right, { limit: 64 });
      for (let offset = 0; offset < whole.length; offset += size)
        client.writer.write(whole.subarray(offset, offset + size));
      client.writer.close();
      expect(await server.reader.readUntil(SEPARATOR)).toEqual(header);
      expect(await collect(toReadableStream(server.reader))).toEqual(body);
      server.writer.close();
      await Promise.all([client.writer.waitClosed(), server.writer.waitClosed()]);
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
      expect(await collect(toReadableStream(reader, { chunkSize: 7 }))).toEqual(body);
    }
  });

  it("pulls only when the consumer reads, so a full reader still pauses the transport", async () => {
    const [left, right] = memoryTransportPair();
    const client = createStreams(left);
    const server = createStreams(right, { limit: 100 });
    const stream = toReadableStream(server.reader, { chunkSize: 50 });
    client.writer.write(new Uint8Array(1000).fill(1));
    await eventLoopTurn();
    expect(right.isReading()).toBe(false); // more than 2 × limit buffered and nobody pulled
    expect(server.reader.bufferedBytes().length).toBe(1000);
    const consumer = stream.getReader();
    const first = await consumer.read();
    expect(first.value).toHaveLength(50);
    expect(server.reader.bufferedBytes().length).toBe(950); // one pull, one read: nothing read ahead
    let total = 50;
    while (total < 1000) total += (await consumer.read()).value!.length;
    expect(right.isReading()).toBe(true);
    consumer.releaseLock();
    client.writer.close();
    server.writer.close();
    await Promise.all([client.writer.waitClosed(), server.writer.waitClosed()]);
  });

  it("hands on neither twice nor never a byte that a direct read takes in any microtask while a pull copies its chunk", async () => {
    for (let turns = 0; turns <= 8; turns++) {
      const reader = new StreamReader();
      const consumer = toReadableStream(reader, { chunkSize: 2 }).getReader();
      const pulled = consumer.read();
      await eventLoopTurn(); // the pull waits for data
      reader.feedData(bytes("hello")); // more than one chunk: the pull peeks a copy of the first
      for (let turn = 0; turn < turns; turn++) await Promise.resolve();
      const direct = text(await reader.read(1));
      const parts = [text((await pulled).value!), direct, text(reader.takeBuffered())];
      expect([...parts.join("")].sort().join(""), `${turns}: ${parts.join("|")}`).toBe("ehllo");
      consumer.releaseLock();
    }
  });

  it("errors with the reader's error", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("partial"));
    const stream = toReadableStream(reader);
    const consumer = stream.getReader();
    expect(text((await consumer.read()).value!)).toBe("partial");
    const failure = new Error("connection reset");
    const next = consumer.read();
    reader.setException(failure);
    await expect(next).rejects.toBe(failure);
  });

  it("aborting the signal errors the stream with its reason and consumes nothing", async () => {
    const watcher = watchUnhandledRejections();
    const reader = new StreamReader();
    const controller = new AbortController();
    const consumer = toReadableStream(reader, { signal: controller.signal }).getReader();
    const pending = consumer.read();
    await eventLoopTurn();
    const reason = new Error("enough");
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    reader.feedData(bytes("kept"));
    reader.feedEof();
    expect(text(await reader.read())).toBe("kept");
    await eventLoopTurn();
    watcher.stop();
    expect(watcher.reasons).toEqual([]);
  });

  it("an already aborted signal gives an errored stream", async () => {
    const reason = new Error("too late");
    const stream = toReadableStream(new StreamReader(), { signal: AbortSignal.abort(reason) });
    await expect(stream.getReader().read()).rejects.toBe(reason);
  });

  it("cancel() stops the read in flight without consuming anything, and the reader can be read again", async () => {
    const watcher = watchUnhandledRejections();
    const reader = new StreamReader();
    const consumer = toReadableStream(reader).getReader();
    const pending = consumer.read();
    await eventLoopTurn();
    await consumer.cancel(new Error("not interested"));
    expect(await pending).toEqual({ done: true, value: undefined });
    reader.feedData(bytes("next request"));
    expect(text(await reader.read(100))).toBe("next request");
    await eventLoopTurn();
    watcher.stop();
    expect(watcher.reasons).toEqual([]);
  });

  it("ends at once on a reader already at EOF", async () => {
    const reader = new StreamReader();
    reader.feedEof();
    expect(await collect(toReadableStream(reader))).toEqual(new Uint8Array(0));
  });

  it("rejects a chunkSize that is not a positive integer", () => {
    expect(() => toReadableStream(new StreamReader(), { chunkSize: 0 })).toThrow(RangeError);
    expect(() => toReadableStream(new StreamReader(), { chunkSize: 1.5 })).toThrow(
      "Cannot make a ReadableStream: chunkSize must be a positive integer (got 1.5)",
    );
  });

  it("rejects a chunkSize that is not a number with a TypeError naming its type, as toNodeReadable() does", () => {
    // It used to be a RangeError calling "5" not an integer; every other number check says the type.
    expect(() => toReadableStream(new StreamReader(), { chunkSize: "5" as unknown as number })).toThrow(
      new TypeError('Cannot make a ReadableStream: chunkSize should be a number, got "5" (string)'),
    );
  });
});
