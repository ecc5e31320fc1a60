import { describe, it, expect } from "vitest";
import { NotImplementedError, StreamError } from "@asyncstreams/buffer";

describe("NotImplementedError", () => {
  it("NotImplementedError has the stable code ERR_NOT_IMPLEMENTED", () => {
    expect(new NotImplementedError("pauseReading").code).toBe("ERR_NOT_IMPLEMENTED");
    expect(new NotImplementedError("resumeReading").code).toBe("ERR_NOT_IMPLEMENTED");
  });

  it("NotImplementedError names the operation in a sentence-case message", () => {
    const error = new NotImplementedError("pauseReading");
    expect(error.message).toBe("Cannot pauseReading: not supported by this transport");
  });

  it("NotImplementedError is named NotImplementedError and is a StreamError and an Error", () => {
    const error = new NotImplementedError("pauseReading");
    expect(error.name).toBe("NotImplementedError");
    expect(String(error)).toBe("NotImplementedError: Cannot pauseReading: not supported by this transport");
    expect(error).toBeInstanceOf(NotImplementedError);
    expect(error).toBeInstanceOf(StreamError);
    expect(error).toBeInstanceOf(Error);
  });

  it("NotImplementedError has no cause", () => {
    expect(Object.hasOwn(new NotImplementedError("pauseReading"), "cause")).toBe(false);
  });

  it("NotImplementedError thrown by a transport method is caught by its code", () => {
    const transport = {
      pauseReading(): void {
        throw new NotImplementedError("pauseReading");
      },
    };
    expect(() => transport.pauseReading()).toThrow(NotImplementedError);
    expect(() => transport.pauseReading()).toThrow(
      expect.objectContaining({ code: "ERR_NOT_IMPLEMENTED", name: "NotImplementedError" }),
    );
  });
});
