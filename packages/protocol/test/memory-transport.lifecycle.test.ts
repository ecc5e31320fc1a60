import { describe, expect, it } from "vitest";
import { InvalidStateError } from "@asyncstreams/reader";
import { ConnectionResetError, MemoryTransport, createStreams } from "@asyncstreams/protocol";
import { bytes, eventLoopTurn, text, track, within } from "@asyncstreams/test-utils";
import { connected, closeBoth } from "./_memory-pair.js";

describe("MemoryTransport", () => {
  describe("writeEof()", () => {
    it("delivers EOF after the bytes already buffered, even while the receiver is paused", async () => {
      const { left, right, sender, receiver, log } = connected();
      right.pauseReading();
      left.write(bytes("abc"));
      left.write(bytes("def"));
      left.writeEof();
      await eventLoopTurn();
      expect(log).toEqual([]);
      right.resumeReading();
      await eventLoopTurn();
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
        expect((error as InvalidStateError).code).toBe("ERR_ASYNCSTREAMS_INVALID_STATE");
      }
      await eventLoopTurn();
      expect(receiver.events).toEqual(["eof"]);
      await closeBoth(left, right, sender, receiver);
    });

    it("writeEof() twice sends one EOF", async () => {
      const { left, right, sender, receiver } = connected();
      left.writeEof();
      left.writeEof();
      await eventLoopTurn();
      expect(receiver.events).toEqual(["eof"]);
      await closeBoth(left, right, sender, receiver);
    });

    it("a receiver whose eofReceived() returns true stays open and can still write back (half-close)", async () => {
      const { left, right, sender, receiver } = connected();
      left.writeEof();
      await eventLoopTurn();
      expect(right.isClosing()).toBe(false);
      expect(right.isReading()).toBe(false); // nothing more will arrive
      right.write(bytes("reply"));
      await eventLoopTurn();
      expect(sender.receivedText).toBe("reply");
      expect(receiver.lostWith).toEqual([]);
      await closeBoth(left, right, sender, receiver);
    });

    it("a receiver whose eofReceived() does not return true closes its end, and the writer gets EOF back", async () => {
      const { left, right, sender, receiver, log } = connected();
      receiver.eofResult = undefined;
      left.writeEof();
      await eventLoopTurn();
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
      await eventLoopTurn();
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
      await eventLoopTurn();
      expect(log).toEqual([]);
      expect(left.getWriteBufferSize()).toBe(7);
      right.resumeReading();
      await eventLoopTurn();
      expect(log).toEqual(["right:data pending", "right:eof", "left:lost undefined"]);
      await closeBoth(left, right, sender, receiver);
    });

    it("close() is idempotent: connectionLost() is called once", async () => {
      const { left, right, sender, receiver } = connected();
      left.close();
      left.close();
      await eventLoopTurn();
      left.close();
      await eventLoopTurn();
      expect(sender.lostWith).toEqual([undefined]);
      expect(receiver.events).toEqual(["eof"]);
      await closeBoth(left, right, sender, receiver);
    });

    it("writes after close() with an empty buffer are dropped silently", async () => {
      const { left, right, sender, receiver } = connected();
      left.close();
      expect(() => left.write(bytes("late"))).not.toThrow();
      expect(left.getWriteBufferSize()).toBe(0);
      await eventLoopTurn();
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
      await eventLoopTurn();
      expect(log).toEqual(["right:data a", "right:data b", "right:eof", "left:lost undefined"]);
      await closeBoth(left, right, sender, receiver);
    });

    it("bytes sent to a peer that has fully closed reset the connection, as TCP's RST does (bpo-25441)", async () => {
      const { left, right, sender, receiver } = connected({ writeBufferLimits: { high: 4 } });
      right.close();
      await eventLoopTurn();
      left.write(bytes("into the void"));
      expect(sender.events).toEqual(["eof", "pause"]);
      await eventLoopTurn();
      expect(receiver.received).toEqual([]);
      expect(left.getWriteBufferSize()).toBe(0);
      expect(left.isClosing()).toBe(true);
      expect(sender.lostWith).toHaveLength(1);
      expect(sender.lostWith[0]).toBeInstanceOf(ConnectionResetError);
      await closeBoth(left, right, sender, receiver);
    });

    it.each([false, true])(
      "bytes still queued when the paused receiver closes instead of reading them reset the sender (sender closing: %s), as TCP's RST does",
      async (senderCloses) => {
        const { left, right, sender, receiver } = connected();
        right.pauseReading();
        left.write(bytes("never read"));
        if (senderCloses) left.close(); // waits for the receiver to read
        await eventLoopTurn();
        expect(sender.lostWith).toEqual([]);
        right.close();
        await eventLoopTurn();
        expect(receiver.received).toEqual([]);
        expect(receiver.lostWith).toEqual([undefined]);
        expect(left.getWriteBufferSize()).toBe(0);
        expect(sender.lostWith).toHaveLength(1);
        expect(sender.lostWith[0]).toBeInstanceOf(ConnectionResetError);
        await closeBoth(left, right, sender, receiver);
      },
    );

    it("drain() and waitClosed() fail with ConnectionResetError when the peer closes with our bytes still queued (asyncio: ECONNRESET)", async () => {
      const [left, right] = MemoryTransport.pair({ writeBufferLimits: { high: 1024 } });
      const client = createStreams(left);
      const server = createStreams(right, { limit: 1024 });
      for (let i = 0; i < 16; i++) client.writer.write(new Uint8Array(512)); // the server's reader pauses at 2 × limit
      await eventLoopTurn();
      expect(left.getWriteBufferSize()).toBeGreaterThan(1024);
      const drained = track(client.writer.drain());
      server.writer.close(); // gives up without reading the rest
      await within(server.writer.waitClosed());
      await eventLoopTurn();
      expect(drained.rejected).toBe(true);
      expect(drained.error).toBeInstanceOf(ConnectionResetError);
      await expect(within(client.writer.waitClosed())).rejects.toBe(drained.error);
      expect(client.writer.isClosing()).toBe(true);
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
      await eventLoopTurn();
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
      await eventLoopTurn();
      left.abort();
      await eventLoopTurn();
      expect(sender.received).toEqual([]);
      expect(right.getWriteBufferSize()).toBe(0);
      await closeBoth(left, right, sender, receiver);
    });

    it("abort() after close() still reports a single connectionLost()", async () => {
      const { left, right, sender, receiver } = connected();
      left.close();
      await eventLoopTurn();
      left.abort();
      await eventLoopTurn();
      expect(sender.lostWith).toEqual([undefined]);
      await closeBoth(left, right, sender, receiver);
    });

    it("abort() right after close() with nothing buffered does nothing: the peer reads a clean EOF, as asyncio's", async () => {
      const { left, right, sender, receiver } = connected();
      left.close(); // nothing buffered: the connection is lost at once (asyncio's _conn_lost)
      left.abort();
      await eventLoopTurn();
      expect(sender.lostWith).toEqual([undefined]);
      expect(receiver.events).toEqual(["eof"]);
      expect(right.isClosing()).toBe(false);
      await closeBoth(left, right, sender, receiver);
    });

    it("abort() after close() while bytes are still buffered drops them and resets the peer, as asyncio's", async () => {
      const { left, right, sender, receiver } = connected();
      right.pauseReading();
      left.write(bytes("buffered"));
      left.close();
      left.abort();
      expect(left.getWriteBufferSize()).toBe(0);
      await eventLoopTurn();
      expect(sender.lostWith).toEqual([undefined]);
      expect(receiver.events).toEqual(["lost ConnectionResetError"]);
      await closeBoth(left, right, sender, receiver);
    });

    it("abort() does not reset a peer that already closed cleanly in the same turn", async () => {
      const { left, right, sender, receiver } = connected();
      right.close(); // nothing buffered: lost at once, connectionLost(undefined) still to come
      left.abort();
      await eventLoopTurn();
      expect(receiver.lostWith).toEqual([undefined]);
      expect(sender.lostWith).toEqual([undefined]);
      await closeBoth(left, right, sender, receiver);
    });

    it("writes after abort() are dropped silently", async () => {
      const { left, right, sender, receiver } = connected();
      left.abort();
      expect(() => left.write(bytes("late"))).not.toThrow();
      expect(left.getWriteBufferSize()).toBe(0);
      await eventLoopTurn();
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
      await eventLoopTurn();
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
      await eventLoopTurn();
      expect(receiver.lostWith).toEqual([failure]);
      expect(sender.lostWith[0]).toBeInstanceOf(ConnectionResetError);
      await closeBoth(left, right, sender, receiver);
    });
  });
});
