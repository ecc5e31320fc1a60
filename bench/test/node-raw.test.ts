import { describe, expect, it } from "vitest";
import { RawReader } from "../src/impl/node-raw.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const text = (bytes: Uint8Array): string => decoder.decode(bytes);

/** Feeds `stream` in `size`-byte chunks, yielding to the event loop after each, then EOF. */
async function feed(reader: RawReader, stream: string, size: number): Promise<void> {
  const bytes = encoder.encode(stream);
  for (let start = 0; start < bytes.length; start += size) {
    reader.feedData(bytes.slice(start, start + size));
    await new Promise((resolve) => setImmediate(resolve));
  }
  reader.feedEof();
}

/** Every chunk size from 1 to the stream length, so each separator straddles each boundary. */
function sizes(stream: string): number[] {
  return Array.from({ length: stream.length }, (_, i) => i + 1);
}

describe("RawReader (the node-raw anchor)", () => {
  it("readLine() returns every line with its newline, then the unterminated rest, then empty", async () => {
    const stream = "alpha\nb\n\nlonger line here\nrest";
    for (const size of sizes(stream)) {
      const reader = new RawReader();
      const lines: string[] = [];
      const consume = async (): Promise<void> => {
        for (;;) {
          const line = await reader.readLine();
          if (line.length === 0) break;
          lines.push(text(line));
        }
      };
      await Promise.all([feed(reader, stream, size), consume()]);
      expect(lines, `chunk size ${size}`).toEqual(["alpha\n", "b\n", "\n", "longer line here\n", "rest"]);
    }
  });

  it("readUntil() finds a multi-byte separator that straddles any chunk boundary", async () => {
    const stream = "GET / HTTP/1.1\r\nHost: a\r\n\r\n\r\r\n\r\r\n\r\nX\r\n\r\n";
    for (const size of sizes(stream)) {
      const reader = new RawReader();
      const separator = encoder.encode("\r\n\r\n");
      const blocks: string[] = [];
      const consume = async (): Promise<void> => {
        for (let i = 0; i < 3; i++) blocks.push(text(await reader.readUntil(separator)));
        expect(text(await reader.read())).toBe("");
      };
      await Promise.all([feed(reader, stream, size), consume()]);
      expect(blocks, `chunk size ${size}`).toEqual([
        "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "\r\r\n\r\r\n\r\n",
        "X\r\n\r\n",
      ]);
    }
  });

  it("readExactly() returns frames that span chunks, and rejects with the partial bytes at EOF", async () => {
    const stream = "0123456789abcdefXYZ";
    for (const size of sizes(stream)) {
      const reader = new RawReader();
      const consume = async (): Promise<string[]> => [
        text(await reader.readExactly(4)),
        text(await reader.readExactly(12)),
        text(await reader.readExactly(0)),
      ];
      const [, frames] = await Promise.all([feed(reader, stream, size), consume()]);
      expect(frames, `chunk size ${size}`).toEqual(["0123", "456789abcdef", ""]);
      await expect(reader.readExactly(5)).rejects.toMatchObject({
        code: "ERR_INCOMPLETE_READ",
        partial: encoder.encode("XYZ"),
      });
    }
  });

  it("returns a zero-copy view when the result lies in one chunk, and one copy when it spans two", async () => {
    const reader = new RawReader();
    const first = encoder.encode("one\ntw");
    reader.feedData(first);
    reader.feedData(encoder.encode("o\n"));
    const inside = await reader.readLine();
    const spanning = await reader.readLine();
    expect(inside.buffer).toBe(first.buffer);
    expect(spanning.buffer).not.toBe(first.buffer);
    expect([text(inside), text(spanning)]).toEqual(["one\n", "two\n"]);
  });

  it("read(n) returns at most n bytes, and read() returns the rest at EOF", async () => {
    const reader = new RawReader();
    const consume = async (): Promise<string[]> => [text(await reader.read(3)), text(await reader.read())];
    const [, parts] = await Promise.all([feed(reader, "abcdefgh", 5), consume()]);
    expect(parts).toEqual(["abc", "defgh"]);
    expect(reader.atEof()).toBe(true);
  });

  it("readUntil() throws a limit overrun when the separator is not within the limit", async () => {
    const reader = new RawReader({ limit: 8 });
    const read = reader.readUntil(encoder.encode("\n"));
    const fed = feed(reader, "0123456789abcdef\n", 4);
    await expect(read).rejects.toMatchObject({ code: "ERR_LIMIT_OVERRUN" });
    await fed;
  });
});
