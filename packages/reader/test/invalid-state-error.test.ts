import { describe, expect, it } from "vitest";
import { StreamError } from "@asyncstreams/buffer";
import { InvalidStateError, StreamReader } from "@asyncstreams/reader";
import { bytes } from "@asyncstreams/test-utils";
import { FakeTransport, buffered } from "./_helpers.js";

describe("InvalidStateError", () => {
  it("is a StreamError with the stable code ERR_INVALID_STATE, its own name and the given message", () => {
    const error = new InvalidStateError("Cannot feed data: feedEof() was already called");
    expect(error).toBeInstanceOf(StreamError);
    expect(error.code).toBe("ERR_INVALID_STATE");
    expect(error.name).toBe("InvalidStateError");
    expect(error.message).toBe("Cannot feed data: feedEof() was already called");
  });

  it("is thrown by feedData() after feedEof(), even for an empty chunk, and nothing is buffered", () => {
    const reader = new StreamReader();
    reader.feedEof();
    expect(() => reader.feedData(bytes("late"))).toThrow(InvalidStateError);
    expect(() => reader.feedData(new Uint8Array(0))).toThrow(InvalidStateError);
    expect(buffered(reader)).toBe("");
  });

  it("is thrown by a second setTransport(), which keeps the first transport", () => {
    const reader = new StreamReader();
    const first = new FakeTransport();
    reader.setTransport(first);
    expect(() => reader.setTransport(new FakeTransport())).toThrow(InvalidStateError);
    reader.feedData(new Uint8Array(2 * reader.limit + 1));
    expect(first.calls).toEqual(["pause"]);
  });

  it("is not thrown by feedEof() twice", () => {
    const reader = new StreamReader();
    reader.feedEof();
    expect(() => reader.feedEof()).not.toThrow();
    expect(reader.atEof()).toBe(true);
  });
});
