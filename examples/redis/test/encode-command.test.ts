import { describe, expect, it } from "vitest";
import { encodeCommand } from "../src/encode-command.js";
import { text } from "@asyncstreams/test-utils";

describe("encodeCommand()", () => {
  it("encodes a command as a RESP array of bulk strings", () => {
    expect(text(encodeCommand(["SET", "key", "value"]))).toBe("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n");
  });

  it("sends Uint8Array arguments byte for byte, CR, LF and NUL included", () => {
    const value = new Uint8Array([0, 13, 10, 36, 42, 255]);
    const encoded = encodeCommand(["SET", "k", value]);
    const header = new TextEncoder().encode("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$6\r\n");
    expect(Array.from(encoded)).toEqual([...header, ...value, 13, 10]);
  });

  it("counts UTF-8 bytes, not UTF-16 code units, in bulk lengths", () => {
    expect(text(encodeCommand(["ECHO", "héllo €"]))).toBe("*2\r\n$4\r\nECHO\r\n$10\r\nhéllo €\r\n");
  });

  it("writes numbers and bigints in decimal, and an empty argument as $0", () => {
    expect(text(encodeCommand(["INCRBY", "n", 42, 9007199254740993n, ""]))).toBe(
      "*5\r\n$6\r\nINCRBY\r\n$1\r\nn\r\n$2\r\n42\r\n$16\r\n9007199254740993\r\n$0\r\n\r\n",
    );
  });

  it("throws RangeError for no arguments or a non-finite number, TypeError for another type", () => {
    expect(() => encodeCommand([])).toThrow(RangeError);
    expect(() => encodeCommand(["INCRBY", "n", Number.NaN])).toThrow(
      "Cannot encode argument 2: NaN is not a finite number",
    );
    expect(() => encodeCommand(["GET", {} as unknown as string])).toThrow(TypeError);
  });

  it("copies the arguments, so changing them after encoding changes nothing", () => {
    const value = new Uint8Array([1, 2, 3]);
    const encoded = encodeCommand(["SET", "k", value]);
    value[0] = 9;
    expect(Array.from(encoded.subarray(-5, -2))).toEqual([1, 2, 3]);
  });
});
