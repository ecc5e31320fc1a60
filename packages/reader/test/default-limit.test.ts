import { describe, expect, it } from "vitest";
import { DEFAULT_LIMIT, LimitOverrunError, StreamReader } from "@asyncstreams/reader";
import { rejectionOf } from "@asyncstreams/test-utils";
import { FakeTransport } from "./_helpers.js";

const NEWLINE = 0x0a;

/** `size` bytes of "x" followed by a newline. */
function line(size: number): Uint8Array {
  const data = new Uint8Array(size + 1).fill(0x78);
  data[size] = NEWLINE;
  return data;
}

describe("DEFAULT_LIMIT", () => {
  it("is 64 KiB, asyncio's _DEFAULT_LIMIT (2 ** 16)", () => {
    expect(DEFAULT_LIMIT).toBe(65_536);
  });

  it("is the limit of a reader created without one, and is then left out of toString()", () => {
    const reader = new StreamReader();
    expect(reader.limit).toBe(DEFAULT_LIMIT);
    expect(String(reader)).toBe("<StreamReader>");
    expect(String(new StreamReader({ limit: undefined }))).toBe("<StreamReader>");
    expect(String(new StreamReader({ limit: DEFAULT_LIMIT * 2 }))).toBe(`<StreamReader limit=${DEFAULT_LIMIT * 2}>`);
  });

  it("bounds a line by default: DEFAULT_LIMIT bytes before the newline pass, one more does not", async () => {
    const reader = new StreamReader();
    reader.feedData(line(DEFAULT_LIMIT));
    expect((await reader.readLine()).length).toBe(DEFAULT_LIMIT + 1);
    reader.feedData(line(DEFAULT_LIMIT + 1));
    expect(await rejectionOf(reader.readLine())).toBeInstanceOf(LimitOverrunError);
  });

  it("pauses the transport by default only above 2 × DEFAULT_LIMIT bytes (128 KiB)", () => {
    const reader = new StreamReader();
    const transport = new FakeTransport();
    reader.setTransport(transport);
    reader.feedData(new Uint8Array(2 * DEFAULT_LIMIT));
    expect(transport.calls).toEqual([]);
    reader.feedData(new Uint8Array(1));
    expect(transport.calls).toEqual(["pause"]);
  });
});
