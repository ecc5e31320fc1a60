import { describe, expect, it } from "vitest";
import { StreamWriter } from "@asyncstreams/writer";
import { bytes, eventLoopTurn } from "@asyncstreams/test-utils";
import { FakeProtocol, FakeReader, FakeTransport } from "./_fakes.js";
import { BufferingTransport, ReportingProtocol } from "./_buffering-fakes.js";

function setup() {
  const protocol = new ReportingProtocol();
  const transport = new BufferingTransport(protocol, { high: 64, low: 16 });
  const writer = new StreamWriter(transport, { protocol, reader: new FakeReader() });
  return { protocol, transport, writer };
}

describe("StreamWriter counters", () => {
  it("bytesWritten starts at 0 and adds the length of every write() and writeLines() chunk", () => {
    const { writer } = setup();
    expect(writer.bytesWritten).toBe(0);
    writer.write(bytes("hello\n"));
    writer.write(new Uint8Array(0));
    writer.writeLines([bytes("a\n"), bytes("bc\n"), new Uint8Array(0)]);
    writer.writeLines([]);
    expect(writer.bytesWritten).toBe(6 + 2 + 3);
  });

  it("bytesWritten does not count a write() or writeLines() that threw", () => {
    const { writer, transport } = setup();
    expect(() => writer.write("text" as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => writer.writeLines([bytes("ok"), 5 as unknown as Uint8Array])).toThrow(TypeError);
    transport.write = () => {
      throw new Error("refused");
    };
    expect(() => writer.write(bytes("dropped"))).toThrow("refused");
    expect(writer.bytesWritten).toBe(0);
  });

  it("bytesWritten keeps counting across startTls(), on the new transport", async () => {
    const protocol = new FakeProtocol();
    const upgraded = new FakeTransport("tls");
    const transport = Object.assign(new FakeTransport("plain"), { startTls: () => Promise.resolve(upgraded) });
    const writer = new StreamWriter(transport, { protocol });
    writer.write(bytes("STARTTLS\r\n"));
    await writer.startTls({});
    writer.write(bytes("secret"));
    expect(writer.bytesWritten).toBe(16);
    expect(upgraded.written.map((chunk) => chunk.length)).toEqual([6]);
  });

  it("bufferedLength is the transport's getWriteBufferSize(), falling as bytes leave", () => {
    const { writer, transport } = setup();
    expect(writer.bufferedLength).toBe(0);
    writer.write(new Uint8Array(40));
    expect(writer.bufferedLength).toBe(40);
    transport.send(15);
    expect(writer.bufferedLength).toBe(25);
    expect(writer.bytesWritten - writer.bufferedLength).toBe(15); // what has left the buffer
  });

  it("bufferedLength is 0 once the connection is lost, and 0 when the transport cannot tell", () => {
    const { writer, transport } = setup();
    writer.write(new Uint8Array(100));
    transport.lose();
    expect(writer.bufferedLength).toBe(0);
    const plain = new StreamWriter(new FakeTransport(), { protocol: new FakeProtocol() });
    plain.write(new Uint8Array(100));
    expect(plain.bufferedLength).toBe(0);
    expect(plain.bytesWritten).toBe(100);
  });

  it("isPaused follows the protocol's pause above the high-water mark and resume at the low one", () => {
    const { writer, transport } = setup();
    expect(writer.isPaused).toBe(false);
    writer.write(new Uint8Array(64));
    expect(writer.isPaused).toBe(false); // at the mark, not above it
    writer.write(new Uint8Array(1));
    expect(writer.isPaused).toBe(true);
    transport.send(40);
    expect(writer.isPaused).toBe(true); // 25 bytes left: still above the low-water mark
    transport.send(9);
    expect(writer.isPaused).toBe(false);
  });

  it("isPaused tells whether drain() would wait", async () => {
    const { writer, transport } = setup();
    writer.write(new Uint8Array(100));
    expect(writer.isPaused).toBe(true);
    let drained = false;
    const drain = writer.drain().then(() => (drained = true));
    await eventLoopTurn();
    expect(drained).toBe(false);
    transport.send();
    await drain;
    expect(writer.isPaused).toBe(false);
  });

  it("isPaused is false when the protocol does not implement isWritingPaused()", () => {
    const protocol = new FakeProtocol();
    protocol.pauseWriting();
    const writer = new StreamWriter(new FakeTransport(), { protocol });
    expect(writer.isPaused).toBe(false);
  });

  it("the counters are read-only", () => {
    const { writer } = setup();
    expect(() => {
      (writer as unknown as { bytesWritten: number }).bytesWritten = 5;
    }).toThrow(TypeError);
    expect(writer.bytesWritten).toBe(0);
  });
});
