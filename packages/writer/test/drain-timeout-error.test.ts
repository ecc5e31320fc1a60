import { describe, expect, it } from "vitest";
import { StreamError } from "@asyncstreams/buffer";
import { DrainTimeoutError } from "@asyncstreams/writer";

describe("DrainTimeoutError", () => {
  it("is a StreamError with code ERR_DRAIN_TIMEOUT, its kind and its timeout", () => {
    const error = new DrainTimeoutError("idle", 250);
    expect(error).toBeInstanceOf(StreamError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe("ERR_DRAIN_TIMEOUT");
    expect(error.name).toBe("DrainTimeoutError");
    expect(error.kind).toBe("idle");
    expect(error.timeout).toBe(250);
  });

  it("says which limit expired, in the house grammar", () => {
    expect(new DrainTimeoutError("idle", 5000).message).toBe("Drain timed out: no bytes sent for 5000 ms");
    expect(new DrainTimeoutError("total", 30000).message).toBe("Drain timed out: deadline of 30000 ms passed");
  });
});
