import { describe, it, expect } from "vitest";
import { ByteBuffer } from "@asyncstreams/buffer";
import { bytes, text } from "@asyncstreams/test-utils";
import { bufferOf } from "./_byte-buffer-helpers.js";

/** Calls every counting method with `value` and expects `error` from each, with nothing removed. */
function expectEveryCountRefused(value: unknown, error: typeof RangeError | typeof TypeError, shown: string): void {
  const buffer = bufferOf("abc", "d");
  const n = value as number;
  expect(() => buffer.take(n)).toThrow(
    new error(
      `Cannot take bytes: n should be ${error === TypeError ? "a number" : "a non-negative integer or Infinity"}, got ${shown}`,
    ),
  );
  expect(() => buffer.discard(n)).toThrow(error);
  expect(() => buffer.peek(n)).toThrow(error);
  expect(() => buffer.takeThrough(0x64, n)).toThrow(error);
  expect(() => buffer.indexOfByte(0x64, n)).toThrow(error);
  expect(() => buffer.indexOf(bytes("cd"), n)).toThrow(error);
  expect(() => buffer.findFirst([bytes("cd")], n)).toThrow(error);
  expect(() => buffer.startsWith(bytes("cd"), n)).toThrow(error);
  expect(buffer.length).toBe(4);
  expect(text(buffer.takeAll())).toBe("abcd");
}

describe("ByteBuffer argument checks", () => {
  it("take(1.5) is a RangeError naming n and 1.5, and removes nothing (it used to take 1 byte and leave length at 3.5)", () => {
    const buffer = bufferOf("abcde");
    expect(() => buffer.take(1.5)).toThrow(
      new RangeError("Cannot take bytes: n should be a non-negative integer or Infinity, got 1.5"),
    );
    expect(buffer.length).toBe(5);
  });

  it("take(NaN) and discard(NaN) are RangeErrors and leave length a number (it used to become NaN)", () => {
    const buffer = bufferOf("abc");
    expect(() => buffer.take(Number.NaN)).toThrow(RangeError);
    expect(() => buffer.discard(Number.NaN)).toThrow(
      "Cannot discard bytes: n should be a non-negative integer or Infinity, got NaN",
    );
    expect(buffer.length).toBe(3);
  });

  it("a search from NaN is a RangeError naming fromIndex, not an internal TypeError", () => {
    const buffer = bufferOf("ab", "cd");
    expect(() => buffer.indexOf(bytes("cd"), Number.NaN)).toThrow(
      new RangeError("Cannot search the buffer: fromIndex should be a non-negative integer, got NaN"),
    );
    expect(() => buffer.indexOfByte(0x63, Number.NaN)).toThrow(RangeError);
  });

  it.each([
    [2.5, "2.5"],
    [Number.NaN, "NaN"],
    [-1, "-1"],
    [-0.5, "-0.5"],
    [-Infinity, "-Infinity"],
    [2 ** 53, "9007199254740992"],
  ])("every count and position refuses %s with a RangeError before consuming anything", (value, shown) => {
    expectEveryCountRefused(value, RangeError, shown);
  });

  it.each([
    ["5", '"5" (string)'],
    [null, "null (object)"],
    [5n, "5n (bigint)"],
  ])("every count and position refuses %s with a TypeError that shows its type", (value, shown) => {
    expectEveryCountRefused(value, TypeError, shown);
  });

  it("take(), peek() and discard() accept Infinity as everything, takeThrough() as no limit", () => {
    const buffer = bufferOf("ab", "c\nd");
    expect(text(buffer.peek(Infinity))).toBe("abc\nd");
    expect(text(buffer.takeThrough(bytes("ab"), Infinity)!)).toBe("ab");
    expect(text(buffer.take(Infinity))).toBe("c\nd");
    buffer.append(bytes("xyz"));
    buffer.discard(Infinity);
    expect(buffer.length).toBe(0);
  });

  it("a byte value outside 0 to 255 and an empty or non-Uint8Array separator are refused", () => {
    const buffer = bufferOf("abc");
    expect(() => buffer.indexOfByte(256)).toThrow(
      "Cannot search the buffer: byte should be an integer from 0 to 255, got 256",
    );
    expect(() => buffer.indexOfByte(1.5)).toThrow(RangeError);
    expect(() => buffer.takeThrough(-1, 10)).toThrow(RangeError);
    expect(() => buffer.takeThrough(new Uint8Array(0), 10)).toThrow(
      "Cannot search the buffer: separator is empty; pass at least one byte",
    );
    expect(() => buffer.indexOf("ab" as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => buffer.startsWith([97] as unknown as Uint8Array)).toThrow(TypeError);
    expect(buffer.length).toBe(3);
  });

  it("append() refuses a chunk that is not a Uint8Array (a string would have counted its characters)", () => {
    const buffer = new ByteBuffer();
    expect(() => buffer.append("abc" as unknown as Uint8Array)).toThrow(
      new TypeError('Cannot append to the buffer: chunk should be a Uint8Array, got "abc" (string)'),
    );
    expect(buffer.length).toBe(0);
  });

  it("the constructor refuses unknown options and a search that is not a function, instead of failing at the first search", () => {
    expect(() => new ByteBuffer({ serach: () => -1 } as never)).toThrow(
      new TypeError('Cannot create a ByteBuffer: unknown option "serach"; the only option is search'),
    );
    expect(() => new ByteBuffer({ search: "x" } as never)).toThrow(
      new TypeError('Cannot create a ByteBuffer: search should be a ByteSearch function, got "x"'),
    );
    expect(() => new ByteBuffer(null as never)).toThrow(TypeError);
    expect(new ByteBuffer({ search: undefined }).length).toBe(0);
  });
});
