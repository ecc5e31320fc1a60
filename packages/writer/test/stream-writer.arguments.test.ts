import { describe, expect, it } from "vitest";
import { StreamWriter } from "@asyncstreams/writer";
import { FakeProtocol, FakeReader, FakeTransport } from "./_fakes.js";

const make = (transport: unknown, options: unknown) => () => new StreamWriter(transport as never, options as never);

describe("new StreamWriter() arguments", () => {
  it("refuses a protocol without flow control at once, instead of failing later inside drain()", () => {
    const transport = new FakeTransport();
    const message =
      "Cannot make a StreamWriter: protocol should have drainHelper() and closeWaiter(), as a FlowControl-based protocol does (createStreams() makes one)";
    expect(make(transport, {})).toThrow(new TypeError(message));
    expect(make(transport, { protocol: {} })).toThrow(new TypeError(message));
    expect(make(transport, { protocol: null })).toThrow(new TypeError(message));
  });

  it("refuses unknown option names, options that are not an object, and a reader without exception()", () => {
    const transport = new FakeTransport();
    const protocol = new FakeProtocol();
    expect(make(transport, { protocol, raeder: new FakeReader() })).toThrow(
      new TypeError('Cannot make a StreamWriter: unknown option "raeder"; the options are protocol and reader'),
    );
    expect(make(transport, undefined)).toThrow(
      new TypeError("Cannot make a StreamWriter: options should be an object, got undefined"),
    );
    expect(make(transport, { protocol, reader: {} })).toThrow(
      new TypeError(
        "Cannot make a StreamWriter: reader should be the connection's StreamReader (it has no exception() method)",
      ),
    );
  });

  it("refuses a transport that lacks a method the writer calls, naming it", () => {
    const protocol = new FakeProtocol();
    expect(make(null, { protocol })).toThrow(
      new TypeError("Cannot make a StreamWriter: transport should be a Transport, but it has no write() method"),
    );
    const noEof = Object.assign(new FakeTransport(), { writeEof: undefined });
    expect(make(noEof, { protocol })).toThrow(
      new TypeError("Cannot make a StreamWriter: transport should be a Transport, but it has no writeEof() method"),
    );
  });

  it("takes a transport, a protocol, and a reader or none", () => {
    const transport = new FakeTransport();
    const protocol = new FakeProtocol();
    expect(make(transport, { protocol })).not.toThrow();
    expect(make(transport, { protocol, reader: null })).not.toThrow();
    expect(make(transport, { protocol, reader: new FakeReader() })).not.toThrow();
  });
});
