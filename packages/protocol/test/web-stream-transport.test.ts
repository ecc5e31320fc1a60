import { describe, expect, it } from "vitest";
import { ConnectionResetError, WebStreamTransport, createStreams } from "@asyncstreams/protocol";
import type { WebStreamPair, WebStreamTransportOptions } from "@asyncstreams/protocol";
import { transportConformance } from "@asyncstreams/protocol/testing";
import { InvalidStateError, StreamReader } from "@asyncstreams/reader";
import { bytes, concat, eventLoopTurn, text, within } from "@asyncstreams/test-utils";
import { RecordingProtocol, attach } from "./_helpers.js";

/** Two crossed TransformStreams: what one end writes, the other reads. */
function crossedPairs(): [WebStreamPair, WebStreamPair] {
  const there = new TransformStream<Uint8Array, Uint8Array>();
  const back = new TransformStream<Uint8Array, Uint8Array>();
  return [
    { readable: back.readable, writable: there.writable },
    { readable: there.readable, writable: back.writable },
  ];
}

function transportPair(options: WebStreamTransportOptions = {}): [WebStreamTransport, WebStreamTransport] {
  const [left, right] = crossedPairs();
  return [new WebStreamTransport(left, options), new WebStreamTransport(right, options)];
}

/** A source and a sink that record what the transport does to them. */
function instrumented(options: { chunks?: Uint8Array[]; holdWrites?: boolean } = {}) {
  const log: string[] = [];
  const written: Uint8Array[] = [];
  const pendingWrites: (() => void)[] = [];
  let pulls = 0;
  let source!: ReadableStreamDefaultController<Uint8Array>;
  const queue = [...(options.chunks ?? [])];
  const readable = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        source = controller;
      },
      pull(controller) {
        pulls += 1;
        const next = queue.shift();
        if (next !== undefined) controller.enqueue(next);
      },
      cancel(reason) {
        log.push(`cancel ${(reason as Error | undefined)?.name ?? String(reason)}`);
      },
    },
    { highWaterMark: 0 },
  );
  const writable = new WritableStream<Uint8Array>({
    write(chunk) {
      written.push(chunk);
      if (!options.holdWrites) return;
      return new Promise<void>((resolve) => pendingWrites.push(resolve));
    },
    close() {
      log.push("close");
    },
    abort(reason) {
      log.push(`abort ${(reason as Error | undefined)?.name ?? String(reason)}`);
    },
  });
  return {
    pair: { readable, writable },
    log,
    written,
    get pulls() {
      return pulls;
    },
    source: () => source,
    releaseWrites() {
      for (const resolve of pendingWrites.splice(0)) resolve();
    },
  };
}

describe("WebStreamTransport", () => {
  describe("conformance over crossed TransformStreams", () => {
    const cases = transportConformance(() => ({ transports: transportPair() }), {
      halfClose: true,
      pauseReading: true,
      writeBufferLimits: true,
    });
    for (const c of cases) it(c.name, c.run);
  });

  describe("conformance with halfClose: false", () => {
    const cases = transportConformance(() => ({ transports: transportPair({ halfClose: false }) }), {
      halfClose: false,
      pauseReading: true,
      writeBufferLimits: true,
    });
    for (const c of cases) it(c.name, c.run);
  });

  describe("a source that reuses its chunk memory", () => {
    /** Crossed pairs whose readables enqueue every chunk in the same scratch buffer. */
    function reusingPairs(): [WebStreamPair, WebStreamPair] {
      const reuse = (readable: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> => {
        const scratch = new Uint8Array(1 << 20);
        return readable.pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              scratch.set(chunk);
              controller.enqueue(scratch.subarray(0, chunk.length));
            },
          }),
        );
      };
      const [left, right] = crossedPairs();
      return [
        { readable: reuse(left.readable), writable: left.writable },
        { readable: reuse(right.readable), writable: right.writable },
      ];
    }

    const integrity = (copyChunks: boolean) =>
      transportConformance(
        () => {
          const [left, right] = reusingPairs();
          return {
            transports: [new WebStreamTransport(left, { copyChunks }), new WebStreamTransport(right, { copyChunks })],
          };
        },
        { halfClose: true, pauseReading: true, writeBufferLimits: true },
      ).find((c) => c.name.startsWith("random chunkings"))!;

    it("fails the conformance kit's ownership check without copyChunks", async () => {
      await expect(integrity(false).run()).rejects.toThrow(/changed after it was delivered/);
    });

    it("passes it with copyChunks: true", async () => {
      await integrity(true).run();
    });
  });

  describe("reading", () => {
    it("starts reading only once a protocol is set, and delivers after connectionMade()", async () => {
      const io = instrumented({ chunks: [bytes("hello")] });
      const transport = new WebStreamTransport(io.pair);
      await eventLoopTurn();
      expect(io.pulls).toBe(0);
      const protocol = attach(transport, new RecordingProtocol("t"));
      await eventLoopTurn();
      expect(protocol.events).toEqual(["made", "data hello"]);
      transport.abort();
      await eventLoopTurn();
    });

    it("pauseReading() starts no new read(): the source is pulled no more until resumeReading()", async () => {
      const chunks = Array.from({ length: 20 }, (_, index) => bytes(`chunk ${index};`));
      const io = instrumented({ chunks });
      const transport = new WebStreamTransport(io.pair);
      const protocol = attach(transport, new RecordingProtocol("t"));
      protocol.onData = () => {
        if (protocol.received.length === 3) transport.pauseReading();
      };
      await eventLoopTurn(3);
      const pullsWhilePaused = io.pulls;
      expect(protocol.received).toHaveLength(3);
      await eventLoopTurn(3);
      expect(io.pulls).toBe(pullsWhilePaused); // no read() outstanding, so no pull
      expect(protocol.received).toHaveLength(3);
      protocol.onData = null;
      transport.resumeReading();
      await eventLoopTurn(3);
      expect(protocol.receivedText).toBe(text(concat(chunks)));
      transport.abort();
      await eventLoopTurn();
    });

    it("holds a chunk that the read in flight brings after pauseReading(), and delivers it on resumeReading()", async () => {
      const io = instrumented();
      const transport = new WebStreamTransport(io.pair);
      const protocol = attach(transport, new RecordingProtocol("t"));
      await eventLoopTurn();
      expect(io.pulls).toBe(1); // one read() waits for data
      transport.pauseReading();
      io.source().enqueue(bytes("late"));
      await eventLoopTurn();
      expect(protocol.received).toEqual([]);
      transport.resumeReading();
      await eventLoopTurn();
      expect(protocol.receivedText).toBe("late");
      transport.abort();
      await eventLoopTurn();
    });

    it("hands chunks over without a copy by default, and copies them with copyChunks: true", async () => {
      for (const copyChunks of [false, true]) {
        const chunk = bytes("owned");
        const io = instrumented({ chunks: [chunk] });
        const transport = new WebStreamTransport(io.pair, { copyChunks });
        const protocol = attach(transport, new RecordingProtocol("t"));
        await eventLoopTurn();
        expect(protocol.received[0] === chunk).toBe(!copyChunks);
        expect(protocol.receivedText).toBe("owned");
        transport.abort();
        await eventLoopTurn();
      }
    });

    it("hands a Uint8Array subclass over as a plain Uint8Array view of the same memory", async () => {
      class Special extends Uint8Array {}
      const chunk = new Special(bytes("sub"));
      const io = instrumented({ chunks: [chunk] });
      const transport = new WebStreamTransport(io.pair);
      const protocol = attach(transport, new RecordingProtocol("t"));
      await eventLoopTurn();
      expect(protocol.received[0]!.constructor).toBe(Uint8Array);
      expect(protocol.received[0]!.buffer).toBe(chunk.buffer);
      transport.abort();
      await eventLoopTurn();
    });

    it("ignores empty chunks", async () => {
      const io = instrumented({ chunks: [new Uint8Array(0), bytes("x")] });
      const transport = new WebStreamTransport(io.pair);
      const protocol = attach(transport, new RecordingProtocol("t"));
      await eventLoopTurn();
      expect(protocol.received.map(text)).toEqual(["x"]);
      transport.abort();
      await eventLoopTurn();
    });

    it("fails the connection with a TypeError when a chunk is not a Uint8Array", async () => {
      const readable = new ReadableStream<Uint8Array>({
        start: (controller) => controller.enqueue("text" as unknown as Uint8Array),
      });
      const transport = new WebStreamTransport({ readable, writable: new WritableStream() });
      const protocol = attach(transport, new RecordingProtocol("t"));
      await eventLoopTurn();
      expect(protocol.lostWith).toHaveLength(1);
      expect(protocol.lostWith[0]).toBeInstanceOf(TypeError);
      expect((protocol.lostWith[0] as Error).message).toBe("Cannot receive: a chunk must be a Uint8Array, not string");
    });

    it("fails the connection with a ConnectionResetError caused by the readable's error, and aborts the writable", async () => {
      const io = instrumented();
      const transport = new WebStreamTransport(io.pair);
      const protocol = attach(transport, new RecordingProtocol("t"));
      await eventLoopTurn();
      const failure = new Error("network down");
      io.source().error(failure);
      await eventLoopTurn();
      expect(protocol.lostWith).toHaveLength(1);
      const lost = protocol.lostWith[0] as ConnectionResetError;
      expect(lost).toBeInstanceOf(ConnectionResetError);
      expect(lost.code).toBe("ECONNRESET");
      expect(lost.cause).toBe(failure);
      expect(transport.isClosing()).toBe(true);
      expect(io.log).toEqual(["abort ConnectionResetError"]);
    });

    it("a readable error while the reader is behind fails drain() at once; the reader gets its data, then the same error", async () => {
      const io = instrumented({ holdWrites: true }); // the sink takes nothing: drain() waits
      const transport = new WebStreamTransport(io.pair, { writeBufferLimits: { high: 4 } });
      const { reader, writer } = createStreams(transport, { reader: new StreamReader({ limit: 4 }) });
      const sent = bytes("0123456789"); // past 2 × limit: the reader pauses the transport
      io.source().enqueue(sent);
      await expect.poll(() => transport.isReading()).toBe(false);
      writer.write(bytes("pending"));
      const waiting = writer.drain().then(
        () => "resolved",
        (error: unknown) => error,
      );
      const reset = new Error("peer reset");
      io.source().error(reset);
      // Without the fix the transport learns of the error only when its reader catches up: this times out.
      const failure = await within(waiting, 1_000, "the waiting drain() to settle");
      expect(failure).toBeInstanceOf(ConnectionResetError);
      expect((failure as ConnectionResetError).cause).toBe(reset);
      await expect(writer.drain()).rejects.toBe(failure);
      expect(await reader.readExactly(sent.length)).toEqual(sent);
      await expect(reader.read()).rejects.toBe(failure);
      await expect(writer.waitClosed()).rejects.toBe(failure);
    });

    it("delivers the end of the readable as eofReceived(), and closes unless it returns true", async () => {
      for (const keepOpen of [true, false]) {
        const io = instrumented();
        const transport = new WebStreamTransport(io.pair);
        const protocol = attach(transport, new RecordingProtocol("t"));
        protocol.eofResult = keepOpen;
        io.source().close();
        await eventLoopTurn();
        expect(protocol.events).toEqual(keepOpen ? ["made", "eof"] : ["made", "eof", "lost undefined"]);
        expect(transport.isClosing()).toBe(!keepOpen);
        transport.close();
        await eventLoopTurn();
        expect(protocol.lostWith).toEqual([undefined]);
      }
    });
  });

  describe("writing", () => {
    it("counts queued bytes, not chunks: pauseWriting() above the high-water mark, resumeWriting() at the low one", async () => {
      const io = instrumented({ holdWrites: true });
      const transport = new WebStreamTransport(io.pair, { writeBufferLimits: { high: 1000, low: 100 } });
      const protocol = attach(transport, new RecordingProtocol("t"));
      transport.write(new Uint8Array(600));
      transport.write(new Uint8Array(400));
      expect(transport.getWriteBufferSize()).toBe(1000);
      expect(protocol.events).toEqual(["made"]); // exactly at the mark: not above it
      transport.write(new Uint8Array(1));
      expect(protocol.events).toEqual(["made", "pause"]);
      await eventLoopTurn();
      io.releaseWrites();
      await eventLoopTurn();
      io.releaseWrites();
      await eventLoopTurn();
      io.releaseWrites();
      await eventLoopTurn();
      expect(transport.getWriteBufferSize()).toBe(0);
      expect(protocol.events).toEqual(["made", "pause", "resume"]);
      expect(io.written.map((chunk) => chunk.length)).toEqual([600, 400, 1]);
      transport.close();
      await eventLoopTurn();
    });

    it("getWriteBufferSize() is 0 once the connection is lost, even while a write never settles, and stays 0 when it does", async () => {
      const io = instrumented({ holdWrites: true });
      const transport = new WebStreamTransport(io.pair, { writeBufferLimits: { high: 10 } });
      const protocol = attach(transport, new RecordingProtocol("t"));
      transport.write(new Uint8Array(100));
      transport.write(new Uint8Array(50));
      await eventLoopTurn();
      expect(transport.getWriteBufferSize()).toBe(150);
      io.source().error(new Error("reset"));
      await eventLoopTurn();
      expect(protocol.lostWith).toHaveLength(1);
      expect(transport.getWriteBufferSize()).toBe(0); // asyncio's _force_close() clears the buffer
      io.releaseWrites(); // the sink's write settles after all: nothing more to count down
      await eventLoopTurn();
      expect(transport.getWriteBufferSize()).toBe(0);
    });

    it("passes the written array to the writable without a copy", async () => {
      const io = instrumented();
      const transport = new WebStreamTransport(io.pair);
      attach(transport, new RecordingProtocol("t"));
      const data = bytes("as is");
      transport.write(data);
      await eventLoopTurn();
      expect(io.written[0]).toBe(data);
      transport.close();
      await eventLoopTurn();
    });

    it("writeEof() closes the writable and reading goes on; write() afterwards throws InvalidStateError", async () => {
      const io = instrumented();
      const transport = new WebStreamTransport(io.pair);
      const protocol = attach(transport, new RecordingProtocol("t"));
      transport.write(bytes("last"));
      transport.writeEof();
      expect(() => transport.write(bytes("more"))).toThrow(InvalidStateError);
      await eventLoopTurn();
      expect(io.log).toEqual(["close"]);
      io.source().enqueue(bytes("still reading"));
      await eventLoopTurn();
      expect(protocol.receivedText).toBe("still reading");
      expect(transport.isClosing()).toBe(false);
      transport.close();
      await eventLoopTurn();
      expect(io.log).toEqual(["close", "cancel ConnectionResetError"]);
      expect(protocol.lostWith).toEqual([undefined]);
    });

    it("writeEof() throws NotImplementedError with halfClose: false", () => {
      const transport = new WebStreamTransport(instrumented().pair, { halfClose: false });
      expect(transport.canWriteEof()).toBe(false);
      expect(() => transport.writeEof()).toThrow(expect.objectContaining({ code: "ERR_NOT_IMPLEMENTED" }));
      transport.abort();
    });

    it("a failed write fails the connection with a ConnectionResetError caused by the writable's error", async () => {
      const failure = new Error("sink broke");
      const writable = new WritableStream<Uint8Array>({ write: () => Promise.reject(failure) });
      const transport = new WebStreamTransport({ readable: new ReadableStream(), writable });
      const protocol = attach(transport, new RecordingProtocol("t"));
      transport.write(bytes("x"));
      await eventLoopTurn();
      expect(protocol.lostWith).toHaveLength(1);
      expect(protocol.lostWith[0]).toBeInstanceOf(ConnectionResetError);
      expect((protocol.lostWith[0] as ConnectionResetError).cause).toBe(failure);
    });
  });

  describe("close and abort", () => {
    it("close() flushes, calls connectionLost(undefined), then closes the writable and cancels the readable", async () => {
      const io = instrumented({ holdWrites: true });
      const transport = new WebStreamTransport(io.pair);
      const protocol = attach(transport, new RecordingProtocol("t"));
      transport.write(bytes("pending"));
      transport.close();
      await eventLoopTurn();
      expect(protocol.lostWith).toEqual([]); // still flushing
      transport.write(bytes(" and more")); // asyncio still appends while a closing transport flushes
      io.releaseWrites();
      await eventLoopTurn();
      io.releaseWrites();
      await eventLoopTurn();
      expect(protocol.lostWith).toEqual([undefined]);
      expect(io.log).toEqual(["close", "cancel ConnectionResetError"]);
      expect(text(concat(io.written))).toBe("pending and more");
    });

    it("abort() aborts the writable and cancels the readable with a ConnectionResetError, then connectionLost(undefined)", async () => {
      const io = instrumented({ holdWrites: true });
      const transport = new WebStreamTransport(io.pair);
      const protocol = attach(transport, new RecordingProtocol("t"));
      transport.write(bytes("dropped"));
      transport.abort();
      transport.write(bytes("ignored"));
      await eventLoopTurn();
      expect(protocol.lostWith).toEqual([undefined]);
      expect(io.log.sort()).toEqual(["abort ConnectionResetError", "cancel ConnectionResetError"]);
      io.releaseWrites();
    });

    it("a peer in the same process sees the abort as ConnectionResetError", async () => {
      const [left, right] = transportPair();
      const a = createStreams(left);
      const b = createStreams(right);
      const read = b.reader.read().catch((error: unknown) => error);
      left.abort();
      expect(await read).toBeInstanceOf(ConnectionResetError);
      await a.writer.waitClosed();
      await expect(b.writer.waitClosed()).rejects.toBeInstanceOf(ConnectionResetError);
    });
  });

  it("the constructor throws TypeError on a locked stream and leaves the other one unlocked", () => {
    const io = instrumented();
    const lock = io.pair.writable.getWriter();
    expect(() => new WebStreamTransport(io.pair)).toThrow(TypeError);
    expect(io.pair.readable.locked).toBe(false);
    lock.releaseLock();
  });

  it("the constructor throws TypeError on an unknown option, a flag that is not a boolean, extraInfo that is not an object or a pair that is not two Web streams, and locks nothing", () => {
    const io = instrumented();
    const list = "; the options are writeBufferLimits, halfClose, copyChunks, extraInfo";
    const cases: [unknown, unknown, string][] = [
      [io.pair, { halfclose: false }, `unknown option "halfclose"${list}`],
      [io.pair, { writeBufferLimit: { high: 1 } }, `unknown option "writeBufferLimit"${list}`],
      [io.pair, { halfClose: "no" }, 'halfClose should be a boolean, got "no" (string)'],
      [io.pair, { copyChunks: "false" }, 'copyChunks should be a boolean, got "false" (string)'],
      [io.pair, { extraInfo: 5 }, "extraInfo should be an object, got 5 (number)"],
      [io.pair, null, "options should be an object, got null"],
      [{}, {}, "readable should be a ReadableStream, got undefined"],
      [{ readable: io.pair.readable, writable: {} }, {}, "writable should be a WritableStream, got an object"],
      [undefined, {}, "pair should be an object with a readable and a writable, got undefined"],
    ];
    for (const [pair, options, detail] of cases) {
      const make = () => new WebStreamTransport(pair as WebStreamPair, options as WebStreamTransportOptions);
      expect(make).toThrow(new TypeError(`Cannot make a WebStreamTransport: ${detail}`));
    }
    expect(io.pair.readable.locked || io.pair.writable.locked).toBe(false);
  });

  it("getExtraInfo() returns the given extra info, and toString() says whether it is closing", () => {
    const transport = new WebStreamTransport(instrumented().pair, { extraInfo: { peername: "peer" } });
    expect(transport.getExtraInfo("peername")).toBe("peer");
    expect(String(transport)).toBe("<WebStreamTransport>");
    transport.abort();
    expect(String(transport)).toBe("<WebStreamTransport closing>");
  });
});

describe("WebStreamTransport with halfClose: false", () => {
  it("closes when the readable ends even if eofReceived() returns true: no half-open connection without half-close", async () => {
    let source!: ReadableStreamDefaultController<Uint8Array>;
    const readable = new ReadableStream<Uint8Array>({ start: (controller) => void (source = controller) });
    const transport = new WebStreamTransport({ readable, writable: new WritableStream() }, { halfClose: false });
    const protocol = attach(transport, new RecordingProtocol("t"));
    protocol.eofResult = true;
    source.close();
    await eventLoopTurn();
    expect(protocol.events).toEqual(["made", "eof", "lost undefined"]);
    expect(transport.isClosing()).toBe(true);
  });
});
