import { describe, expect, it } from "vitest";
import { StreamReader } from "@asyncstreams/reader";
import { bytes, eventLoopTurn, track, type Tracked } from "@asyncstreams/test-utils";

/** A connection reset right behind its last bytes: both in one turn, after the read began waiting. */
async function resetBehindData(read: (reader: StreamReader) => Promise<unknown>): Promise<{
  outcome: Tracked<unknown>;
  error: Error;
  reader: StreamReader;
}> {
  const reader = new StreamReader();
  const outcome = track(read(reader));
  await eventLoopTurn();
  const error = new Error("connection reset");
  reader.feedData(bytes("ab"));
  reader.setException(error);
  for (let turn = 0; turn < 5 && !outcome.settled; turn++) await eventLoopTurn();
  return { outcome, error, reader };
}

describe("setException() in the same turn as the feedData() that woke a read", () => {
  it("read(-1) rejects with the exception, as CPython's read(-1) raises it (instead of waiting for an EOF that never comes)", async () => {
    const { outcome, error, reader } = await resetBehindData((reader) => reader.read(-1));
    expect(outcome.rejected).toBe(true);
    expect(outcome.error).toBe(error);
    expect(reader.bufferedLength).toBe(2); // kept, as read(-1) keeps everything until EOF
  });

  // CPython 3.13 hangs in these three (python3 -c: feed_data(b"ab"); set_exception(e) in one callback
  // while readexactly(5) waits: wait_for(..., 0.5) times out); a hang is never what a caller wants.
  it.each([
    ["readExactly(5)", (reader: StreamReader) => reader.readExactly(5)],
    ["readLine()", (reader: StreamReader) => reader.readLine()],
    ["readLine({ signal })", (reader: StreamReader) => reader.readLine({ signal: new AbortController().signal })],
    ["readUntil()", (reader: StreamReader) => reader.readUntil(bytes("\r\n"))],
    ["readLines()", (reader: StreamReader) => reader.readLines()],
  ])("%s rejects with the exception instead of hanging (deliberate difference: CPython hangs)", async (_, read) => {
    const { outcome, error } = await resetBehindData(read);
    expect(outcome.rejected).toBe(true);
    expect(outcome.error).toBe(error);
  });

  it("read(5) still returns the bytes that came before the exception, as CPython's does", async () => {
    const { outcome } = await resetBehindData((reader) => reader.read(5));
    expect(outcome.value).toEqual(bytes("ab"));
  });
});
