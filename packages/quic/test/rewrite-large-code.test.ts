// The message rewrite behind src/_large-stream-codes.ts, on errors of every realm: under a
// vm-context runner (Jest, vitest's vmThreads) quiche's errors are not `instanceof Error` here, and
// a check by class left the 16-digit regex to miss, and the process to die.
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { rewriteLargeCode } from "../src/_rewrite-large-code.js";

const STAND_IN = 2 ** 53;

describe("rewriteLargeCode()", () => {
  it("rewrites an error from another realm and returns its exact code", () => {
    const error = runInNewContext('new Error("StreamReset(4611686018427386880)")') as { message: string };
    expect(error instanceof Error).toBe(false);
    expect(rewriteLargeCode(error, STAND_IN)).toBe(2n ** 62n - 1024n);
    expect(error.message).toBe(`StreamReset(${STAND_IN})`);
  });

  it("rewrites StreamStopped too, keeping the rest of the message", () => {
    const error = new Error("quiche: StreamStopped(10000000000000000) on stream 4");
    expect(rewriteLargeCode(error, STAND_IN)).toBe(10n ** 16n);
    expect(error.message).toBe(`quiche: StreamStopped(${STAND_IN}) on stream 4`);
  });

  it.each([
    ["a safe code", new Error("StreamReset(9007199254740991)")],
    ["another error", new Error("Done")],
    ["a string", "StreamReset(10000000000000000)"],
    ["null", null],
    ["an object without a message", {}],
  ])("leaves %s alone", (_, error) => {
    const before = typeof error === "object" && error !== null ? (error as { message?: string }).message : undefined;
    expect(rewriteLargeCode(error, STAND_IN)).toBeUndefined();
    if (typeof error === "object" && error !== null) expect((error as { message?: string }).message).toBe(before);
  });
});
