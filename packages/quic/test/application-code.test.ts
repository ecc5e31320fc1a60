// toApplicationCode(): the one check of a QUIC application error code, behind
// QuicConnection.close({ code }) and QuicStreamTransport.abort(code).
import { describe, expect, it } from "vitest";
import { toApplicationCode } from "../src/_application-code.js";

describe("toApplicationCode", () => {
  it("takes a bigint or a safe-integer number from 0 to 2^62 - 1, as a bigint", () => {
    expect(toApplicationCode(0, "Cannot reset the QUIC stream")).toBe(0n);
    expect(toApplicationCode(0x10c, "Cannot reset the QUIC stream")).toBe(0x10cn);
    expect(toApplicationCode(2n ** 62n - 1n, "Cannot reset the QUIC stream")).toBe(2n ** 62n - 1n);
    expect(toApplicationCode(Number.MAX_SAFE_INTEGER, "Cannot reset the QUIC stream")).toBe(
      BigInt(Number.MAX_SAFE_INTEGER),
    );
  });

  it.each([
    [-1, "-1"],
    [-1n, "-1"],
    [2n ** 62n, "4611686018427387904"],
    [1.5, "1.5"],
    [Number.MAX_SAFE_INTEGER + 1, "9007199254740992"],
    [Number.NaN, "NaN"],
    ["7", "7"],
    [null, "null"],
  ] as const)("refuses %s with a RangeError that names the action and the value", (raw, shown) => {
    expect(() => toApplicationCode(raw, "Cannot close the QUIC connection")).toThrow(
      new RangeError(`Cannot close the QUIC connection: code must be an integer from 0 to 2^62 - 1, not ${shown}`),
    );
  });

  it("refuses a code above the stack's limit with a RangeError naming the stack", () => {
    const stack = { name: "@matrixai/quic", maxCode: BigInt(Number.MAX_SAFE_INTEGER) };
    expect(toApplicationCode(Number.MAX_SAFE_INTEGER, "Cannot reset the QUIC stream", stack)).toBe(stack.maxCode);
    expect(() => toApplicationCode(2n ** 53n, "Cannot reset the QUIC stream", stack)).toThrow(
      new RangeError(
        "Cannot reset the QUIC stream: code must be an integer from 0 to 2^53 - 1 on @matrixai/quic, not 9007199254740992",
      ),
    );
  });
});
