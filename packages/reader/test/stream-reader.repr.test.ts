import { describe, expect, it } from "vitest";
import { StreamReader } from "@asyncstreams/reader";
import { bytes, eventLoopTurn, text, track } from "@asyncstreams/test-utils";
import { FakeTransport, RuntimeError } from "./_helpers.js";

describe("StreamReader.toString(), asyncio's repr() (CPython A10)", () => {
  it("test___repr__: a new reader shows only its class", () => {
    expect(String(new StreamReader())).toBe("<StreamReader>");
  });

  it("test___repr__nondefault_limit: a limit other than the default is shown", () => {
    expect(String(new StreamReader({ limit: 123 }))).toBe("<StreamReader limit=123>");
  });

  it("test___repr__eof: EOF is shown", () => {
    const reader = new StreamReader();
    reader.feedEof();
    expect(String(reader)).toBe("<StreamReader eof>");
  });

  it("test___repr__data: the number of buffered bytes is shown", () => {
    const reader = new StreamReader();
    reader.feedData(bytes("data"));
    expect(String(reader)).toBe("<StreamReader 4 bytes>");
  });

  it("test___repr__exception: a stored exception is shown as Name()", () => {
    const reader = new StreamReader();
    reader.setException(new RuntimeError());
    expect(String(reader)).toBe("<StreamReader exception=RuntimeError()>");
  });

  it('shows a stored exception with a message as Name("message"), and a non-Error as its string', () => {
    const reader = new StreamReader();
    reader.setException(new TypeError('bad "thing"'));
    expect(String(reader)).toBe('<StreamReader exception=TypeError("bad \\"thing\\"")>');
    const other = new StreamReader();
    other.setException("plain reason");
    expect(String(other)).toBe("<StreamReader exception=plain reason>");
  });

  it("test___repr__waiter: a waiting read shows as waiter=<Promise pending>, and disappears once it is woken", async () => {
    const reader = new StreamReader();
    const read = track(reader.read(1));
    expect(String(reader)).toMatch(/^<StreamReader waiter=<Promise pending[\S ]*>>$/);
    reader.feedData(bytes("x"));
    await eventLoopTurn();
    expect(text(read.value!)).toBe("x");
    expect(String(reader)).toBe("<StreamReader>");
  });

  it("test___repr__transport: the transport is shown by its own toString()", () => {
    const reader = new StreamReader();
    reader.setTransport(new FakeTransport());
    expect(String(reader)).toBe("<StreamReader transport=<Transport>>");
  });

  it("lists every part in asyncio's order: bytes, eof, limit, exception, transport, paused", async () => {
    const reader = new StreamReader({ limit: 1 });
    const transport = new FakeTransport();
    reader.setTransport(transport);
    reader.feedData(bytes("abc"));
    reader.setException(new RuntimeError());
    reader.feedEof();
    expect(String(reader)).toBe(
      "<StreamReader 3 bytes eof limit=1 exception=RuntimeError() transport=<Transport> paused>",
    );
    const waiting = new StreamReader({ limit: 2 });
    const read = waiting.read(1);
    waiting.setException(new RuntimeError("x"));
    await read.catch(() => undefined);
    expect(String(waiting)).toBe('<StreamReader limit=2 exception=RuntimeError("x")>');
  });
});
