import { describe, expect, it } from "vitest";
import { IncompleteReadError, InvalidStateError, LimitOverrunError, StreamReader } from "@asyncstreams/reader";
import { bytes, eventLoopTurn, rejectionOf, track } from "@asyncstreams/test-utils";
import { FakeTransport, RuntimeError, ValueError, buffered } from "./_helpers.js";

/** CPython's `loop.call_soon(callback)`: runs after the read under test has started waiting. */
function soon(callback: () => void): void {
  setTimeout(callback, 0);
}

describe("StreamReader.setException() and exception() (CPython A6)", () => {
  it("test_exception: exception() is undefined at first and then the very object given to setException()", () => {
    const reader = new StreamReader();
    expect(reader.exception()).toBeUndefined();
    const error = new ValueError();
    reader.setException(error);
    expect(reader.exception()).toBe(error);
  });

  it("test_exception_waiter: a readLine() waiting for data is woken with the exception set later", async () => {
    const reader = new StreamReader();
    const line = reader.readLine();
    const error = new ValueError();
    soon(() => reader.setException(error));
    expect(await rejectionOf(line)).toBe(error);
  });

  it("test_exception_cancel: setException() after a waiting readLine() was aborted does not throw and leaves no waiter", async () => {
    const reader = new StreamReader();
    const controller = new AbortController();
    const line = track(reader.readLine({ signal: controller.signal }));
    await eventLoopTurn();
    expect(line.settled).toBe(false);
    controller.abort();
    await eventLoopTurn();
    expect(line.rejected).toBe(true);
    expect(() => reader.setException(new RuntimeError("message"))).not.toThrow();
    await eventLoopTurn();
    expect(String(reader)).toBe('<StreamReader exception=RuntimeError("message")>');
  });

  it("setException() does not set EOF, and every later read throws the same object", async () => {
    const reader = new StreamReader();
    const error = new ValueError("boom");
    reader.setException(error);
    expect(reader.atEof()).toBe(false);
    expect(await rejectionOf(reader.read(1))).toBe(error);
    expect(await rejectionOf(reader.readLine())).toBe(error);
    expect(await rejectionOf(reader.readExactly(1))).toBe(error);
    expect(await rejectionOf(reader.readUntil(bytes("x")))).toBe(error);
  });
});

// Where each reader error is thrown (the classes themselves: packages/error-table/test/errors.test.ts).
describe("StreamReader errors", () => {
  it("feedData() after feedEof() throws InvalidStateError, even for an empty chunk, and nothing is buffered", () => {
    const reader = new StreamReader();
    reader.feedEof();
    expect(() => reader.feedData(bytes("late"))).toThrow(InvalidStateError);
    expect(() => reader.feedData(new Uint8Array(0))).toThrow(InvalidStateError);
    expect(buffered(reader)).toBe("");
  });

  it("a second setTransport() throws InvalidStateError and keeps the first transport", () => {
    const reader = new StreamReader();
    const first = new FakeTransport();
    reader.setTransport(first);
    expect(() => reader.setTransport(new FakeTransport())).toThrow(InvalidStateError);
    reader.feedData(new Uint8Array(2 * reader.limit + 1));
    expect(first.calls).toEqual(["pause"]);
  });

  it("feedEof() twice does not throw", () => {
    const reader = new StreamReader();
    reader.feedEof();
    expect(() => reader.feedEof()).not.toThrow();
    expect(reader.atEof()).toBe(true);
  });

  it("readExactly() at EOF throws IncompleteReadError holding the bytes it removed from the reader", async () => {
    const reader = new StreamReader();
    reader.feedData(new Uint8Array([1, 2]));
    reader.feedEof();
    const error = (await rejectionOf(reader.readExactly(4))) as IncompleteReadError;
    expect(error).toBeInstanceOf(IncompleteReadError);
    expect(Array.from(error.partial)).toEqual([1, 2]);
    expect(error.expected).toBe(4);
    expect(buffered(reader)).toBe("");
  });

  it("readUntil() over the limit throws LimitOverrunError with consumed = the separator's index, keeping the bytes", async () => {
    const reader = new StreamReader({ limit: 3 });
    reader.feedData(bytes("too long\n"));
    const error = (await rejectionOf(reader.readUntil(bytes("\n")))) as LimitOverrunError;
    expect(error).toBeInstanceOf(LimitOverrunError);
    expect(error.message.startsWith("Separator is found, but chunk is longer than limit")).toBe(true);
    expect(error.consumed).toBe(8);
    expect(buffered(reader)).toBe("too long\n");
  });

  it("readLine() over the limit throws LimitOverrunError where asyncio raises ValueError, with the same message", async () => {
    const reader = new StreamReader({ limit: 3 });
    reader.feedData(bytes("abcd"));
    const error = (await rejectionOf(reader.readLine())) as LimitOverrunError;
    expect(error).toBeInstanceOf(LimitOverrunError);
    expect(error.message.startsWith("Separator is not found, and chunk exceed the limit")).toBe(true);
    expect(error.consumed).toBe(4);
  });
});
