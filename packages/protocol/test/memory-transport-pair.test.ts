import { describe, expect, it } from "vitest";
import { MemoryTransport, createStreams, memoryTransportPair } from "@asyncstreams/protocol";
import { bytes, eventLoopTurn, text, within } from "@asyncstreams/test-utils";
import { RecordingProtocol, attach } from "./_helpers.js";

describe("memoryTransportPair", () => {
  it("returns two distinct MemoryTransport ends, open, reading and without a protocol", () => {
    const [left, right] = memoryTransportPair();
    expect(left).toBeInstanceOf(MemoryTransport);
    expect(right).toBeInstanceOf(MemoryTransport);
    expect(left).not.toBe(right);
    for (const end of [left, right]) {
      expect(end.getProtocol()).toBeNull();
      expect(end.isClosing()).toBe(false);
      expect(end.isReading()).toBe(true);
      expect(end.getWriteBufferSize()).toBe(0);
    }
    left.abort();
  });

  it("connects the two ends both ways", async () => {
    const [left, right] = memoryTransportPair();
    const a = attach(left, new RecordingProtocol("a"));
    const b = attach(right, new RecordingProtocol("b"));
    left.write(bytes("to right"));
    right.write(bytes("to left"));
    await eventLoopTurn();
    expect(b.receivedText).toBe("to right");
    expect(a.receivedText).toBe("to left");
    left.close();
    right.close();
    await eventLoopTurn();
    expect([a.lostWith, b.lostWith]).toEqual([[undefined], [undefined]]);
  });

  it("names each end's peer: the peername of one end is the sockname of the other", () => {
    const [left, right] = memoryTransportPair();
    expect(left.getExtraInfo("sockname")).toBe("memory:left");
    expect(left.getExtraInfo("peername")).toBe("memory:right");
    expect(right.getExtraInfo("sockname")).toBe("memory:right");
    expect(right.getExtraInfo("peername")).toBe("memory:left");
    left.abort();
  });

  it("gives each end its own extraInfo, overriding the default names", () => {
    const [left, right] = memoryTransportPair({
      extraInfo: [{ peername: "server", cipher: "none" }, { sockname: "server" }],
    });
    expect(left.getExtraInfo("peername")).toBe("server");
    expect(left.getExtraInfo("cipher")).toBe("none");
    expect(left.getExtraInfo("sockname")).toBe("memory:left");
    expect(right.getExtraInfo("sockname")).toBe("server");
    expect(right.getExtraInfo("cipher")).toBeUndefined();
    expect(String(right)).toBe("<MemoryTransport server>");
    left.abort();
  });

  it("applies writeBufferLimits to both ends", () => {
    const [left, right] = memoryTransportPair({ writeBufferLimits: { high: 1024 } });
    expect(left.getWriteBufferLimits()).toEqual({ high: 1024, low: 256 });
    expect(right.getWriteBufferLimits()).toEqual({ high: 1024, low: 256 });
    left.abort();
  });

  it("throws RangeError for invalid writeBufferLimits", () => {
    expect(() => memoryTransportPair({ writeBufferLimits: { high: 1, low: 2 } })).toThrow(RangeError);
  });

  it("makes independent pairs: bytes never cross from one pair to another", async () => {
    const [a1, a2] = memoryTransportPair();
    const [b1, b2] = memoryTransportPair();
    const streams = [a1, a2, b1, b2].map((end) => createStreams(end));
    streams[0]!.writer.write(bytes("for a2\n"));
    streams[2]!.writer.write(bytes("for b2\n"));
    expect(text(await within(streams[1]!.reader.readLine()))).toBe("for a2\n");
    expect(text(await within(streams[3]!.reader.readLine()))).toBe("for b2\n");
    for (const { writer } of streams) writer.close();
    await eventLoopTurn();
    for (const { reader } of streams) expect(reader.atEof()).toBe(true);
  });

  it("gives the same ends as MemoryTransport.pair()", () => {
    const [left, right] = MemoryTransport.pair({ writeBufferLimits: { low: 8 } });
    const [other] = memoryTransportPair({ writeBufferLimits: { low: 8 } });
    expect(other.getWriteBufferLimits()).toEqual(left.getWriteBufferLimits());
    expect(right.getExtraInfo("peername")).toBe(other.getExtraInfo("sockname"));
    left.abort();
    other.abort();
  });
});
