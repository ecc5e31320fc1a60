import { describe, expect, it } from "vitest";
import { openConnection } from "@asyncstreams/net";
import { ConnectionResetError } from "@asyncstreams/protocol";
import type { SocketTransport } from "@asyncstreams/net";
import { InvalidStateError } from "@asyncstreams/reader";
import { ConnectionLostError } from "@asyncstreams/writer";
import { bytes, concat, runBriefly, sleep, text, track, until, within } from "@asyncstreams/test-utils";
import { HOST, closeAtEnd, collect, sha256, startRawServer } from "@asyncstreams/test-utils/node";
import { MiB, failureOf, pattern } from "./_faults-helpers.js";

describe("half-close (B7, C2)", () => {
  it("B7: after our writeEof() the peer still sends 1 MiB, which arrives whole, then EOF", async () => {
    const reply = pattern(MiB, 7);
    const raw = await startRawServer(
      (peer) => {
        const request = collect(peer);
        void request.ended.then(() => peer.end(reply));
      },
      { allowHalfOpen: true },
    );
    const { reader, writer } = await openConnection({ host: HOST, port: raw.port });
    closeAtEnd(writer);
    writer.write(bytes("request"));
    writer.writeEof();
    expect(writer.isClosing()).toBe(false);
    const received = await within(reader.read());
    expect(received.length).toBe(MiB);
    expect(sha256(received)).toBe(sha256(reply));
    expect(reader.atEof()).toBe(true);
  });

  it("C2: after the peer's FIN we still write 1 MiB, and the peer receives all of it", async () => {
    const payload = pattern(MiB, 3);
    const raw = await startRawServer((peer) => peer.end("only line\n"), { allowHalfOpen: true });
    const { reader, writer } = await openConnection({ host: HOST, port: raw.port });
    closeAtEnd(writer);
    const peer = await raw.nextSocket();
    const received = collect(peer);
    expect(text(await within(reader.readLine()))).toBe("only line\n");
    expect(await within(reader.readLine())).toEqual(new Uint8Array(0));
    for (let offset = 0; offset < payload.length; offset += 64 * 1024) {
      writer.write(payload.subarray(offset, offset + 64 * 1024));
      await within(writer.drain());
    }
    writer.writeEof();
    expect(await within(received.ended)).toBe("end");
    expect(sha256(concat(received.chunks))).toBe(sha256(payload));
    writer.close();
    await within(writer.waitClosed());
  });
});

describe("resets and lost connections (C1, B3, B4)", () => {
  it("C1: a reset in the middle of readExactly() rejects it with ConnectionResetError ECONNRESET, the same object everywhere after", async () => {
    const raw = await startRawServer();
    const { reader, writer } = await openConnection({ host: HOST, port: raw.port });
    closeAtEnd(writer);
    const peer = await raw.nextSocket();
    const pending = reader.readExactly(100);
    pending.catch(() => undefined);
    peer.write(new Uint8Array(10).fill(1));
    await until(() => reader.bufferedBytes().length === 10, 5_000, "the first 10 bytes");
    peer.resetAndDestroy();
    const error = await failureOf(pending);
    expect(error).toBeInstanceOf(ConnectionResetError);
    expect(error).toMatchObject({ code: "ECONNRESET", systemCode: "ECONNRESET", cause: { code: "ECONNRESET" } });
    await expect(within(reader.read())).rejects.toBe(error);
    await expect(within(reader.readLine())).rejects.toBe(error);
    await expect(within(writer.drain())).rejects.toBe(error);
    await expect(within(writer.waitClosed())).rejects.toBe(error);
    expect(reader.atEof()).toBe(false);
  });

  it("B4: write() after writeEof() throws InvalidStateError; write() after close() is dropped and drain() rejects", async () => {
    const raw = await startRawServer();
    const { writer } = await openConnection({ host: HOST, port: raw.port });
    closeAtEnd(writer);
    writer.write(bytes("last"));
    writer.writeEof();
    expect(() => writer.write(bytes("more"))).toThrow(InvalidStateError);
    expect(() => writer.write(bytes("more"))).toThrow("Cannot write: writeEof() was already called");

    const second = await openConnection({ host: HOST, port: raw.port });
    closeAtEnd(second.writer);
    second.writer.close();
    expect(() => second.writer.write(bytes("dropped"))).not.toThrow();
    const failure = await failureOf(second.writer.drain());
    expect(failure).toBeInstanceOf(ConnectionLostError);
    expect((failure as Error).message).toContain("closed by this side with close()");
  });

  it("B4: write() after the peer's reset is dropped and drain() rejects with the stored ConnectionResetError", async () => {
    const raw = await startRawServer();
    const { reader, writer } = await openConnection({ host: HOST, port: raw.port });
    closeAtEnd(writer);
    const peer = await raw.nextSocket();
    peer.resetAndDestroy();
    const error = await failureOf(reader.read());
    expect(error).toMatchObject({ code: "ECONNRESET" });
    expect(() => writer.write(bytes("into the void"))).not.toThrow();
    await expect(within(writer.drain())).rejects.toBe(error);
  });
});

describe("back-pressure (B1, B2, B5, B6, B8, B9)", () => {
  it("B1: against a peer that never reads, drain() ends up pending and the write buffer stays bounded", async () => {
    const raw = await startRawServer((peer) => peer.pause());
    const { writer } = await openConnection({ host: HOST, port: raw.port });
    closeAtEnd(writer);
    const transport = writer.transport as SocketTransport;
    const chunk = new Uint8Array(64 * 1024);
    const deadline = Date.now() + 10_000;
    let largest = 0;
    let stuck: ReturnType<typeof track<void>> | undefined;
    let written = 0;
    for (let i = 0; i < 10_000 && Date.now() < deadline; i++) {
      writer.write(chunk);
      written += chunk.length;
      largest = Math.max(largest, transport.getWriteBufferSize());
      const drained = track(writer.drain());
      await Promise.race([drained.promise, sleep(100)]);
      if (!drained.settled) {
        stuck = drained;
        break;
      }
    }
    expect(stuck, `drain() never blocked after ${written} bytes`).toBeDefined();
    await sleep(100);
    expect(stuck!.settled).toBe(false);
    expect(transport.getWriteBufferSize()).toBeGreaterThan(0);
    // Bounded: about the high-water mark plus one chunk in Node; the rest sits in kernel buffers.
    expect(largest).toBeLessThanOrEqual(4 * MiB);
    expect(written).toBeLessThanOrEqual(64 * MiB);
    // Once the peer reads, the pending drain() resolves.
    const peer = await raw.nextSocket();
    peer.resume();
    await within(stuck!.promise, 10_000, "drain() after the peer resumed");
    expect(stuck!.rejected).toBe(false);
  });

  it("B2: ten drain() calls waiting on one paused writer all resolve when the peer reads", async () => {
    const raw = await startRawServer((peer) => peer.pause());
    const { writer } = await openConnection({ host: HOST, port: raw.port });
    closeAtEnd(writer);
    const transport = writer.transport as SocketTransport;
    const chunk = new Uint8Array(256 * 1024);
    for (let i = 0; i < 256 && transport.getWriteBufferSize() <= 64 * 1024; i++) {
      writer.write(chunk);
      await runBriefly(1);
    }
    const drains = Array.from({ length: 10 }, () => track(writer.drain()));
    await runBriefly(3);
    expect(drains.filter((drain) => drain.settled)).toHaveLength(0);
    (await raw.nextSocket()).resume();
    await within(Promise.all(drains.map((drain) => drain.promise)), 10_000, "all ten drains");
    expect(drains.filter((drain) => drain.rejected)).toHaveLength(0);
  });

  it("B5: thousands of small writes and a mixed writeLines() arrive byte-exact", async () => {
    const raw = await startRawServer();
    const { writer } = await openConnection({ host: HOST, port: raw.port });
    closeAtEnd(writer);
    const peer = await raw.nextSocket();
    const received = collect(peer);
    const sent: Uint8Array[] = [];
    for (let i = 0; i < 4_000; i++) {
      const chunk = pattern(1 + (i % 1_500), i);
      sent.push(chunk);
      writer.write(chunk);
      if (i % 7 === 0) await writer.drain();
    }
    const backing = pattern(3_000, 99);
    const mixed = [
      backing.subarray(10, 1_010),
      Buffer.from(pattern(500, 5)),
      new Uint8Array(backing.buffer, 2_000, 700),
    ];
    sent.push(...mixed.map((chunk) => new Uint8Array(chunk)));
    writer.writeLines(mixed);
    await writer.drain();
    writer.close();
    await within(writer.waitClosed());
    await within(received.ended);
    const expected = concat(sent);
    expect(received.size()).toBe(expected.length);
    expect(sha256(concat(received.chunks))).toBe(sha256(expected));
  });

  it("B6: write() of a string throws TypeError and the connection keeps working", async () => {
    const raw = await startRawServer((peer) => peer.pipe(peer));
    const { reader, writer } = await openConnection({ host: HOST, port: raw.port });
    closeAtEnd(writer);
    expect(() => writer.write("text" as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => writer.write("text" as unknown as Uint8Array)).toThrow(
      "Cannot write: data must be a Uint8Array, not string",
    );
    expect(() => writer.writeLines([bytes("a"), "b" as unknown as Uint8Array])).toThrow(TypeError);
    writer.write(bytes("still works\n"));
    await writer.drain();
    expect(text(await within(reader.readLine()))).toBe("still works\n");
  });

  it("B8: close() with unflushed data delivers all 4 MiB to a peer that resumes later, then EOF, and waitClosed() resolves", async () => {
    const raw = await startRawServer((peer) => peer.pause());
    const { writer } = await openConnection({ host: HOST, port: raw.port });
    closeAtEnd(writer);
    const peer = await raw.nextSocket();
    const received = collect(peer);
    peer.pause();
    const sent: Uint8Array[] = [];
    for (let i = 0; i < 32; i++) {
      const chunk = pattern(128 * 1024, i);
      sent.push(chunk);
      writer.write(chunk);
    }
    expect((writer.transport as SocketTransport).getWriteBufferSize()).toBeGreaterThan(0);
    writer.close();
    const closed = track(writer.waitClosed());
    await runBriefly(3);
    expect(closed.settled).toBe(false);
    peer.resume();
    expect(await within(received.ended, 10_000, "the peer's EOF")).toBe("end");
    expect(received.size()).toBe(4 * MiB);
    expect(sha256(concat(received.chunks))).toBe(sha256(concat(sent)));
    await within(closed.promise, 5_000, "waitClosed()");
    expect(closed.rejected).toBe(false);
  });

  it("B8: a write() after close() while data is still flushing is appended and delivered, as asyncio appends it", async () => {
    const raw = await startRawServer((peer) => peer.pause());
    const { writer } = await openConnection({ host: HOST, port: raw.port });
    closeAtEnd(writer);
    const peer = await raw.nextSocket();
    const received = collect(peer);
    peer.pause();
    const body = pattern(8 * MiB, 11);
    writer.write(body);
    expect((writer.transport as SocketTransport).getWriteBufferSize()).toBeGreaterThan(0);
    writer.close();
    writer.write(bytes("tail"));
    const drained = track(writer.drain());
    peer.resume();
    expect(await within(received.ended, 10_000, "the peer's EOF")).toBe("end");
    await within(writer.waitClosed(), 5_000, "waitClosed()");
    await within(drained.promise.catch(() => undefined));
    expect(drained.rejected).toBe(false);
    expect(received.size()).toBe(body.length + 4);
    expect(sha256(concat(received.chunks))).toBe(sha256(concat([body, bytes("tail")])));
  });

  it("B9: abort() drops buffered data; the peer sees a reset or EOF; waitClosed() resolves", async () => {
    const raw = await startRawServer((peer) => peer.pause());
    const { writer } = await openConnection({ host: HOST, port: raw.port });
    closeAtEnd(writer);
    const peer = await raw.nextSocket();
    let received = 0;
    peer.on("data", (chunk: Buffer) => {
      received += chunk.length;
    });
    const peerSaw = new Promise<unknown>((resolve) => {
      peer.on("error", resolve);
      peer.on("end", () => resolve("EOF"));
    });
    peer.pause();
    const total = 32 * MiB;
    const chunk = new Uint8Array(MiB);
    for (let written = 0; written < total; written += chunk.length) writer.write(chunk);
    const transport = writer.transport as SocketTransport;
    expect(transport.getWriteBufferSize()).toBeGreaterThan(0);
    transport.abort();
    expect(writer.isClosing()).toBe(true);
    await within(writer.waitClosed(), 5_000, "waitClosed() after abort()");
    peer.resume();
    const outcome = await within(peerSaw, 5_000, "the peer to see the abort");
    expect(outcome === "EOF" || (outcome as { code?: unknown }).code === "ECONNRESET").toBe(true);
    expect(received).toBeLessThan(total);
  });
});
