import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MemoryTransport, createStreams, memoryTransportPair } from "@asyncstreams/protocol";
import { bytes, concat, eventLoopTurn, text, track } from "@asyncstreams/test-utils";
import { RecordingProtocol, attach } from "./_helpers.js";
import { connected, closeBoth } from "./_memory-pair.js";

describe("MemoryTransport", () => {
  describe("delivery", () => {
    it("delivers each write to the peer's protocol as its own chunk, asynchronously", async () => {
      const { left, right, sender, receiver } = connected();
      left.write(bytes("hello "));
      left.write(bytes("world"));
      expect(receiver.received).toEqual([]); // not synchronous
      await eventLoopTurn();
      expect(receiver.received.map(text)).toEqual(["hello ", "world"]);
      expect(left.getWriteBufferSize()).toBe(0);
      await closeBoth(left, right, sender, receiver);
    });

    it("delivers in both directions", async () => {
      const { left, right, sender, receiver } = connected();
      left.write(bytes("ping"));
      right.write(bytes("pong"));
      await eventLoopTurn();
      expect(receiver.receivedText).toBe("ping");
      expect(sender.receivedText).toBe("pong");
      await closeBoth(left, right, sender, receiver);
    });

    it("write() copies the data: changing the source array afterwards does not change what is received", async () => {
      const { left, right, sender, receiver } = connected();
      const data = bytes("abc");
      left.write(data);
      data[0] = 0x7a; // "z"
      data.fill(0x7a);
      await eventLoopTurn();
      expect(receiver.receivedText).toBe("abc");
      expect(receiver.received[0]).not.toBe(data);
      await closeBoth(left, right, sender, receiver);
    });

    it("write() copies a Uint8Array subclass whose slice() is a view (a Node Buffer) into a plain Uint8Array", async () => {
      /** Node's Buffer: `slice()` shares the memory instead of copying it. */
      class ViewSlice extends Uint8Array {
        override slice(start?: number, end?: number): Uint8Array<ArrayBuffer> {
          return this.subarray(start, end);
        }
      }
      const { left, right, sender, receiver } = connected();
      const scratch = new ViewSlice(bytes("first"));
      left.write(scratch);
      scratch.set(bytes("XXXXX")); // reused at once, as write()'s contract allows
      await eventLoopTurn();
      expect(receiver.receivedText).toBe("first");
      expect(receiver.received[0]!.constructor).toBe(Uint8Array);
      await closeBoth(left, right, sender, receiver);
    });

    it("ignores empty writes", async () => {
      const { left, right, sender, receiver } = connected();
      left.write(new Uint8Array(0));
      expect(left.getWriteBufferSize()).toBe(0);
      await eventLoopTurn();
      expect(receiver.received).toEqual([]);
      await closeBoth(left, right, sender, receiver);
    });

    it("keeps order under many small writes, each arriving as its own chunk", async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 16 }), { maxLength: 60 }), async (chunks) => {
          const { left, right, sender, receiver } = connected({ writeBufferLimits: { high: 8 } });
          for (const chunk of chunks) left.write(chunk);
          await eventLoopTurn();
          expect(receiver.received).toEqual(chunks.filter((chunk) => chunk.length > 0));
          expect(concat(receiver.received)).toEqual(concat(chunks));
          await closeBoth(left, right, sender, receiver);
        }),
        { numRuns: fc.readConfigureGlobal().numRuns ?? 50 },
      );
    });

    it("delivers a thousand one-byte writes in order", async () => {
      const { left, right, sender, receiver } = connected();
      const expected = Uint8Array.from({ length: 1000 }, (_, index) => index % 256);
      for (const byte of expected) left.write(Uint8Array.of(byte));
      await eventLoopTurn();
      expect(receiver.received).toHaveLength(1000);
      expect(concat(receiver.received)).toEqual(expected);
      await closeBoth(left, right, sender, receiver);
    });

    it("writeLines() sends the chunks in order, as one write of their concatenation", async () => {
      const { left, right, sender, receiver } = connected();
      left.writeLines([bytes("line1\n"), bytes("line2\n"), new Uint8Array(0), bytes("line3\n")]);
      await eventLoopTurn();
      expect(receiver.receivedText).toBe("line1\nline2\nline3\n");
      await closeBoth(left, right, sender, receiver);
    });

    it("write() throws TypeError for a string", async () => {
      const { left, right, sender, receiver } = connected();
      expect(() => left.write("data" as unknown as Uint8Array)).toThrow(TypeError);
      await closeBoth(left, right, sender, receiver);
    });

    it("writeLines() throws TypeError for a chunk that is not a Uint8Array and sends none of the chunks", async () => {
      const { left, right, sender, receiver } = connected();
      expect(() => left.writeLines([bytes("first"), "second" as unknown as Uint8Array])).toThrow(TypeError);
      expect(left.getWriteBufferSize()).toBe(0);
      await eventLoopTurn();
      expect(receiver.received).toEqual([]);
      await closeBoth(left, right, sender, receiver);
    });

    it("delivers bytes written before the receiver has a protocol once setProtocol() is called", async () => {
      const [left, right] = MemoryTransport.pair();
      const sender = attach(left, new RecordingProtocol("left"));
      left.write(bytes("early"));
      await eventLoopTurn();
      expect(right.getProtocol()).toBeNull();
      expect(left.getWriteBufferSize()).toBe(5);
      const receiver = new RecordingProtocol("right");
      right.setProtocol(receiver);
      expect(right.getProtocol()).toBe(receiver);
      await eventLoopTurn();
      expect(receiver.receivedText).toBe("early");
      expect(left.getWriteBufferSize()).toBe(0);
      await closeBoth(left, right, sender, receiver);
    });

    it("setProtocol() switches the protocol that receives later data", async () => {
      const { left, right, sender, receiver } = connected();
      left.write(bytes("one"));
      await eventLoopTurn();
      const next = new RecordingProtocol("next");
      right.setProtocol(next);
      left.write(bytes("two"));
      await eventLoopTurn();
      expect(receiver.receivedText).toBe("one");
      expect(next.receivedText).toBe("two");
      await closeBoth(left, right, sender, next);
      expect(receiver.lostWith).toEqual([]);
    });

    it("getExtraInfo() returns peername and sockname, and undefined for unknown keys", async () => {
      const { left, right, sender, receiver } = connected();
      expect(left.getExtraInfo("peername")).toBe("memory:right");
      expect(left.getExtraInfo("sockname")).toBe("memory:left");
      expect(right.getExtraInfo("peername")).toBe("memory:left");
      expect(left.getExtraInfo("sslcontext")).toBeUndefined();
      expect(String(left)).toBe("<MemoryTransport memory:left>");
      await closeBoth(left, right, sender, receiver);
    });

    it("canWriteEof() is true", async () => {
      const { left, right, sender, receiver } = connected();
      expect(left.canWriteEof()).toBe(true);
      await closeBoth(left, right, sender, receiver);
    });
  });

  describe("reading and write flow control", () => {
    it("a receiver that pauses reading fills the sender's buffer; resuming delivers everything", async () => {
      const { left, right, sender, receiver } = connected();
      right.pauseReading();
      expect(right.isReading()).toBe(false);
      left.write(bytes("held "));
      left.write(bytes("back"));
      await eventLoopTurn();
      expect(receiver.received).toEqual([]);
      expect(left.getWriteBufferSize()).toBe(9);
      right.resumeReading();
      expect(right.isReading()).toBe(true);
      await eventLoopTurn();
      expect(receiver.receivedText).toBe("held back");
      expect(left.getWriteBufferSize()).toBe(0);
      await closeBoth(left, right, sender, receiver);
    });

    it("calls pauseWriting() once when the buffer grows strictly above high, and resumeWriting() once when it falls to low", async () => {
      const { left, right, sender, receiver } = connected({ writeBufferLimits: { high: 8, low: 4 } });
      right.pauseReading();
      for (let index = 0; index < 8; index++) left.write(Uint8Array.of(index));
      expect(left.getWriteBufferSize()).toBe(8);
      expect(sender.events).toEqual([]); // 8 is not above high
      left.write(Uint8Array.of(8));
      expect(sender.events).toEqual(["pause"]); // 9 > 8, synchronously in write()
      for (let index = 9; index < 12; index++) left.write(Uint8Array.of(index));
      expect(sender.events).toEqual(["pause"]);
      await eventLoopTurn();

      // The receiver reads 7 of the 12 bytes, then pauses again: 5 left, still above low.
      let stopAt = 7;
      receiver.onData = () => {
        if (concat(receiver.received).length >= stopAt) right.pauseReading();
      };
      right.resumeReading();
      await eventLoopTurn();
      expect(concat(receiver.received).length).toBe(7);
      expect(left.getWriteBufferSize()).toBe(5);
      expect(sender.events).toEqual(["pause"]);

      // One more byte: 4 left, at low.
      stopAt = 8;
      right.resumeReading();
      await eventLoopTurn();
      expect(left.getWriteBufferSize()).toBe(4);
      expect(sender.events).toEqual(["pause", "resume"]);

      receiver.onData = null;
      right.resumeReading();
      await eventLoopTurn();
      expect(concat(receiver.received)).toEqual(Uint8Array.from({ length: 12 }, (_, index) => index));
      expect(sender.events).toEqual(["pause", "resume"]);
      await closeBoth(left, right, sender, receiver);
    });

    it("pauseReading() and resumeReading() are no-ops when already in that state", async () => {
      const { left, right, sender, receiver } = connected();
      right.resumeReading();
      expect(right.isReading()).toBe(true);
      right.pauseReading();
      right.pauseReading();
      expect(right.isReading()).toBe(false);
      right.resumeReading();
      expect(right.isReading()).toBe(true);
      await closeBoth(left, right, sender, receiver);
    });

    it("isReading() is false once closing, and resumeReading() does not change that", async () => {
      const { left, right, sender, receiver } = connected();
      right.pauseReading();
      right.close();
      expect(right.isReading()).toBe(false);
      right.resumeReading();
      expect(right.isReading()).toBe(false);
      await closeBoth(left, right, sender, receiver);
    });

    it("the reader's back-pressure pauses and resumes the transport end to end: drain() blocks, then completes, and every byte arrives in order", async () => {
      const [left, right] = MemoryTransport.pair({ writeBufferLimits: { high: 64 } }); // low = 16
      const sender = createStreams(left);
      const receiver = createStreams(right, { limit: 16 }); // pauses above 32 bytes buffered
      const payload = Uint8Array.from({ length: 1000 }, (_, index) => index % 251);
      for (let offset = 0; offset < payload.length; offset += 10)
        sender.writer.write(payload.subarray(offset, offset + 10));
      expect(left.getWriteBufferSize()).toBe(1000);
      const drained = track(sender.writer.drain());
      await eventLoopTurn();
      expect(drained.settled).toBe(false);
      expect(right.isReading()).toBe(false); // the reader paused its transport...
      expect(receiver.reader.bufferedBytes().length).toBe(40); // ...after the first chunk above 2 × limit
      expect(left.getWriteBufferSize()).toBe(960); // so the rest waits in the sender's buffer

      const received: Uint8Array[] = [];
      let total = 0;
      let pendingAfterFirstRead: boolean | undefined;
      for (let reads = 0; total < payload.length && reads < 1000; reads++) {
        const chunk = await receiver.reader.read(7);
        pendingAfterFirstRead ??= !drained.settled;
        received.push(chunk);
        total += chunk.length;
      }
      await eventLoopTurn();
      expect(pendingAfterFirstRead).toBe(true);
      expect(drained.settled).toBe(true);
      expect(drained.rejected).toBe(false);
      expect(concat(received)).toEqual(payload);
      expect(left.getWriteBufferSize()).toBe(0);

      sender.writer.close();
      receiver.writer.close();
      await eventLoopTurn();
      await expect(sender.writer.waitClosed()).resolves.toBeUndefined();
      await expect(receiver.writer.waitClosed()).resolves.toBeUndefined();
    });
  });

  describe("setWriteBufferLimits()", () => {
    it("defaults to asyncio's 64 KiB high-water mark and high / 4 low-water mark", () => {
      const [left, right] = MemoryTransport.pair();
      expect(left.getWriteBufferLimits()).toEqual({ high: 65_536, low: 16_384 });
      right.setWriteBufferLimits({ high: 10, low: 5 });
      right.setWriteBufferLimits();
      expect(right.getWriteBufferLimits()).toEqual({ high: 65_536, low: 16_384 });
      left.abort();
    });

    it.each([
      [{ high: 100 }, { high: 100, low: 25 }],
      [{ high: 10 }, { high: 10, low: 2 }],
      [{ low: 10 }, { high: 40, low: 10 }],
      [
        { high: 20, low: 5 },
        { high: 20, low: 5 },
      ],
      [
        { high: 7, low: 7 },
        { high: 7, low: 7 },
      ],
      [
        { high: 0, low: 0 },
        { high: 0, low: 0 },
      ],
      [{ high: 0 }, { high: 0, low: 0 }],
    ])("setWriteBufferLimits(%o) sets %o", (limits, expected) => {
      const [left] = MemoryTransport.pair();
      left.setWriteBufferLimits(limits);
      expect(left.getWriteBufferLimits()).toEqual(expected);
      left.abort();
    });

    it.each([
      [{ high: 1, low: 2 }, "high (1) must be >= low (2) must be >= 0"],
      [{ low: -1 }, "high (-4) must be >= low (-1) must be >= 0"],
      [{ high: -1 }, "high (-1) must be >= low (-1) must be >= 0"],
      [{ high: Number.NaN }, "high should be a non-negative integer or Infinity, got NaN"],
      [{ high: 1.5 }, "high should be a non-negative integer or Infinity, got 1.5"],
      [{ low: -Infinity }, "low should be a non-negative integer or Infinity, got -Infinity"],
    ])("setWriteBufferLimits(%o) throws RangeError and keeps the old limits", (limits, message) => {
      const [left] = MemoryTransport.pair();
      left.setWriteBufferLimits({ high: 12, low: 3 });
      expect(() => left.setWriteBufferLimits(limits)).toThrow(RangeError);
      expect(() => left.setWriteBufferLimits(limits)).toThrow(message);
      expect(() => left.setWriteBufferLimits(limits)).toThrow(/^Cannot set write buffer limits: /);
      expect(left.getWriteBufferLimits()).toEqual({ high: 12, low: 3 });
      left.abort();
    });

    it.each([
      [{ high: "100" }, 'high should be a number of bytes, got "100" (string)'],
      [{ low: "9" }, 'low should be a number of bytes, got "9" (string)'],
      [{ high: 10n }, "high should be a number of bytes"],
      [{ hihg: 100 }, 'unknown option "hihg"; the options are high, low'],
    ])(
      "setWriteBufferLimits(%o) throws TypeError (strings compared as strings paused at the wrong size) and keeps the old limits",
      (limits, message) => {
        const [left] = MemoryTransport.pair();
        left.setWriteBufferLimits({ high: 12, low: 3 });
        expect(() => left.setWriteBufferLimits(limits as never)).toThrow(TypeError);
        expect(() => left.setWriteBufferLimits(limits as never)).toThrow(`Cannot set write buffer limits: ${message}`);
        expect(left.getWriteBufferLimits()).toEqual({ high: 12, low: 3 });
        left.abort();
      },
    );

    it("Infinity is a mark: high Infinity never pauses", () => {
      const [left] = MemoryTransport.pair({ writeBufferLimits: { high: Infinity, low: 0 } });
      expect(left.getWriteBufferLimits()).toEqual({ high: Infinity, low: 0 });
      left.abort();
    });

    it("MemoryTransport.pair() refuses unknown options, bad extraInfo and bad marks before making either end", () => {
      expect(() => MemoryTransport.pair({ writeBufferLimit: { high: 1 } } as never)).toThrow(
        new TypeError(
          'Cannot make a memory transport pair: unknown option "writeBufferLimit"; the options are writeBufferLimits, extraInfo',
        ),
      );
      expect(() => MemoryTransport.pair({ extraInfo: [{}] } as never)).toThrow(
        /extraInfo should be an array of two objects/,
      );
      expect(() => MemoryTransport.pair({ writeBufferLimits: { high: "1" } } as never)).toThrow(TypeError);
      expect(() => memoryTransportPair({ writeBufferLimits: { high: 1, low: 2 } })).toThrow(RangeError);
    });

    it("lowering the high-water mark below the buffered size pauses the protocol at once", async () => {
      const { left, right, sender, receiver } = connected();
      right.pauseReading();
      left.write(new Uint8Array(10));
      expect(sender.events).toEqual([]);
      left.setWriteBufferLimits({ high: 9 });
      expect(sender.events).toEqual(["pause"]);
      left.setWriteBufferLimits({ high: 5 });
      expect(sender.events).toEqual(["pause"]);
      right.resumeReading();
      await eventLoopTurn();
      expect(sender.events).toEqual(["pause", "resume"]);
      await closeBoth(left, right, sender, receiver);
    });
  });
});
