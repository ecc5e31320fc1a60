import { describe, it, expect, vi, afterEach } from "vitest";
import fc from "fast-check";
import { IncompleteReadError, StreamReader, readDeadline } from "@asyncstreams/reader";
import { bytes, rejectionOf, text } from "@asyncstreams/test-utils";
import { buffered } from "./_helpers.js";

/** Numbers no count accepts, and values of the wrong type (the classes the issue lists). */
const badCountArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  fc.double({ noInteger: true, noDefaultInfinity: true, noNaN: true }),
  fc.constantFrom(Number.NaN, -Infinity, 2 ** 53, -(2 ** 53), 1e300),
  fc.constantFrom("5", "", null, true, 5n, {}, [2]),
);

/** The error a bad argument gets: a TypeError for a non-number, else a RangeError. */
function errorFor(value: unknown): typeof TypeError | typeof RangeError {
  return typeof value === "number" ? RangeError : TypeError;
}

describe("StreamReader argument checks (properties)", () => {
  it("read(), readExactly() and the constructor refuse every bad number with a typed error and consume nothing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 12 }), badCountArbitrary, fc.boolean(), async (data, bad, eof) => {
        const reader = new StreamReader();
        reader.feedData(bytes(data));
        if (eof) reader.feedEof();
        expect(await rejectionOf(reader.read(bad as number))).toBeInstanceOf(errorFor(bad));
        expect(await rejectionOf(reader.readExactly(bad as number))).toBeInstanceOf(errorFor(bad));
        expect(buffered(reader)).toBe(data);
        if (bad !== Infinity) expect(() => new StreamReader({ limit: bad as number })).toThrow(errorFor(bad));
      }),
      { numRuns: fc.readConfigureGlobal().numRuns ?? 300 },
    );
  });

  it("readExactly() of any negative integer is asyncio's RangeError and consumes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -(2 ** 40), max: -1 }), async (n) => {
        const reader = new StreamReader();
        reader.feedData(bytes("abc"));
        const error = await rejectionOf(reader.readExactly(n));
        expect(error).toEqual(
          new RangeError(`Cannot read exactly ${n} bytes: readexactly size can not be less than zero`),
        );
        expect(buffered(reader)).toBe("abc");
      }),
      { numRuns: fc.readConfigureGlobal().numRuns ?? 100 },
    );
  });

  it('a limit that is a positive integer splits lines into limit-sized pieces under overflow "chunk" and loses no byte', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.stringMatching(/^[a-z\n]{0,30}$/), async (limit, data) => {
        const reader = new StreamReader({ limit, overflow: "chunk" });
        reader.feedData(bytes(data));
        reader.feedEof();
        let seen = "";
        for await (const piece of reader) seen += text(piece);
        expect(seen).toBe(data);
      }),
      { numRuns: fc.readConfigureGlobal().numRuns ?? 200 },
    );
  });
});

describe("StreamReader.readUntil() default separator", () => {
  it('readUntil() with no separator reads through "\\n", as asyncio\'s readuntil() does', async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("one\ntwo"));
    expect(text(await reader.readUntil())).toBe("one\n");
    reader.feedEof();
    const error = await rejectionOf(reader.readUntil(undefined, {}));
    expect(error).toBeInstanceOf(IncompleteReadError);
    expect(text((error as IncompleteReadError).partial)).toBe("two");
  });
});

describe("readDeadline() argument checks", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("a deadline beyond setTimeout()'s range is refused instead of firing after 1 ms", () => {
    const reader = new StreamReader();
    expect(() => readDeadline(reader, { total: 1e10 })).toThrow(
      new RangeError(
        "Cannot make a read deadline: total should be a positive number of milliseconds up to 2147483647, or Infinity for none, got 10000000000",
      ),
    );
    expect(() => readDeadline(reader, { idle: "5" as unknown as number })).toThrow(TypeError);
  });

  it("Infinity means no deadline", async () => {
    vi.useFakeTimers();
    const reader = new StreamReader();
    const deadline = readDeadline(reader, { total: Infinity, idle: Infinity });
    await vi.advanceTimersByTimeAsync(3_000_000_000);
    expect(deadline.signal.aborted).toBe(false);
    deadline.dispose();
  });
});
