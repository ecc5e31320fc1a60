import { describe, expect, it } from "vitest";
import { LimitOverrunError, StreamReader } from "@asyncstreams/reader";
import { bytes, eventLoopTurn, rejectionOf, text } from "@asyncstreams/test-utils";
import { DATA, ValueError, buffered } from "./_helpers.js";
import { FOUND_TOO_LONG, NOT_FOUND } from "./_model.js";

/** CPython's `loop.call_soon(callback)`: runs after the read under test has started waiting. */
function soon(callback: () => void): void {
  setTimeout(callback, 0);
}

/** readLine()'s rejection, checked to be the LimitOverrunError that stands for asyncio's ValueError. */
async function limitError(promise: Promise<Uint8Array>): Promise<LimitOverrunError> {
  const error = await rejectionOf(promise);
  expect(error).toBeInstanceOf(LimitOverrunError);
  return error as LimitOverrunError;
}

describe("StreamReader.readLine() (CPython A3)", () => {
  it("test_readline: readLine() joins the chunks fed after it started, up to the newline, and keeps the rest", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("chunk1 "));
    const line = reader.readLine();
    soon(() => {
      reader.feedData(bytes("chunk2 "));
      reader.feedData(bytes("chunk3 "));
      reader.feedData(bytes("\n chunk4"));
    });
    expect(text(await line)).toBe("chunk1 chunk2 chunk3 \n");
    expect(buffered(reader)).toBe(" chunk4");
  });

  it("a waiting readLine() returns a line fed in the same turn as a later setException(), as asyncio's readline() does", async () => {
    // CPython 3.11: readline() pending; feed_data(b"a\n"); set_exception(E) -> b"a\n", then E.
    const reader = new StreamReader();
    const pending = reader.readLine();
    await eventLoopTurn();
    const error = new ValueError("lost");
    reader.feedData(bytes("a\n"));
    reader.setException(error);
    expect(text(await pending)).toBe("a\n");
    expect(await rejectionOf(reader.readLine())).toBe(error);
  });

  it("test_readline_limit_with_existing_data: readLine() over the limit discards the long line and keeps the next one", async () => {
    const reader = new StreamReader({ limit: 3 });
    reader.feedData(bytes("li"));
    reader.feedData(bytes("ne1\nline2\n"));
    const error = await limitError(reader.readLine());
    expect(error.message).toContain(FOUND_TOO_LONG);
    expect(buffered(reader)).toBe("line2\n");
  });

  it("test_readline_limit_with_existing_data: readLine() over the limit without a newline discards everything buffered", async () => {
    const reader = new StreamReader({ limit: 3 });
    reader.feedData(bytes("li"));
    reader.feedData(bytes("ne1"));
    reader.feedData(bytes("li"));
    const error = await limitError(reader.readLine());
    expect(error.message).toContain(NOT_FOUND);
    expect(buffered(reader)).toBe("");
  });

  it("test_readline_limit: a line fed in chunks with its newline past limit=7 throws and leaves nothing", async () => {
    const reader = new StreamReader({ limit: 7 });
    soon(() => {
      reader.feedData(bytes("chunk1"));
      reader.feedData(bytes("chunk2"));
      reader.feedData(bytes("chunk3\n"));
      reader.feedEof();
    });
    await limitError(reader.readLine());
    expect(buffered(reader)).toBe("");
  });

  it("test_readline_limit: a line whose newline is past limit=7 is dropped and the following line is kept", async () => {
    const reader = new StreamReader({ limit: 7 });
    soon(() => {
      reader.feedData(bytes("chunk1"));
      reader.feedData(bytes("chunk2\n"));
      reader.feedData(bytes("chunk3\n"));
      reader.feedEof();
    });
    const error = await limitError(reader.readLine());
    expect(error.message).toContain(FOUND_TOO_LONG);
    expect(error.consumed).toBe(12);
    expect(buffered(reader)).toBe("chunk3\n");
  });

  it("test_readline_limit: a line of exactly limit=7 bytes plus its newline is accepted, one byte more is not", async () => {
    const reader = new StreamReader({ limit: 7 });
    reader.feedData(bytes("1234567\n"));
    expect(text(await reader.readLine())).toBe("1234567\n");
    expect(buffered(reader)).toBe("");

    reader.feedData(bytes("12345678\n"));
    expect((await limitError(reader.readLine())).message).toContain(FOUND_TOO_LONG);
    expect(buffered(reader)).toBe("");

    reader.feedData(bytes("12345678"));
    expect((await limitError(reader.readLine())).message).toContain(NOT_FOUND);
    expect(buffered(reader)).toBe("");
  });

  it("test_readline_nolimit_nowait: readLine() returns the first buffered line at once and keeps the rest", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes(DATA.slice(0, 6)));
    reader.feedData(bytes(DATA.slice(6)));
    expect(text(await reader.readLine())).toBe("line1\n");
    expect(buffered(reader)).toBe("line2\nline3\n");
  });

  it("test_readline_eof: readLine() at EOF returns the partial last line without a newline", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("some data"));
    reader.feedEof();
    expect(text(await reader.readLine())).toBe("some data");
  });

  it("test_readline_empty_eof: readLine() at EOF with nothing buffered returns an empty array", async () => {
    const reader = new StreamReader();
    reader.feedEof();
    expect((await reader.readLine()).length).toBe(0);
  });

  it("test_readline_read_byte_count: read(7) after readLine() continues exactly where the line ended", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes(DATA));
    expect(text(await reader.readLine())).toBe("line1\n");
    expect(text(await reader.read(7))).toBe("line2\nl");
    expect(buffered(reader)).toBe("ine3\n");
  });

  it("test_readline_exception: after setException() readLine() throws the stored exception itself, not a limit error", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("line\n"));
    expect(text(await reader.readLine())).toBe("line\n");
    const error = new ValueError();
    reader.setException(error);
    expect(await rejectionOf(reader.readLine())).toBe(error);
    expect(buffered(reader)).toBe("");
  });

  it("readLine() over the limit with the newline still to come throws as soon as more than limit bytes are buffered", async () => {
    const reader = new StreamReader({ limit: 3 });
    const line = reader.readLine();
    reader.feedData(bytes("abc"));
    await eventLoopTurn();
    reader.feedData(bytes("d"));
    const error = await limitError(line);
    expect(error.message).toContain(NOT_FOUND);
    expect(error.consumed).toBe(4);
    expect(buffered(reader)).toBe("");
    reader.feedData(bytes("e\nnxt\n"));
    expect(text(await reader.readLine())).toBe("e\n");
    expect(text(await reader.readLine())).toBe("nxt\n");
  });

  it("a newline that arrives byte by byte after the limit was passed leaves the tail of the long line as the next line (as asyncio)", async () => {
    // Checked against CPython 3.11: feeding b"line1\nline2\n" one byte at a time after readline()
    // started, limit=3, raises "not found" at b"line" and leaves b"1\nline2\n".
    const reader = new StreamReader({ limit: 3 });
    const line = reader.readLine();
    const input = "line1\nline2\n";
    let error: unknown;
    void line.catch((reason: unknown) => (error = reason));
    for (const byte of input) {
      reader.feedData(bytes(byte));
      await eventLoopTurn();
    }
    expect(error).toBeInstanceOf(LimitOverrunError);
    expect((error as LimitOverrunError).message).toContain(NOT_FOUND);
    expect(buffered(reader)).toBe("1\nline2\n");
  });
});

describe("StreamReader async iteration (CPython C)", () => {
  it("test_readline: for await yields each line, the last one without its newline, and stops at EOF", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("line1\nline2\nline3"));
    reader.feedEof();
    const lines: string[] = [];
    for await (const line of reader) lines.push(text(line));
    expect(lines).toEqual(["line1\n", "line2\n", "line3"]);
  });

  it("for await waits for lines fed while it runs", async () => {
    const reader = new StreamReader();
    const lines: string[] = [];
    const loop = (async () => {
      for await (const line of reader) lines.push(text(line));
    })();
    for (const chunk of ["a\nb", "\n", "c"]) {
      reader.feedData(bytes(chunk));
      await eventLoopTurn();
    }
    reader.feedEof();
    await loop;
    expect(lines).toEqual(["a\n", "b\n", "c"]);
  });

  it("breaking out of for await leaves the lines not yet read in the buffer", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("a\nb\nc"));
    for await (const line of reader) {
      expect(text(line)).toBe("a\n");
      break;
    }
    expect(buffered(reader)).toBe("b\nc");
  });

  it("for await ends by throwing LimitOverrunError on a line over the limit", async () => {
    const reader = new StreamReader({ limit: 3 });
    reader.feedData(bytes("ok\ntoo long\n"));
    reader.feedEof();
    const lines: string[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const line of reader) lines.push(text(line));
      })(),
    );
    expect(error).toBeInstanceOf(LimitOverrunError);
    expect(lines).toEqual(["ok\n"]);
  });

  it("for await ends by throwing the stored exception", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes("a\n"));
    const error = new ValueError();
    const iterator = reader[Symbol.asyncIterator]();
    expect(text((await iterator.next()).value as Uint8Array)).toBe("a\n");
    reader.setException(error);
    expect(await rejectionOf(iterator.next())).toBe(error);
  });
});
