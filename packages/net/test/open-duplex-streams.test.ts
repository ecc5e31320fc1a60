import { describe, expect, it } from "vitest";
import { DuplexTransport, openDuplexStreams } from "@asyncstreams/net";
import { bytes, text, within } from "@asyncstreams/test-utils";
import { duplexPair, passThroughPairs } from "./_pairs.js";

describe("openDuplexStreams()", () => {
  it("gives a reader and a writer over a { readable, writable } pair", async () => {
    const [left, right] = passThroughPairs();
    const client = openDuplexStreams(left);
    const server = openDuplexStreams(right, { limit: 1024 });
    client.writer.write(bytes("hello\n"));
    expect(text(await within(server.reader.readLine()))).toBe("hello\n");
    server.writer.write(bytes("hi\n"));
    expect(text(await within(client.reader.readLine()))).toBe("hi\n");
    expect(client.writer.transport).toBeInstanceOf(DuplexTransport);
    client.writer.close();
    expect(await within(server.reader.read())).toEqual(new Uint8Array(0));
    server.writer.close();
    await within(Promise.all([client.writer.waitClosed(), server.writer.waitClosed()]));
  });

  it("gives a reader and a writer over a Duplex, half-open after the peer's EOF", async () => {
    const [left, right] = duplexPair();
    const client = openDuplexStreams(left);
    const server = openDuplexStreams(right);
    client.writer.writeEof();
    expect(await within(server.reader.read())).toEqual(new Uint8Array(0));
    server.writer.write(bytes("still here\n"));
    expect(text(await within(client.reader.readLine()))).toBe("still here\n");
    server.writer.close();
    client.writer.close();
    await within(Promise.all([client.writer.waitClosed(), server.writer.waitClosed()]));
  });

  it("passes writeBufferLimits and extraInfo on to the transport", () => {
    const [left] = passThroughPairs();
    const { writer } = openDuplexStreams(left, {
      writeBufferLimits: { high: 1000 },
      extraInfo: { peername: "child 42" },
    });
    const transport = writer.transport as DuplexTransport;
    expect(transport.getWriteBufferLimits()).toEqual({ high: 1000, low: 250 });
    expect(writer.getExtraInfo("peername")).toBe("child 42");
    transport.abort();
  });

  it("checks limit before it touches the streams", () => {
    const [left] = passThroughPairs();
    expect(() => openDuplexStreams(left, { limit: -1 })).toThrow(RangeError);
    expect(left.readable.listenerCount("end")).toBe(0);
  });
});
