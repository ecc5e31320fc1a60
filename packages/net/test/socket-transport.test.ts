import { once } from "node:events";
import { connect } from "node:net";
import type { Socket } from "node:net";
import { describe, expect, it, onTestFinished } from "vitest";
import { SocketTransport } from "@asyncstreams/net";
import type { SocketTransportOptions } from "@asyncstreams/net";
import { ConnectionResetError, createStreams } from "@asyncstreams/protocol";
import type { Protocol, Transport } from "@asyncstreams/protocol";
import { InvalidStateError } from "@asyncstreams/reader";
import { bytes, concat, runBriefly, text, until, within } from "@asyncstreams/test-utils";
import { HOST, collect, startRawServer } from "@asyncstreams/test-utils/node";
import type { RawServer } from "@asyncstreams/test-utils/node";

/** A protocol that records every call, in order. */
class RecordingProtocol implements Protocol {
  readonly calls: string[] = [];
  readonly chunks: Uint8Array[] = [];
  lostWith: unknown = "not lost";
  keepOpenOnEof = true;
  onData: ((data: Uint8Array) => void) | undefined;

  connectionMade(_transport: Transport): void {
    this.calls.push("connectionMade");
  }
  dataReceived(data: Uint8Array): void {
    this.chunks.push(data);
    this.onData?.(data);
  }
  eofReceived(): boolean {
    this.calls.push("eofReceived");
    return this.keepOpenOnEof;
  }
  connectionLost(error: unknown): void {
    this.calls.push("connectionLost");
    this.lostWith = error;
  }
  pauseWriting(): void {
    this.calls.push("pauseWriting");
  }
  resumeWriting(): void {
    this.calls.push("resumeWriting");
  }
}

/** Connects a half-open-capable socket to `raw` and wraps it; destroyed at the end of the test. */
async function connectTransport(
  raw: RawServer,
  options: SocketTransportOptions = {},
): Promise<{ socket: Socket; transport: SocketTransport; peer: Socket }> {
  const socket = connect({ host: HOST, port: raw.port, allowHalfOpen: true });
  socket.on("error", () => undefined);
  onTestFinished(() => {
    socket.destroy();
  });
  await within(once(socket, "connect"));
  const transport = new SocketTransport(socket, options);
  const peer = await raw.nextSocket();
  return { socket, transport, peer };
}

function attach(transport: SocketTransport): RecordingProtocol {
  const protocol = new RecordingProtocol();
  transport.setProtocol(protocol);
  protocol.connectionMade(transport);
  return protocol;
}

describe("SocketTransport", () => {
  it("turns a connected socket into reader and writer with createStreams()", async () => {
    const raw = await startRawServer((peer) => peer.pipe(peer));
    const { transport } = await connectTransport(raw);
    const { reader, writer } = createStreams(transport);
    expect(transport.getProtocol()).not.toBeNull();
    writer.write(bytes("echo me\n"));
    expect(text(await within(reader.readLine()))).toBe("echo me\n");
    writer.close();
    await within(writer.waitClosed());
  });

  it("delivers each chunk as a plain Uint8Array, never a Buffer", async () => {
    const raw = await startRawServer((peer) => peer.end("some bytes"));
    const { transport } = await connectTransport(raw);
    const protocol = attach(transport);
    await until(() => protocol.calls.includes("eofReceived"), 5_000, "EOF");
    expect(protocol.chunks.length).toBeGreaterThan(0);
    for (const chunk of protocol.chunks) expect(Object.getPrototypeOf(chunk)).toBe(Uint8Array.prototype);
    expect(text(concat(protocol.chunks))).toBe("some bytes");
    transport.close();
  });

  it("keeps the connection half-open when eofReceived() returns true, and closes it when it does not", async () => {
    const raw = await startRawServer((peer) => peer.end());
    const open = await connectTransport(raw);
    const keeping = attach(open.transport);
    await until(() => keeping.calls.includes("eofReceived"), 5_000, "EOF");
    await runBriefly(3);
    expect(open.transport.isClosing()).toBe(false);
    expect(keeping.calls).toEqual(["connectionMade", "eofReceived"]);
    open.transport.close();
    await until(() => keeping.calls.includes("connectionLost"), 5_000, "connectionLost");

    const closing = await connectTransport(raw);
    const protocol = new RecordingProtocol();
    protocol.keepOpenOnEof = false;
    closing.transport.setProtocol(protocol);
    protocol.connectionMade(closing.transport);
    await until(() => protocol.calls.includes("connectionLost"), 5_000, "connectionLost after EOF");
    expect(protocol.calls).toEqual(["connectionMade", "eofReceived", "connectionLost"]);
    expect(protocol.lostWith).toBeUndefined();
    expect(closing.transport.isClosing()).toBe(true);
  });

  it("close() flushes, then calls connectionLost(undefined) once and onDetach right after", async () => {
    const raw = await startRawServer();
    const order: string[] = [];
    const { transport, peer } = await connectTransport(raw, {
      onDetach: (detached) => order.push(detached === transport ? "onDetach" : "other"),
    });
    const protocol = new RecordingProtocol();
    transport.setProtocol({
      ...protocol,
      connectionMade: () => undefined,
      dataReceived: () => undefined,
      eofReceived: () => true,
      pauseWriting: () => undefined,
      resumeWriting: () => undefined,
      connectionLost: (error: unknown) => order.push(`connectionLost(${String(error)})`),
    });
    const received = collect(peer);
    transport.write(new Uint8Array(1 << 20).fill(7));
    transport.close();
    expect(transport.isClosing()).toBe(true);
    expect(transport.isReading()).toBe(false);
    transport.close(); // idempotent
    expect(await within(received.ended)).toBe("end");
    expect(received.size()).toBe(1 << 20);
    await until(() => order.length >= 2, 5_000, "connectionLost");
    await runBriefly(3);
    expect(order).toEqual(["connectionLost(undefined)", "onDetach"]);
  });

  it("close() with nothing buffered has closed the socket by the time connectionLost() runs, as asyncio", async () => {
    const raw = await startRawServer();
    const { transport, socket, peer } = await connectTransport(raw);
    const protocol = attach(transport);
    let destroyedAtLoss: boolean | undefined;
    const record = protocol.connectionLost.bind(protocol);
    protocol.connectionLost = (error) => {
      destroyedAtLoss = socket.destroyed;
      record(error);
    };
    const received = collect(peer);
    transport.write(bytes("last words"));
    await until(() => transport.getWriteBufferSize() === 0, 5_000, "the write to reach the kernel");
    transport.close();
    await until(() => protocol.calls.includes("connectionLost"), 5_000, "connectionLost");
    expect(destroyedAtLoss).toBe(true);
    expect(await within(received.ended)).toBe("end");
    expect(text(concat(received.chunks))).toBe("last words");
  });

  it("close() with data buffered closes the socket once it is flushed, before connectionLost() runs", async () => {
    const raw = await startRawServer((peer) => peer.pause());
    const { transport, socket, peer } = await connectTransport(raw);
    const protocol = attach(transport);
    let destroyedAtLoss: boolean | undefined;
    const record = protocol.connectionLost.bind(protocol);
    protocol.connectionLost = (error) => {
      destroyedAtLoss = socket.destroyed;
      record(error);
    };
    const received = collect(peer);
    peer.pause();
    transport.write(new Uint8Array(8 << 20).fill(1));
    expect(transport.getWriteBufferSize()).toBeGreaterThan(0);
    transport.close();
    await runBriefly(3);
    expect(protocol.calls).not.toContain("connectionLost");
    expect(socket.destroyed).toBe(false);
    peer.resume();
    await until(() => protocol.calls.includes("connectionLost"), 10_000, "connectionLost");
    expect(destroyedAtLoss).toBe(true);
    expect(protocol.lostWith).toBeUndefined();
    expect(await within(received.ended)).toBe("end");
    expect(received.size()).toBe(8 << 20);
  });

  it("abort() drops buffered data, resets the connection and calls connectionLost(undefined)", async () => {
    const raw = await startRawServer();
    const { transport, peer } = await connectTransport(raw);
    const protocol = attach(transport);
    peer.pause();
    let received = 0;
    peer.on("data", (chunk: Buffer) => {
      received += chunk.length;
    });
    const peerSaw = new Promise<unknown>((resolve) => {
      peer.on("error", resolve);
      peer.on("end", () => resolve("EOF"));
    });
    const total = 16 << 20;
    for (let written = 0; written < total; written += 1 << 20) transport.write(new Uint8Array(1 << 20));
    expect(transport.getWriteBufferSize()).toBeGreaterThan(0);
    transport.abort();
    expect(transport.isClosing()).toBe(true);
    await until(() => protocol.calls.includes("connectionLost"), 5_000, "connectionLost");
    expect(protocol.lostWith).toBeUndefined();
    expect(protocol.calls.filter((call) => call === "connectionLost")).toHaveLength(1);
    peer.resume();
    const outcome = await within(peerSaw, 5_000, "the peer to see the reset");
    // Linux reports a reset that arrives behind queued data as EOF once the queue is read.
    expect(outcome === "EOF" || (outcome as { code?: unknown }).code === "ECONNRESET").toBe(true);
    expect(received).toBeLessThan(total);
  });

  it("reports a peer's reset as connectionLost(ConnectionResetError) with the system code and Node's error as cause", async () => {
    const raw = await startRawServer();
    const { transport, peer } = await connectTransport(raw);
    const protocol = attach(transport);
    peer.resetAndDestroy();
    await until(() => protocol.calls.includes("connectionLost"), 5_000, "connectionLost");
    expect(protocol.lostWith).toBeInstanceOf(ConnectionResetError);
    expect(protocol.lostWith).toMatchObject({
      code: "ECONNRESET",
      systemCode: "ECONNRESET",
      cause: { code: "ECONNRESET" },
    });
    expect(String((protocol.lostWith as Error).message)).toMatch(/^Connection lost: /);
  });

  // Documented difference (README): libuv reads data followed by a reset as data then EOF, where
  // asyncio raises ConnectionResetError; a FIN stays EOF on both.
  it("still reports data followed by a FIN as EOF: the partial line comes back", async () => {
    const raw = await startRawServer((peer) => peer.end("half"));
    const { transport } = await connectTransport(raw);
    const { reader } = createStreams(transport);
    expect(text(await within(reader.readLine()))).toBe("half");
    expect(reader.atEof()).toBe(true);
  });

  it("fails the connection with the error a protocol callback throws (asyncio's _fatal_error)", async () => {
    const raw = await startRawServer((peer) => peer.write("boom"));
    const { transport, socket } = await connectTransport(raw);
    const protocol = attach(transport);
    const failure = new Error("dataReceived failed");
    protocol.onData = () => {
      throw failure;
    };
    await until(() => protocol.calls.includes("connectionLost"), 5_000, "connectionLost");
    expect(protocol.lostWith).toBe(failure);
    expect(socket.destroyed).toBe(true);
  });

  it("raises pauseWriting() above the high-water mark and resumeWriting() at the low-water mark", async () => {
    const raw = await startRawServer();
    const high = 64 * 1024;
    const { transport, peer } = await connectTransport(raw, { writeBufferLimits: { high } });
    const protocol = attach(transport);
    const flow = (): string[] => protocol.calls.filter((call) => call === "pauseWriting" || call === "resumeWriting");
    peer.pause();
    // Fill the kernel's buffers until the socket itself holds more than the high-water mark.
    for (let i = 0; i < 256 && transport.getWriteBufferSize() <= high; i++) {
      transport.write(new Uint8Array(256 * 1024));
      await runBriefly(1);
    }
    expect(transport.getWriteBufferSize()).toBeGreaterThan(high);
    expect(flow().at(-1)).toBe("pauseWriting");
    // Calls alternate: never two pauses or two resumes in a row.
    expect(flow().every((call, i, calls) => i === 0 || call !== calls[i - 1])).toBe(true);
    peer.resume();
    await until(() => flow().at(-1) === "resumeWriting", 10_000, "resumeWriting");
    expect(transport.getWriteBufferSize()).toBeLessThanOrEqual(high / 4);
    transport.close();
  });

  it("pauses and resumes reading; isReading() follows and is false once closing", async () => {
    const raw = await startRawServer();
    const { transport, peer } = await connectTransport(raw);
    const protocol = attach(transport);
    expect(transport.isReading()).toBe(true);
    transport.pauseReading();
    transport.pauseReading();
    expect(transport.isReading()).toBe(false);
    peer.write("while paused");
    await runBriefly(5);
    expect(protocol.chunks).toEqual([]);
    transport.resumeReading();
    expect(transport.isReading()).toBe(true);
    await until(() => protocol.chunks.length > 0, 5_000, "data after resume");
    expect(text(concat(protocol.chunks))).toBe("while paused");
    transport.close();
    expect(transport.isReading()).toBe(false);
    transport.resumeReading(); // a no-op once closing
    expect(transport.isReading()).toBe(false);
  });

  it("rejects a write of anything but a Uint8Array with TypeError", async () => {
    const raw = await startRawServer();
    const { transport } = await connectTransport(raw);
    attach(transport);
    expect(() => transport.write("text" as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => transport.write([1, 2] as unknown as Uint8Array)).toThrow(/must be a Uint8Array/);
    transport.close();
  });

  it("writeEof() half-closes once; a later write() throws InvalidStateError; the peer's reply still arrives", async () => {
    const raw = await startRawServer(
      (peer) => {
        const chunks = collect(peer);
        void chunks.ended.then(() => peer.end(`got ${Buffer.concat(chunks.chunks).toString("latin1")}`));
      },
      { allowHalfOpen: true },
    );
    const { transport } = await connectTransport(raw);
    const protocol = attach(transport);
    expect(transport.canWriteEof()).toBe(true);
    transport.write(bytes("data"));
    transport.writeEof();
    transport.writeEof(); // idempotent
    expect(() => transport.write(bytes("more"))).toThrow(InvalidStateError);
    expect(() => transport.write(bytes("more"))).toThrow(/writeEof\(\) was already called/);
    await until(() => protocol.calls.includes("eofReceived"), 5_000, "the reply");
    expect(text(concat(protocol.chunks))).toBe("got data");
    transport.close();
  });

  it("sends writeLines() chunks as their concatenation and ignores empty writes", async () => {
    const raw = await startRawServer();
    const { transport, peer } = await connectTransport(raw);
    attach(transport);
    const received = collect(peer);
    transport.write(new Uint8Array(0));
    transport.writeLines([bytes("a"), bytes("bc"), new Uint8Array(0), Buffer.from("def")]);
    transport.close();
    await within(received.ended);
    expect(text(concat(received.chunks))).toBe("abcdef");
  });

  it("drops writes once the connection is lost, as asyncio does", async () => {
    const raw = await startRawServer();
    const { transport } = await connectTransport(raw);
    const protocol = attach(transport);
    transport.close();
    await until(() => protocol.calls.includes("connectionLost"), 5_000, "connectionLost");
    expect(() => transport.write(bytes("late"))).not.toThrow();
    expect(transport.getWriteBufferSize()).toBe(0);
  });

  it("has asyncio's default water marks and validates new ones", async () => {
    const raw = await startRawServer();
    const { transport } = await connectTransport(raw);
    attach(transport);
    expect(transport.getWriteBufferLimits()).toEqual({ high: 65_536, low: 16_384 });
    transport.setWriteBufferLimits({ high: 1_000 });
    expect(transport.getWriteBufferLimits()).toEqual({ high: 1_000, low: 250 });
    transport.setWriteBufferLimits({ low: 10 });
    expect(transport.getWriteBufferLimits()).toEqual({ high: 40, low: 10 });
    transport.setWriteBufferLimits();
    expect(transport.getWriteBufferLimits()).toEqual({ high: 65_536, low: 16_384 });
    expect(() => transport.setWriteBufferLimits({ high: 1, low: 2 })).toThrow(RangeError);
    expect(() => transport.setWriteBufferLimits({ high: 1, low: 2 })).toThrow(
      "Cannot set write buffer limits: high (1) must be >= low (2) must be >= 0",
    );
    expect(() => transport.setWriteBufferLimits({ low: -1, high: 0 })).toThrow(RangeError);
    transport.close();
  });

  it("answers getExtraInfo() for peername, sockname (both frozen), socket and extra entries, also after the close", async () => {
    const raw = await startRawServer();
    const { transport, socket, peer } = await connectTransport(raw, { extraInfo: { label: "mine" } });
    const protocol = attach(transport);
    expect(transport.getExtraInfo("peername")).toEqual({ address: HOST, family: "IPv4", port: raw.port });
    expect(transport.getExtraInfo("sockname")).toEqual({ address: HOST, family: "IPv4", port: peer.remotePort });
    expect(transport.getExtraInfo("socket")).toBe(socket);
    expect(transport.getExtraInfo("label")).toBe("mine");
    expect(transport.getExtraInfo("nothing")).toBeUndefined();
    // Snapshots, not something to edit: sockname is Node's own cached object, shared, not a copy.
    expect(Object.isFrozen(transport.getExtraInfo("peername"))).toBe(true);
    expect(Object.isFrozen(transport.getExtraInfo("sockname"))).toBe(true);
    transport.close();
    await until(() => protocol.calls.includes("connectionLost"), 5_000, "connectionLost");
    expect(transport.getExtraInfo("peername")).toEqual({ address: HOST, family: "IPv4", port: raw.port });
  });

  it("describes itself as <SocketTransport host:port>, with closing once closed", async () => {
    const raw = await startRawServer();
    const { transport } = await connectTransport(raw);
    attach(transport);
    expect(String(transport)).toBe(`<SocketTransport ${HOST}:${raw.port}>`);
    transport.close();
    expect(String(transport)).toBe(`<SocketTransport ${HOST}:${raw.port} closing>`);
  });
});
