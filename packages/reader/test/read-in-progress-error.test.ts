import { describe, expect, it } from "vitest";
import { StreamError } from "@asyncstreams/buffer";
import { ReadInProgressError, StreamReader } from "@asyncstreams/reader";
import { bytes, rejectionOf, text } from "@asyncstreams/test-utils";

describe("ReadInProgressError", () => {
  it("names the refused method in asyncio's sentence", () => {
    expect(new ReadInProgressError("readUntil").message).toBe(
      "readUntil() called while another read is already waiting for incoming data",
    );
    expect(new ReadInProgressError("read").message).toBe("read() called while another read is already waiting for incoming data");
  });

  it("is a StreamError with the stable code ERR_READ_IN_PROGRESS and its own name", () => {
    const error = new ReadInProgressError("read");
    expect(error).toBeInstanceOf(StreamError);
    expect(error.code).toBe("ERR_READ_IN_PROGRESS");
    expect(error.name).toBe("ReadInProgressError");
  });

  it("is thrown by a second readLine() while the first waits, which then completes normally", async () => {
    const reader = new StreamReader();
    const first = reader.readLine();
    const error = await rejectionOf(reader.readLine());
    expect(error).toBeInstanceOf(ReadInProgressError);
    expect((error as Error).message).toBe("readUntil() called while another read is already waiting for incoming data");
    reader.feedData(bytes("done\n"));
    expect(text(await first)).toBe("done\n");
  });
});
