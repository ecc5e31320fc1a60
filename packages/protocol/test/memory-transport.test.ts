import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { InvalidStateError } from "@asyncstreams/reader";
import { ConnectionResetError, MemoryTransport, createStreams } from "@asyncstreams/protocol";
import type { MemoryTransportOptions } from "@asyncstreams/protocol";
import { RecordingProtocol, attach, bytes, concat, macrotasks, microtasks, text, track } from "./_helpers.js";

/** Two ends with recording protocols sharing one log. */
function connected(options: MemoryTransportOptions = {}) {
  const [left, right] = MemoryTransport.pair(options);
  const log: string[] = [];
  const sender = attach(left, new RecordingProtocol("left", log));
  const receiver = attach(right, new RecordingProtocol("right", log));
  log.length = 0; // drop the two "made" entries
  return { left, right, sender, receiver, log };
}

/** Closes both ends and checks that each reported its loss exactly once (bounded). */
async function closeBoth(left: MemoryTransport, right: MemoryTransport, ...protocols: RecordingProtocol[]): Promise<void> {
  left.close();
  right.close();
  await macrotasks();
  expect(left.isClosing() && right.isClosing()).toBe(true);
  for (const protocol of protocols) expect(protocol.lostWith).toHaveLength(1);
}

describe("MemoryTransport", () => {
  describe("delivery", () => {
    it("delivers each write to the peer's protocol as its own chunk, asynchronously", async () => {
      const { left, right, sender, receiver } = connected();
      left.write(bytes("hello "));
      left.write(bytes("world"));
      expect(receiver.received).toEqual([]); // not synchronous
      await microtasks();
      expect(receiver.received.map(text)).toEqual(["hello ", "world"]);
      expect(left.getWriteBufferSize()).toBe(0);
      await closeBoth(left, right, sender, receiver);
    });

    it("delivers in both directions", async () => {
      const { left, right, sender, receiver } = connected();
      left.write(bytes("ping"));
      right.write(bytes("pong"));
      await microtasks();
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
      await microtasks();
      expect(receiver.receivedText).toBe("abc");
      expect(receiver.received[0]).not.toBe(data);
      await closeBoth(left, right, sender, receiver);
    });

    it("ignores empty writes", async () => {
      const { left, right, sender, receiver } = connected();
      left.write(new Uint8Array(0));
      expect(left.getWriteBufferSize()).toBe(0);
      await microtasks();
      expect(receiver.received).toEqual([]);
      await closeBoth(left, right, sender, receiver);
    });

    it("keeps order under many small writes, each arriving as its own chunk", async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 16 }), { maxLength: 60 }), async (chunks) => {
          const { left, right, sender, receiver } = connected({ writeBufferLimits: { high: 8 } });
          for (const chunk of chunks) left.write(chunk);
          await microtasks();
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
      await microtasks();
      expect(receiver.received).toHaveLength(1000);
      expect(concat(receiver.received)).toEqual(expected);
      await closeBoth(left, right, sender, receiver);
    });

    it("writeLines() sends the chunks in order, as one write of their concatenation", async () => {
      const { left, right, sender, receiver } = connected();
      left.writeLines([bytes("line1\n"), bytes("line2\n"), new Uint8Array(0), bytes("line3\n")]);
      await microtasks();
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
      await microtasks();
      expect(receiver.received).toEqual([]);
      await closeBoth(left, right, sender, receiver);
    });

    it("delivers bytes written before the receiver has a protocol once setProtocol() is called", async () => {
      const [left, right] = MemoryTransport.pair();
      const sender = attach(left, new RecordingProtocol("left"));
      left.write(bytes("early"));
      await microtasks();
      expect(right.getProtocol()).toBeNull();
      expect(left.getWriteBufferSize()).toBe(5);
      const receiver = new RecordingProtocol("right");
      right.setProtocol(receiver);
      expect(right.getProtocol()).toBe(receiver);
      await microtasks();
      expect(receiver.receivedText).toBe("early");
      expect(left.getWriteBufferSize()).toBe(0);
      await closeBoth(left, right, sender, receiver);
    });

    it("setProtocol() switches the protocol that receives later data", async () => {
      const { left, right, sender, receiver } = connected();
      left.write(bytes("one"));
      await microtasks();
      const next = new RecordingProtocol("next");
      right.setProtocol(next);
      left.write(bytes("two"));
      await microtasks();
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
      await macrotasks();
      expect(receiver.received).toEqual([]);
      expect(left.getWriteBufferSize()).toBe(9);
      right.resumeReading();
      expect(right.isReading()).toBe(true);
      await microtasks();
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
      await macrotasks();

      // The receiver reads 7 of the 12 bytes, then pauses again: 5 left, still above low.
      let stopAt = 7;
      receiver.onData = () => {
        if (concat(receiver.received).length >= stopAt) right.pauseReading();
      };
      right.resumeReading();
      await microtasks();
      expect(concat(receiver.received).length).toBe(7);
      expect(left.getWriteBufferSize()).toBe(5);
      expect(sender.events).toEqual(["pause"]);

      // One more byte: 4 left, at low.
      stopAt = 8;
      right.resumeReading();
      await microtasks();
      expect(left.getWriteBufferSize()).toBe(4);
      expect(sender.events).toEqual(["pause", "resume"]);

      receiver.onData = null;
      right.resumeReading();
      await microtasks();
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
      for (let offset = 0; offset < payload.length; offset += 10) sender.writer.write(payload.subarray(offset, offset + 10));
      expect(left.getWriteBufferSize()).toBe(1000);
      const drained = track(sender.writer.drain());
      await macrotasks();
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
      await microtasks();
      expect(pendingAfterFirstRead).toBe(true);
      expect(drained.settled).toBe(true);
      expect(drained.rejected).toBe(false);
      expect(concat(received)).toEqual(payload);
      expect(left.getWriteBufferSize()).toBe(0);

      sender.writer.close();
      receiver.writer.close();
      await macrotasks();
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
      [{ high: 20, low: 5 }, { high: 20, low: 5 }],
      [{ high: 7, low: 7 }, { high: 7, low: 7 }],
      [{ high: 0, low: 0 }, { high: 0, low: 0 }],
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
      [{ high: Number.NaN }, "must be >= low"],
    ])("setWriteBufferLimits(%o) throws RangeError and keeps the old limits", (limits, message) => {
      const [left] = MemoryTransport.pair();
      left.setWriteBufferLimits({ high: 12, low: 3 });
      expect(() => left.setWriteBufferLimits(limits)).toThrow(RangeError);
      expect(() => left.setWriteBufferLimits(limits)).toThrow(message);
      expect(() => left.setWriteBufferLimits(limits)).toThrow(/^Cannot set write buffer limits: /);
      expect(left.getWriteBufferLimits()).toEqual({ high: 12, low: 3 });
      left.abort();
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
      await microtasks();
      expect(sender.events).toEqual(["pause", "resume"]);
      await closeBoth(left, right, sender, receiver);
    });
  });

  describe("writeEof()", () => {
    it("delivers EOF after the bytes already buffered, even while the receiver is paused", async () => {
      const { left, right, sender, receiver, log } = connected();
      right.pauseReading();
      left.write(bytes("abc"));
      left.write(bytes("def"));
      left.writeEof();
      await macrotasks();
      expect(log).toEqual([]);
      right.resumeReading();
      await microtasks();
      expect(log).toEqual(["right:data abc", "right:data def", "right:eof"]);
      expect(left.isClosing()).toBe(false);
      await closeBoth(left, right, sender, receiver);
    });

    it("write() after writeEof() throws InvalidStateError", async () => {
      const { left, right, sender, receiver } = connected();
      left.writeEof();
      expect(() => left.write(bytes("late"))).toThrow(InvalidStateError);
      expect(() => left.writeLines([bytes("late")])).toThrow(InvalidStateError);
      try {
        left.write(bytes("late"));
      } catch (error) {
        expect((error as InvalidStateError).code).toBe("ERR_INVALID_STATE");
      }
      await microtasks();
      expect(receiver.events).toEqual(["eof"]);
      await closeBoth(left, right, sender, receiver);
    });

    it("writeEof() twice sends one EOF", async () => {
      const { left, right, sender, receiver } = connected();
      left.writeEof();
      left.writeEof();
      await microtasks();
      expect(receiver.events).toEqual(["eof"]);
      await closeBoth(left, right, sender, receiver);
    });

    it("a receiver whose eofReceived() returns true stays open and can still write back (half-close)", async () => {
      const { left, right, sender, receiver } = connected();
      left.writeEof();
      await microtasks();
      expect(right.isClosing()).toBe(false);
      expect(right.isReading()).toBe(false); // nothing more will arrive
      right.write(bytes("reply"));
      await microtasks();
      expect(sender.receivedText).toBe("reply");
      expect(receiver.lostWith).toEqual([]);
      await closeBoth(left, right, sender, receiver);
    });

    it("a receiver whose eofReceived() does not return true closes its end, and the writer gets EOF back", async () => {
      const { left, right, sender, receiver, log } = connected();
      receiver.eofResult = undefined;
      left.writeEof();
      await microtasks();
      expect(right.isClosing()).toBe(true);
      expect(log).toEqual(["right:eof", "left:eof", "right:lost undefined"]);
      await closeBoth(left, right, sender, receiver);
    });
  });

  describe("close()", () => {
    it("close() flushes the buffer, then the peer gets eofReceived(), then connectionLost(undefined) here", async () => {
      const { left, right, sender, receiver, log } = connected();
      left.write(bytes("hello"));
      left.close();
      expect(left.isClosing()).toBe(true);
      expect(left.isReading()).toBe(false);
      await microtasks();
      expect(log).toEqual(["right:data hello", "right:eof", "left:lost undefined"]);
      expect(sender.lostWith).toEqual([undefined]);
      expect(right.isClosing()).toBe(false); // half-open: eofReceived() returned true
      await closeBoth(left, right, sender, receiver);
    });

    it("close() waits for a paused receiver before calling connectionLost()", async () => {
      const { left, right, sender, receiver, log } = connected();
      right.pauseReading();
      left.write(bytes("pending"));
      left.close();
      await macrotasks();
      expect(log).toEqual([]);
      expect(left.getWriteBufferSize()).toBe(7);
      right.resumeReading();
      await microtasks();
      expect(log).toEqual(["right:data pending", "right:eof", "left:lost undefined"]);
      await closeBoth(left, right, sender, receiver);
    });

    it("close() is idempotent: connectionLost() is called once", async () => {
      const { left, right, sender, receiver } = connected();
      left.close();
      left.close();
      await microtasks();
      left.close();
      await macrotasks();
      expect(sender.lostWith).toEqual([undefined]);
      expect(receiver.events).toEqual(["eof"]);
      await closeBoth(left, right, sender, receiver);
    });

    it("writes after close() with an empty buffer are dropped silently", async () => {
      const { left, right, sender, receiver } = connected();
      left.close();
      expect(() => left.write(bytes("late"))).not.toThrow();
      expect(left.getWriteBufferSize()).toBe(0);
      await microtasks();
      expect(receiver.received).toEqual([]);
      expect(receiver.events).toEqual(["eof"]);
      await closeBoth(left, right, sender, receiver);
    });

    it("writes after close() while bytes are still buffered are sent before EOF, as asyncio's write() does not check closing", async () => {
      const { left, right, sender, receiver, log } = connected();
      right.pauseReading();
      left.write(bytes("a"));
      left.close();
      left.write(bytes("b"));
      right.resumeReading();
      await microtasks();
      expect(log).toEqual(["right:data a", "right:data b", "right:eof", "left:lost undefined"]);
      await closeBoth(left, right, sender, receiver);
    });

    it("bytes sent to a peer that has fully closed reset the connection, as TCP's RST does (bpo-25441)", async () => {
      const { left, right, sender, receiver } = connected({ writeBufferLimits: { high: 4 } });
      right.close();
      await microtasks();
      left.write(bytes("into the void"));
      expect(sender.events).toEqual(["eof", "pause"]);
      await microtasks();
      expect(receiver.received).toEqual([]);
      expect(left.getWriteBufferSize()).toBe(0);
      expect(left.isClosing()).toBe(true);
      expect(sender.lostWith).toHaveLength(1);
      expect(sender.lostWith[0]).toBeInstanceOf(ConnectionResetError);
      await closeBoth(left, right, sender, receiver);
    });
  });

  describe("abort()", () => {
    it("abort() drops buffered bytes, calls connectionLost(undefined) here and fails the peer with ConnectionResetError", async () => {
      const { left, right, sender, receiver } = connected();
      right.pauseReading();
      left.write(bytes("never delivered"));
      left.abort();
      expect(left.isClosing()).toBe(true);
      expect(left.getWriteBufferSize()).toBe(0);
      expect(right.isClosing()).toBe(true);
      await microtasks();
      expect(sender.lostWith).toEqual([undefined]);
      expect(receiver.lostWith).toHaveLength(1);
      expect(receiver.lostWith[0]).toBeInstanceOf(ConnectionResetError);
      expect(receiver.events).toEqual(["lost ConnectionResetError"]);
      expect(receiver.received).toEqual([]);
      await closeBoth(left, right, sender, receiver);
    });

    it("abort() drops what the peer had buffered for this end too", async () => {
      const { left, right, sender, receiver } = connected();
      left.pauseReading();
      right.write(bytes("for left"));
      await microtasks();
      left.abort();
      await microtasks();
      expect(sender.received).toEqual([]);
      expect(right.getWriteBufferSize()).toBe(0);
      await closeBoth(left, right, sender, receiver);
    });

    it("abort() after close() still reports a single connectionLost()", async () => {
      const { left, right, sender, receiver } = connected();
      left.close();
      await microtasks();
      left.abort();
      await macrotasks();
      expect(sender.lostWith).toEqual([undefined]);
      await closeBoth(left, right, sender, receiver);
    });

    it("writes after abort() are dropped silently", async () => {
      const { left, right, sender, receiver } = connected();
      left.abort();
      expect(() => left.write(bytes("late"))).not.toThrow();
      expect(left.getWriteBufferSize()).toBe(0);
      await microtasks();
      expect(receiver.received).toEqual([]);
      await closeBoth(left, right, sender, receiver);
    });
  });

  describe("errors from protocol callbacks", () => {
    it("an exception thrown by the receiver's dataReceived() fails its connection with that exception, and the sender sees a reset", async () => {
      const { left, right, sender, receiver } = connected();
      const failure = new Error("protocol bug");
      receiver.onData = () => {
        throw failure;
      };
      left.write(bytes("one"));
      left.write(bytes("two"));
      await microtasks();
      expect(receiver.received.map(text)).toEqual(["one"]);
      expect(receiver.lostWith).toEqual([failure]);
      expect(sender.lostWith).toHaveLength(1);
      expect(sender.lostWith[0]).toBeInstanceOf(ConnectionResetError);
      expect(right.isClosing() && left.isClosing()).toBe(true);
      await closeBoth(left, right, sender, receiver);
    });

    it("an exception thrown by eofReceived() fails the connection with that exception", async () => {
      const { left, right, sender, receiver } = connected();
      const failure = new Error("eof bug");
      receiver.onEof = () => {
        throw failure;
      };
      left.writeEof();
      await microtasks();
      expect(receiver.lostWith).toEqual([failure]);
      expect(sender.lostWith[0]).toBeInstanceOf(ConnectionResetError);
      await closeBoth(left, right, sender, receiver);
    });
  });
});
