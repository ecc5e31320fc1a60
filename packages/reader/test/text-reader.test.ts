import { describe, expect, it } from "vitest";
import {
  IncompleteReadError,
  LimitOverrunError,
  StreamReader,
  TextDecodeError,
  TextReader,
} from "@asyncstreams/reader";
import type { TextReaderOptions } from "@asyncstreams/reader";
import { bytes, eventLoopTurn, text, track } from "@asyncstreams/test-utils";

/** A reader holding `input` and EOF. */
function fed(input: string | Uint8Array, limit?: number): StreamReader {
  const reader = new StreamReader({ limit });
  reader.feedData(typeof input === "string" ? bytes(input) : input);
  reader.feedEof();
  return reader;
}

/** Every line until EOF, via `for await`. */
async function lines(text: TextReader): Promise<string[]> {
  const all: string[] = [];
  for await (const line of text) all.push(line);
  return all;
}

/**
 * Reads every line while `chunks` arrive one at a time (a loop turn between them), so that reads
 * wait, wake and resume at each boundary, as they do on a socket.
 */
async function linesOverChunks(chunks: readonly Uint8Array[], options?: TextReaderOptions): Promise<string[]> {
  const reader = new StreamReader();
  const result = lines(new TextReader(reader, options));
  for (const chunk of chunks) {
    reader.feedData(chunk.slice());
    await eventLoopTurn();
  }
  reader.feedEof();
  return result;
}

/** `data` cut at `cut`: two chunks, the first or second maybe empty. */
function splitAt(data: Uint8Array, cut: number): Uint8Array[] {
  return [data.subarray(0, cut), data.subarray(cut)];
}

describe("TextReader", () => {
  describe("readLine()", () => {
    it("readLine() decodes UTF-8 lines without their endings, then returns null at EOF", async () => {
      const text = new TextReader(fed("caf\u00e9\n\n\u65e5\u672c\nlast"));
      expect(await text.readLine()).toBe("caf\u00e9");
      expect(await text.readLine()).toBe(""); // an empty line is "", never confused with EOF
      expect(await text.readLine()).toBe("\u65e5\u672c");
      expect(await text.readLine()).toBe("last");
      expect(await text.readLine()).toBeNull();
      expect(await text.readLine()).toBeNull();
    });

    it("newline '\\n' (the default) ends lines at LF, taking a CR before it as part of the ending", async () => {
      expect(await lines(new TextReader(fed("a\nb\r\nc\rd\r\r\ne")))).toEqual(["a", "b", "c\rd\r", "e"]);
      expect(await lines(new TextReader(fed("a\r\nb\rc\nd"), { newline: "\n", keepEnds: true }))).toEqual([
        "a\r\n",
        "b\rc\n",
        "d",
      ]);
    });

    it("newline 'any' ends lines at LF, CRLF and a bare CR, as Python's universal newlines", async () => {
      expect(await lines(new TextReader(fed("a\nb\r\nc\rd\r\r\ne"), { newline: "any" }))).toEqual([
        "a",
        "b",
        "c",
        "d",
        "",
        "e",
      ]);
    });

    it("newline 'any' with keepEnds translates every ending to \\n, as Python's newline=None does", async () => {
      const text = new TextReader(fed("a\nb\r\nc\rd"), { newline: "any", keepEnds: true });
      expect(await lines(text)).toEqual(["a\n", "b\n", "c\n", "d"]);
    });

    it("newline 'any' waits at a CR that ends the buffered bytes until the next byte tells CR from CRLF (IncrementalNewlineDecoder)", async () => {
      const reader = new StreamReader();
      const text = new TextReader(reader, { newline: "any" });
      reader.feedData(bytes("first\r"));
      const first = track(text.readLine());
      await eventLoopTurn();
      expect(first.settled).toBe(false); // CR or CRLF? Not known yet
      reader.feedData(bytes("\nsecond\r"));
      expect(await first.promise).toBe("first");
      const second = track(text.readLine());
      await eventLoopTurn();
      expect(second.settled).toBe(false);
      reader.feedData(bytes("third\n"));
      expect(await second.promise).toBe("second"); // "t" came next: a bare CR
      expect(await text.readLine()).toBe("third");
      reader.feedData(bytes("last\r"));
      reader.feedEof();
      expect(await text.readLine()).toBe("last"); // EOF after the CR
      expect(await text.readLine()).toBeNull();
    });

    it("newline 'any' takes the LF of a CRLF with its line, and leaves the byte after a bare CR in the reader", async () => {
      const reader = fed("head\r\nbody\rX");
      const text = new TextReader(reader, { newline: "any" });
      expect(await text.readLine()).toBe("head");
      expect(reader.bufferedLength).toBe(6); // "body\rX": the CRLF went with its line
      expect(await text.readLine()).toBe("body");
      expect(await reader.readExactly(1)).toEqual(bytes("X")); // every unreturned byte stays in the reader
    });

    it("newline 'any' gives the same lines as Python's universal newlines for CR, LF and CRLF split at every offset", async () => {
      const input = bytes("a\rb\r\nc\n\r\rd\r\n\r\ne\r");
      const expected = ["a", "b", "c", "", "", "d", "", "e"]; // str.splitlines() of the same text
      for (let cut = 0; cut <= input.length; cut++) {
        expect(await linesOverChunks(splitAt(input, cut), { newline: "any" }), `cut at ${cut}`).toEqual(expected);
      }
      expect(
        await linesOverChunks(
          Array.from(input, (byte) => new Uint8Array([byte])),
          { newline: "any" },
        ),
      ).toEqual(expected);
    });

    it("newline 'any': an abort while waiting past a CR returns the line instead of losing it, and the LF that follows is still its CRLF's", async () => {
      const reader = new StreamReader();
      const text = new TextReader(reader, { newline: "any" });
      reader.feedData(bytes("a\r"));
      const controller = new AbortController();
      const pending = track(text.readLine({ signal: controller.signal }));
      await eventLoopTurn();
      controller.abort(new Error("stop"));
      expect(await pending.promise).toBe("a");
      reader.feedData(bytes("\nb\n"));
      expect(await text.readLine()).toBe("b");
      // An abort before any line is found consumes nothing.
      const idle = new AbortController();
      const waiting = track(text.readLine({ signal: idle.signal }));
      idle.abort(new Error("stop"));
      await eventLoopTurn();
      expect(waiting.rejected).toBe(true);
      reader.feedData(bytes("c\n"));
      expect(await text.readLine()).toBe("c");
    });

    it("newline '\\r\\n' ends lines at CRLF only: a bare CR or LF is part of the line", async () => {
      expect(await lines(new TextReader(fed("a\nb\rc\r\nd"), { newline: "\r\n" }))).toEqual(["a\nb\rc", "d"]);
      expect(await lines(new TextReader(fed("a\r\nb\r"), { newline: "\r\n", keepEnds: true }))).toEqual([
        "a\r\n",
        "b\r",
      ]);
    });

    for (const newline of ["any", "\n", "\r\n"] as const) {
      it(`newline ${JSON.stringify(newline)}: multi-byte characters and endings split at every chunk boundary decode whole`, async () => {
        const input = bytes("\u00e9t\u00e9 \u65e5\u672c \ud83d\ude00\r\n\u00fcber\r\nend \u20ac\r\n");
        const expected = await lines(new TextReader(fed(input), { newline }));
        expect(expected.join("|")).toContain("\ud83d\ude00");
        for (let cut = 0; cut <= input.length; cut++) {
          expect(await linesOverChunks(splitAt(input, cut), { newline }), `cut at ${cut}`).toEqual(expected);
        }
        const oneByteAtATime = Array.from(input, (byte) => new Uint8Array([byte]));
        expect(await linesOverChunks(oneByteAtATime, { newline })).toEqual(expected);
      });
    }

    it("invalid UTF-8 decodes to U+FFFD by default", async () => {
      const text = new TextReader(fed(new Uint8Array([0x61, 0xff, 0x62, 0xc3, 0x0a, 0x63])));
      expect(await lines(text)).toEqual(["a\ufffdb\ufffd", "c"]);
    });

    it("with fatal: true, an invalid line throws TextDecodeError carrying its bytes, and reading goes on after it", async () => {
      const bad = new Uint8Array([0x61, 0xc3, 0x28, 0x0d, 0x0a]);
      const reader = fed(new Uint8Array([...bad, ...bytes("ok\n")]));
      const text = new TextReader(reader, { fatal: true });
      const error = await text.readLine().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TextDecodeError);
      expect((error as TextDecodeError).code).toBe("ERR_TEXT_DECODE");
      expect((error as TextDecodeError).encoding).toBe("utf-8");
      expect((error as TextDecodeError).data).toEqual(bad); // nothing is lost
      expect((error as TextDecodeError).cause).toBeInstanceOf(TypeError);
      expect(await text.readLine()).toBe("ok");
    });

    it("with fatal: true, a multi-byte character cut by EOF is an error, not a silent U+FFFD", async () => {
      const text = new TextReader(fed(new Uint8Array([0x61, 0xe2, 0x82])), { fatal: true });
      await expect(text.readLine()).rejects.toBeInstanceOf(TextDecodeError);
    });

    it("keeps a BOM as text, as Python's 'utf-8' codec does", async () => {
      expect(await lines(new TextReader(fed("\ufeffa\n\ufeffb")))).toEqual(["\ufeffa", "\ufeffb"]);
    });

    it("decodes a single-byte encoding given by label, and names it canonically", async () => {
      const text = new TextReader(fed(new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0d, 0x0a, 0x6e, 0xef, 0x76, 0x65])), {
        encoding: "latin1",
      });
      expect(text.encoding).toBe("windows-1252");
      expect(await lines(text)).toEqual(["caf\u00e9", "n\u00efve"]);
    });

    it("passes a LimitOverrunError through unchanged, with the reader's own discard rules", async () => {
      const long = `${"x".repeat(20)}\nnext\n`;
      const lf = new TextReader(fed(long, 10));
      await expect(lf.readLine()).rejects.toBeInstanceOf(LimitOverrunError);
      expect(await lf.readLine()).toBe("next"); // readLine() discarded the long line, as asyncio does
      const reader = fed(long, 10);
      const any = new TextReader(reader, { newline: "any" });
      const error = await any.readLine().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(LimitOverrunError);
      expect((error as LimitOverrunError).consumed).toBe(20);
      expect(reader.bufferedLength).toBe(long.length); // readUntil() keeps everything buffered
    });

    it("passes the reader's stored exception through unchanged", async () => {
      const reader = new StreamReader();
      const failure = new Error("connection reset");
      reader.setException(failure);
      await expect(new TextReader(reader).readLine()).rejects.toBe(failure);
      await expect(new TextReader(reader, { newline: "any" }).readLine()).rejects.toBe(failure);
    });

    it("an aborted readLine() rejects with signal.reason and consumes nothing", async () => {
      for (const newline of ["any", "\n", "\r\n"] as const) {
        const reader = new StreamReader();
        const text = new TextReader(reader, { newline });
        reader.feedData(bytes("part"));
        const controller = new AbortController();
        const reason = new IncompleteReadError(new Uint8Array(0), null); // even this passes through as the reason
        const pending = track(text.readLine({ signal: controller.signal }));
        controller.abort(reason);
        await eventLoopTurn();
        expect(pending.error).toBe(reason);
        expect(reader.bufferedLength).toBe(4);
        reader.feedData(bytes("ial\r\n"));
        expect(await text.readLine()).toMatch(/^partial\r?$/);
      }
    });
  });

  describe("readUntil()", () => {
    it("readUntil() decodes up to a string separator, without it unless keepEnds", async () => {
      const text = new TextReader(fed("Host: a\r\n\r\nK\u00f6ln\u2192rest"));
      expect(await text.readUntil("\r\n\r\n")).toBe("Host: a");
      expect(await text.readUntil("\u2192")).toBe("K\u00f6ln");
      const kept = new TextReader(fed("a;b;"), { keepEnds: true });
      expect(await kept.readUntil(";")).toBe("a;");
      expect(await kept.readUntil(";")).toBe("b;");
    });

    it("readUntil() passes IncompleteReadError through at EOF, with the bytes in partial", async () => {
      const text = new TextReader(fed("no separator"));
      const error = await text.readUntil(";").catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(IncompleteReadError);
      expect(text_((error as IncompleteReadError).partial)).toBe("no separator");
    });

    it("readUntil() after a line that ended at a bare CR (its wait cut short by an abort) skips the LF that completes the CRLF", async () => {
      const reader = new StreamReader();
      const text = new TextReader(reader, { newline: "any" });
      reader.feedData(bytes("line\r"));
      const controller = new AbortController();
      const pending = text.readLine({ signal: controller.signal });
      await eventLoopTurn();
      controller.abort(new Error("stop"));
      expect(await pending).toBe("line");
      reader.feedData(bytes("\n\nA:B"));
      expect(await text.readUntil("\n")).toBe(""); // the second LF: the first belonged to the CRLF
      expect(await text.readUntil(":")).toBe("A");
    });

    it("readUntil() refuses an empty separator, and a non-ASCII one outside UTF-8, with a RangeError", async () => {
      const text = new TextReader(fed("abc"));
      await expect(text.readUntil("")).rejects.toThrow(RangeError);
      const latin = new TextReader(fed("abc"), { encoding: "latin1" });
      await expect(latin.readUntil("\u00e9")).rejects.toThrow(
        'Cannot read until a separator: "\u00e9" is not ASCII and the encoding is windows-1252',
      );
      expect(await latin.readUntil("b")).toBe("a");
    });
  });

  describe("mixing text and binary reads", () => {
    it("leaves every byte it did not return in the reader, so binary reads can follow any text read", async () => {
      const payload = new Uint8Array([0xff, 0x00, 0x0a, 0x0d, 0xc3]);
      const input = new Uint8Array([...bytes("LEN 5\r\n"), ...payload, ...bytes("NAME \u00e9\u00e9\r\nbye")]);
      for (let cut = 0; cut <= input.length; cut++) {
        const reader = new StreamReader();
        const text = new TextReader(reader);
        const script = (async () => {
          const size = Number((await text.readLine())!.slice(4));
          const binary = await reader.readExactly(size);
          const name = await text.readUntil(" ");
          const value = await text.readLine();
          const rest = await reader.read();
          return { size, binary, name, value, rest: text_(rest) };
        })();
        for (const chunk of splitAt(input, cut)) {
          reader.feedData(chunk.slice());
          await eventLoopTurn();
        }
        reader.feedEof();
        expect(await script, `cut at ${cut}`).toEqual({
          size: 5,
          binary: payload,
          name: "NAME",
          value: "\u00e9\u00e9",
          rest: "bye",
        });
      }
    });

    it("exposes the reader it wraps", () => {
      const reader = new StreamReader();
      expect(new TextReader(reader).reader).toBe(reader);
    });
  });

  describe("constructor", () => {
    it("refuses encodings that are not ASCII-compatible, and unknown labels, with a RangeError", () => {
      const reader = new StreamReader();
      expect(() => new TextReader(reader, { encoding: "utf-16le" })).toThrow(
        "Cannot create a TextReader: encoding utf-16le is not ASCII-compatible",
      );
      expect(() => new TextReader(reader, { encoding: "utf-16be" })).toThrow(RangeError);
      expect(() => new TextReader(reader, { encoding: "iso-2022-jp" })).toThrow(RangeError);
      expect(() => new TextReader(reader, { encoding: "no-such-encoding" })).toThrow(RangeError);
    });

    it("refuses a newline that is not 'any', '\\n' or '\\r\\n' with a RangeError", () => {
      const reader = new StreamReader();
      expect(() => new TextReader(reader, { newline: "\r" as "any" })).toThrow(RangeError);
    });
  });
});

/** The bytes as a string (named apart from the `text` readers above). */
function text_(data: Uint8Array): string {
  return text(data);
}

describe("TextDecodeError", () => {
  it("is a StreamError with code ERR_TEXT_DECODE, the bytes and the encoding", () => {
    const data = new Uint8Array([0xff, 0x0a]);
    const cause = new TypeError("invalid");
    const error = new TextDecodeError("utf-8", data, { cause });
    expect(error.code).toBe("ERR_TEXT_DECODE");
    expect(error.name).toBe("TextDecodeError");
    expect(error.message).toBe("Cannot decode text: 2 bytes are not valid utf-8");
    expect(error.data).toBe(data);
    expect(error.encoding).toBe("utf-8");
    expect(error.cause).toBe(cause);
  });
});
