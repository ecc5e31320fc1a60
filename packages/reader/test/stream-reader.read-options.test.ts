import { describe, expect, it } from "vitest";
import { StreamReader, type ReadOptions } from "@asyncstreams/reader";
import { bytes, rejectionOf } from "@asyncstreams/test-utils";

type Read = (reader: StreamReader, options: ReadOptions) => Promise<unknown>;

const READS: [string, Read][] = [
  ["read(5)", (reader, options) => reader.read(5, options)],
  ["read(-1)", (reader, options) => reader.read(-1, options)],
  ["readLine()", (reader, options) => reader.readLine(options)],
  ["readLines()", (reader, options) => reader.readLines(options)],
  ["readExactly(2)", (reader, options) => reader.readExactly(2, options)],
  ["readUntil()", (reader, options) => reader.readUntil(bytes("\n"), options)],
  ["peek(2)", (reader, options) => reader.peek(2, options)],
];

/** Options that are wrong, as a caller could write them: each must be refused, not ignored. */
const BAD_OPTIONS: [string, unknown, typeof TypeError | typeof RangeError, RegExp][] = [
  ["a misspelled signal", { singal: AbortSignal.timeout(10) }, TypeError, /unknown option "singal"/],
  ["a signal that is a string", { signal: "oops" }, TypeError, /signal should be an AbortSignal/],
  ["a signal that is an AbortController", { signal: new AbortController() }, TypeError, /AbortSignal/],
  ["a null signal", { signal: null }, TypeError, /AbortSignal/],
  ["an unknown overflow policy", { overflow: "truncate" }, RangeError, /overflow should be/],
  ["options that are a number", 5, TypeError, /options should be an object/],
  ["null options", null, TypeError, /options should be an object/],
];

describe("read options are checked at every read, before anything is consumed or armed", () => {
  for (const [readName, read] of READS) {
    it.each(BAD_OPTIONS)(
      `${readName} with %s rejects with a typed error and consumes nothing`,
      async (_, options, type, message) => {
        const reader = new StreamReader();
        // Buffered data that the fast paths would return at once.
        reader.feedData(bytes("line\n"));
        const error = await rejectionOf(read(reader, options as ReadOptions));
        expect(error).toBeInstanceOf(type);
        expect((error as Error).message).toMatch(message);
        expect(reader.bufferedLength).toBe(5);
        expect(await reader.readLine()).toEqual(bytes("line\n"));
      },
    );
  }

  it.each(READS)(
    "%s with a bad signal on an empty reader leaves no wait armed: the next read works",
    async (_, read) => {
      const reader = new StreamReader();
      await rejectionOf(read(reader, { signal: "oops" } as unknown as ReadOptions));
      const next = reader.readLine();
      reader.feedData(bytes("after\n"));
      expect(await next).toEqual(bytes("after\n"));
    },
  );

  it("a signal-like object from another realm (aborted, addEventListener, removeEventListener) is accepted", async () => {
    const target = new EventTarget();
    const signal = Object.assign(target, { aborted: false, reason: undefined });
    const reader = new StreamReader();
    const line = reader.readLine({ signal: signal as unknown as AbortSignal });
    reader.feedData(bytes("ok\n"));
    expect(await line).toEqual(bytes("ok\n"));
  });

  it("a signal whose addEventListener() throws fails only its own read: no wait is left armed", async () => {
    const signal = {
      aborted: false,
      reason: undefined,
      addEventListener: () => {
        throw new Error("listener refused");
      },
      removeEventListener: () => undefined,
    };
    const reader = new StreamReader();
    const error = await rejectionOf(reader.readLine({ signal: signal as unknown as AbortSignal }));
    expect((error as Error).message).toBe("listener refused");
    const next = reader.readLine();
    reader.feedData(bytes("after\n"));
    expect(await next).toEqual(bytes("after\n"));
  });

  it("{} and { signal: undefined, overflow: undefined } are fine", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("a\nb\n"));
    expect(await reader.readLine({})).toEqual(bytes("a\n"));
    expect(await reader.readLine({ signal: undefined, overflow: undefined })).toEqual(bytes("b\n"));
  });
});
