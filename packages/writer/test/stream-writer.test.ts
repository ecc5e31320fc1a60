import { describe, expect, it } from "vitest";
import { ConnectionLostError, StreamWriter } from "@asyncstreams/writer";
import type { WriterProtocol } from "@asyncstreams/writer";
import { bytes, holdsBeforeMacrotask, runBriefly, text, track } from "@asyncstreams/test-utils";
import { FakeProtocol, FakeReader, FakeTransport, UpgradableTransport, connect } from "./_fakes.js";

/** A connected writer over fakes: `close()` makes the protocol lose the connection a turn later. */
function setup(options: { reader?: FakeReader; transport?: FakeTransport } = {}) {
  const transport = options.transport ?? new FakeTransport();
  const protocol = new FakeProtocol();
  connect(transport, protocol);
  if (transport instanceof UpgradableTransport) connect(transport.upgraded, protocol);
  const reader = options.reader ?? new FakeReader();
  const writer = new StreamWriter(transport, { protocol, reader });
  writers.set(writer, protocol);
  return { transport, protocol, reader, writer };
}

const writers = new WeakMap<StreamWriter, FakeProtocol>();

/** Closes the writer and lets the connection loss that close() scheduled run (bounded). */
async function finish(writer: StreamWriter): Promise<void> {
  writer.close();
  await runBriefly(2);
  expect(writers.get(writer)?.lost).toBe(true);
}

describe("StreamWriter", () => {
  it("exposes the transport it was made with as transport", async () => {
    const { transport, writer } = setup();
    expect(writer.transport).toBe(transport);
    await finish(writer);
  });

  describe("write()", () => {
    it("write() hands the bytes to the transport without blocking", async () => {
      const { transport, writer } = setup();
      const data = bytes("GET / HTTP/1.0\r\n\r\n");
      expect(writer.write(data)).toBeUndefined();
      expect(transport.written).toEqual([data]);
      await finish(writer);
    });

    it("write() throws TypeError for a string, as asyncio's transport does for str", async () => {
      const { transport, writer } = setup();
      expect(() => writer.write("data" as unknown as Uint8Array)).toThrow(TypeError);
      expect(() => writer.write("data" as unknown as Uint8Array)).toThrow(
        "Cannot write: data must be a Uint8Array, not string",
      );
      expect(transport.calls).toEqual([]);
      await finish(writer);
    });

    it.each([
      ["a number", 42, "number"],
      ["null", null, "null"],
      ["undefined", undefined, "undefined"],
      ["an ArrayBuffer", new ArrayBuffer(4), "ArrayBuffer"],
      ["a DataView", new DataView(new ArrayBuffer(4)), "DataView"],
      ["an array of numbers", [1, 2, 3], "Array"],
    ])("write() throws TypeError naming the type for %s", async (_label, value, typeName) => {
      const { transport, writer } = setup();
      expect(() => writer.write(value as unknown as Uint8Array)).toThrow(
        new TypeError(`Cannot write: data must be a Uint8Array, not ${typeName}`),
      );
      expect(transport.calls).toEqual([]);
      await finish(writer);
    });

    it("write() accepts a subclass of Uint8Array", async () => {
      class Chunk extends Uint8Array {}
      const { transport, writer } = setup();
      const chunk = new Chunk([1, 2, 3]);
      writer.write(chunk);
      expect(transport.written).toEqual([chunk]);
      await finish(writer);
    });
  });

  describe("writeLines()", () => {
    it("writeLines() passes every chunk to the transport's writeLines in order", async () => {
      const { transport, writer } = setup();
      writer.writeLines([bytes("line1\n"), bytes("line2\n"), bytes("line3\n")]);
      expect(transport.calls).toEqual(["writeLines"]);
      expect(transport.lines.map((chunks) => chunks.map(text))).toEqual([["line1\n", "line2\n", "line3\n"]]);
      await finish(writer);
    });

    it("writeLines() accepts any iterable, including a one-shot generator", async () => {
      const { transport, writer } = setup();
      function* chunks(): Generator<Uint8Array> {
        yield bytes("a");
        yield bytes("b");
      }
      writer.writeLines(chunks());
      expect(transport.lines.map((list) => list.map(text))).toEqual([["a", "b"]]);
      await finish(writer);
    });

    it("writeLines() throws TypeError for a chunk that is not a Uint8Array and writes none of the chunks", async () => {
      const { transport, writer } = setup();
      expect(() => writer.writeLines([bytes("ok"), "bad" as unknown as Uint8Array])).toThrow(TypeError);
      expect(transport.calls).toEqual([]);
      await finish(writer);
    });
  });

  describe("writeEof() and canWriteEof()", () => {
    it("writeEof() half-closes through the transport", async () => {
      const { transport, writer } = setup();
      writer.writeEof();
      expect(transport.calls).toEqual(["writeEof"]);
      await finish(writer);
    });

    it("canWriteEof() reports what the transport supports", async () => {
      const { transport, writer } = setup();
      expect(writer.canWriteEof()).toBe(true);
      transport.eofSupported = false;
      expect(writer.canWriteEof()).toBe(false);
      await finish(writer);
    });
  });

  describe("close() and isClosing()", () => {
    it("isClosing() is false until close() and true right after it (test_wait_closed_on_close)", async () => {
      const { transport, writer } = setup();
      expect(writer.isClosing()).toBe(false);
      writer.close();
      expect(writer.isClosing()).toBe(true);
      expect(transport.calls).toEqual(["close"]);
      await finish(writer);
    });
  });

  describe("getExtraInfo()", () => {
    it("getExtraInfo() returns the transport's values and undefined for unknown keys", async () => {
      const peername = { address: "127.0.0.1", family: "IPv4", port: 8888 };
      const { writer } = setup({ transport: new FakeTransport("fake", { peername, sockname: "/tmp/sock" }) });
      expect(writer.getExtraInfo("peername")).toBe(peername);
      expect(writer.getExtraInfo("sockname")).toBe("/tmp/sock");
      expect(writer.getExtraInfo("sslcontext")).toBeUndefined();
      expect(writer.getExtraInfo("no-such-key")).toBeUndefined();
      await finish(writer);
    });

    it("getExtraInfo(name, defaultValue) returns the default when the transport has no value, as asyncio's get_extra_info(name, default)", async () => {
      const { writer } = setup({
        transport: new FakeTransport("fake", { sockname: "/tmp/sock", sslObject: "the TLS socket" }),
      });
      expect(writer.getExtraInfo("cipher", null)).toBeNull();
      expect(writer.getExtraInfo("no-such-key", "fallback")).toBe("fallback");
      expect(writer.getExtraInfo("sockname", "unused")).toBe("/tmp/sock");
      await finish(writer);
    });

    it("getExtraInfo() accepts asyncio's key name ssl_object for sslObject instead of returning undefined", async () => {
      const { writer } = setup({ transport: new FakeTransport("fake", { sslObject: "the TLS socket" }) });
      expect(writer.getExtraInfo("ssl_object")).toBe("the TLS socket");
      expect(() => writer.getExtraInfo(5 as unknown as string)).toThrow(TypeError);
      await finish(writer);
    });
  });

  describe("drain()", () => {
    it("drain() completes without waiting for a macrotask when writing is not paused", async () => {
      const { protocol, writer } = setup();
      const drained = track(writer.drain());
      await holdsBeforeMacrotask(() => drained.settled);
      expect(drained.settled).toBe(true);
      expect(drained.rejected).toBe(false);
      expect(protocol.drainSignals).toEqual([undefined]);
      await finish(writer);
    });

    it("drain() waits while the protocol is paused and completes when writing resumes", async () => {
      const { protocol, writer } = setup();
      protocol.pauseWriting();
      const drained = track(writer.drain());
      await runBriefly(2);
      expect(drained.settled).toBe(false);
      protocol.resumeWriting();
      await holdsBeforeMacrotask(() => drained.settled);
      expect(drained.settled).toBe(true);
      expect(drained.rejected).toBe(false);
      await finish(writer);
    });

    it("drain() re-throws the reader's stored exception, the same object, before anything else", async () => {
      const reader = new FakeReader();
      const { protocol, transport, writer } = setup({ reader });
      const error = new Error("connection reset");
      reader.stored = error;
      protocol.pauseWriting(); // would wait forever if the protocol were asked
      transport.closing = true; // would yield a turn if the closing check came first
      const drained = track(writer.drain());
      await holdsBeforeMacrotask(() => drained.settled);
      expect(drained.rejected).toBe(true);
      expect(drained.error).toBe(error);
      expect(protocol.drainSignals).toEqual([]);
      await expect(writer.drain()).rejects.toBe(error);
      protocol.connectionLost(undefined);
    });

    it("drain() throws a stored exception of any type, even a non-Error value", async () => {
      const reader = new FakeReader();
      const { writer } = setup({ reader });
      const error = { reason: "not an Error" };
      reader.stored = error;
      await expect(writer.drain()).rejects.toBe(error);
      await finish(writer);
    });

    it("drain() after close() yields one macrotask so the pending connection loss is seen, then throws ConnectionLostError saying this side closed it (test_async_writer_api_exception_after_close)", async () => {
      const { protocol, transport, writer } = setup();
      writer.close(); // the fake schedules connectionLost(undefined) with setTimeout(0), as asyncio's call_soon
      writer.write(bytes("data"));
      expect(protocol.lost).toBe(false);
      const error: unknown = await writer.drain().then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(ConnectionLostError);
      // asyncio says only "Connection lost", which sends users looking for a peer that did nothing.
      expect((error as ConnectionLostError).message).toBe(
        "Cannot drain: this writer was closed by this side with close(), and what was written after it was dropped; call drain() before close(), then waitClosed()",
      );
      expect((error as ConnectionLostError).code).toBe("ERR_CONNECTION_LOST");
      expect(((error as ConnectionLostError).cause as Error).message).toBe("Connection lost");
      expect(protocol.lost).toBe(true);
      expect(transport.calls).toEqual(["close", "write"]);
    });

    it("drain() after the transport started closing throws the error the connection was lost with, when it had one (deliberate difference: asyncio says 'Connection lost' first)", async () => {
      const reader = new FakeReader();
      const { protocol, transport, writer } = setup({ reader });
      const error = new Error("reset by peer");
      transport.onClose = () => {
        setTimeout(() => {
          reader.stored = error; // what StreamReaderProtocol.connectionLost(error) does
          protocol.connectionLost(error);
        }, 0);
      };
      writer.close();
      await expect(writer.drain()).rejects.toBe(error);
      await expect(writer.drain()).rejects.toBe(error);
    });

    it("a write(); await drain() loop after close() ends with ConnectionLostError instead of spinning (bpo-25441)", async () => {
      const { writer } = setup();
      writer.close();
      let iterations = 0;
      let failure: unknown;
      for (; iterations < 50; iterations++) {
        try {
          writer.write(bytes("foo\n"));
          await writer.drain();
        } catch (error) {
          failure = error;
          break;
        }
      }
      expect(failure).toBeInstanceOf(ConnectionLostError);
      expect(iterations).toBeLessThan(50);
    });

    it("drain() hands its signal to the protocol and an abort rejects that wait with signal.reason", async () => {
      const { protocol, writer } = setup();
      protocol.pauseWriting();
      const controller = new AbortController();
      const drained = track(writer.drain({ signal: controller.signal }));
      await holdsBeforeMacrotask(() => protocol.drainSignals.length > 0);
      expect(protocol.drainSignals).toEqual([controller.signal]);
      const reason = new Error("give up");
      controller.abort(reason);
      await holdsBeforeMacrotask(() => drained.settled);
      expect(drained.rejected).toBe(true);
      expect(drained.error).toBe(reason);
      protocol.resumeWriting();
      await finish(writer);
    });

    it("drain() with an already-aborted signal rejects at once with signal.reason without asking the protocol", async () => {
      const { protocol, writer } = setup();
      const reason = new Error("already aborted");
      await expect(writer.drain({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
      expect(protocol.drainSignals).toEqual([]);
      await finish(writer);
    });

    it("drain() may be awaited by ten callers at once and one resume releases them all (gh-74116)", async () => {
      const { protocol, writer } = setup();
      protocol.pauseWriting();
      let completed = 0;
      const all = Promise.all(Array.from({ length: 10 }, () => writer.drain().then(() => void completed++)));
      await runBriefly(2);
      expect(completed).toBe(0);
      expect(protocol.waiting).toBe(10);
      protocol.resumeWriting();
      await holdsBeforeMacrotask(() => completed === 10);
      expect(completed).toBe(10);
      await all;
      await finish(writer);
    });
    it("drain() on a writer without a reader asks only the protocol", async () => {
      const transport = new FakeTransport();
      const protocol = new FakeProtocol();
      connect(transport, protocol);
      const writer = new StreamWriter(transport, { protocol });
      await writer.drain();
      expect(protocol.drainSignals).toHaveLength(1);
      writer.close();
      await expect(writer.drain()).rejects.toBeInstanceOf(ConnectionLostError);
    });
  });

  describe("waitClosed()", () => {
    it("waitClosed() returns the protocol's close waiter, the same promise every time", async () => {
      const { protocol, writer } = setup();
      expect(writer.waitClosed()).toBe(protocol.closeWaiter());
      expect(writer.waitClosed()).toBe(writer.waitClosed());
      await finish(writer);
    });

    it("waitClosed() resolves once the connection is lost after close(), and again on every later call", async () => {
      const { writer } = setup();
      const closed = track(writer.waitClosed());
      await runBriefly(2);
      expect(closed.settled).toBe(false);
      writer.close();
      await runBriefly(2);
      expect(closed.settled).toBe(true);
      expect(closed.rejected).toBe(false);
      await expect(writer.waitClosed()).resolves.toBeUndefined();
      await expect(writer.waitClosed()).resolves.toBeUndefined();
    });

    it("waitClosed() rejects with the error the connection was lost with", async () => {
      const { protocol, writer } = setup();
      const error = new Error("reset");
      protocol.connectionLost(error);
      await expect(writer.waitClosed()).rejects.toBe(error);
      await expect(writer.waitClosed()).rejects.toBe(error);
    });
  });

  describe("startTls()", () => {
    it("startTls() rejects with TypeError when the transport cannot upgrade, and keeps the transport", async () => {
      const { protocol, transport, writer } = setup();
      const upgrade = writer.startTls({ serverName: "localhost" });
      await expect(upgrade).rejects.toThrow(TypeError);
      await expect(writer.startTls({})).rejects.toThrow(
        "Cannot start TLS: transport <FakeTransport fake> is not supported by startTls()",
      );
      expect(writer.transport).toBe(transport);
      expect(protocol.replaced).toEqual([]);
      await finish(writer);
    });

    it("startTls() drains first: the upgrade starts only once writing resumes", async () => {
      const transport = new UpgradableTransport();
      const { protocol, writer } = setup({ transport });
      protocol.pauseWriting();
      const options = { serverName: "localhost", handshakeTimeout: 1000 };
      const upgrade = track(writer.startTls(options));
      await runBriefly(2);
      expect(transport.startTlsCalls).toEqual([]);
      expect(upgrade.settled).toBe(false);
      protocol.resumeWriting();
      await holdsBeforeMacrotask(() => upgrade.settled);
      expect(transport.startTlsCalls).toEqual([options]);
      expect(transport.startTlsCalls[0]).toBe(options);
      expect(upgrade.settled).toBe(true);
      expect(upgrade.rejected).toBe(false);
      await finish(writer);
    });

    it("startTls() switches writer.transport to the upgraded transport and tells the protocol with replaceTransport()", async () => {
      const transport = new UpgradableTransport();
      const { protocol, writer } = setup({ transport });
      expect(writer.getExtraInfo("sslcontext")).toBeUndefined();
      await writer.startTls({});
      expect(writer.transport).toBe(transport.upgraded);
      expect(protocol.replaced).toEqual([transport.upgraded]);
      expect(writer.getExtraInfo("sslcontext")).toEqual({ tls: true });
      writer.write(bytes("over tls"));
      expect(transport.written).toEqual([]);
      expect(transport.upgraded.written.map(text)).toEqual(["over tls"]);
      expect(writer.toString()).toContain("transport=<FakeTransport tls>");
      await finish(writer);
      expect(transport.upgraded.calls).toEqual(["write", "close"]);
      expect(transport.calls).toEqual(["startTls"]);
    });

    it("startTls() works with a protocol that has no replaceTransport()", async () => {
      const transport = new UpgradableTransport();
      const protocol: WriterProtocol = { drainHelper: () => Promise.resolve(), closeWaiter: () => Promise.resolve() };
      const writer = new StreamWriter(transport, { protocol });
      await writer.startTls({});
      expect(writer.transport).toBe(transport.upgraded);
      await writer[Symbol.asyncDispose]();
    });

    it("startTls() keeps the old transport and rejects with the transport's error when the upgrade fails", async () => {
      const transport = new UpgradableTransport();
      const failure = new Error("handshake failed");
      transport.failure = failure;
      const { protocol, writer } = setup({ transport });
      await expect(writer.startTls({})).rejects.toBe(failure);
      expect(writer.transport).toBe(transport);
      expect(protocol.replaced).toEqual([]);
      await finish(writer);
    });

    it("startTls() rejects with the reader's stored exception without starting the upgrade", async () => {
      const transport = new UpgradableTransport();
      const reader = new FakeReader();
      const { protocol, writer } = setup({ transport, reader });
      const error = new Error("reset");
      reader.stored = error;
      await expect(writer.startTls({})).rejects.toBe(error);
      expect(transport.startTlsCalls).toEqual([]);
      protocol.connectionLost(error);
    });
  });

  describe("[Symbol.asyncDispose]()", () => {
    it("[Symbol.asyncDispose]() closes the transport and waits until the connection is lost", async () => {
      const { protocol, transport, writer } = setup();
      const disposed = track(writer[Symbol.asyncDispose]());
      expect(transport.calls).toEqual(["close"]);
      await holdsBeforeMacrotask(() => disposed.settled);
      expect(disposed.settled).toBe(false); // the loss comes a macrotask after close()
      await runBriefly(2);
      expect(protocol.lost).toBe(true);
      expect(disposed.settled).toBe(true);
      expect(disposed.rejected).toBe(false);
    });

    it("[Symbol.asyncDispose]() does not re-throw the error the connection was lost with", async () => {
      const { protocol, writer } = setup();
      protocol.connectionLost(new Error("reset"));
      await expect(writer[Symbol.asyncDispose]()).resolves.toBeUndefined();
    });
  });

  describe("toString()", () => {
    it("toString() is asyncio's repr with reader= when the writer has a reader", async () => {
      const { writer } = setup();
      expect(writer.toString()).toBe("<StreamWriter transport=<FakeTransport fake> reader=<FakeReader>>");
      await finish(writer);
    });

    it("toString() leaves out reader= when the writer has no reader", async () => {
      const transport = new FakeTransport();
      const protocol = new FakeProtocol();
      connect(transport, protocol);
      for (const writer of [
        new StreamWriter(transport, { protocol }),
        new StreamWriter(transport, { protocol, reader: null }),
      ]) {
        expect(writer.toString()).toBe("<StreamWriter transport=<FakeTransport fake>>");
        expect(String(writer)).not.toContain("reader=");
      }
      transport.close();
      await runBriefly(2);
      expect(protocol.lost).toBe(true);
    });
  });
});
