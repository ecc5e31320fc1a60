// closeNotice(): the first word on a connection's end, kept for StackConnection.onClosing in both
// stacks; toResetError(): both stacks' mapping of a stream error to ConnectionResetError.
import { describe, expect, it } from "vitest";
import { ConnectionResetError } from "@asyncstreams/protocol";
import { closeNotice } from "../src/_close-notice.js";
import type { StackCloseInfo } from "../src/_stack.js";
import { toResetError } from "../src/_to-reset-error.js";

const OURS: StackCloseInfo = { code: 7n, reason: "bye", remote: false, isApp: true };
const PEERS: StackCloseInfo = { code: 9n, reason: "gone", remote: true, isApp: true };

describe("closeNotice()", () => {
  it("keeps the first end: a later one changes nothing and settle() returns the first", () => {
    const notice = closeNotice();
    expect(notice.info).toBeUndefined();
    expect(notice.settle(OURS)).toBe(OURS);
    expect(notice.settle(PEERS)).toBe(OURS);
    expect(notice.info).toBe(OURS);
  });

  it("tells a listener registered before the end once, when it comes", () => {
    const notice = closeNotice();
    const heard: StackCloseInfo[] = [];
    notice.onClosing((info) => heard.push(info));
    expect(heard).toEqual([]);
    notice.settle(PEERS);
    notice.settle(OURS);
    expect(heard).toEqual([PEERS]);
  });

  it("tells a listener registered after the end at once", () => {
    const notice = closeNotice();
    notice.settle(OURS);
    const heard: StackCloseInfo[] = [];
    notice.onClosing((info) => heard.push(info));
    expect(heard).toEqual([OURS]);
  });
});

describe("toResetError()", () => {
  it("passes a ConnectionResetError through and wraps anything else as the cause of a new one", () => {
    const reset = new ConnectionResetError(undefined, { applicationCode: 3n });
    expect(toResetError(reset)).toBe(reset);
    const raw = new Error("stream reset");
    const wrapped = toResetError(raw);
    expect(wrapped).toBeInstanceOf(ConnectionResetError);
    expect(wrapped.cause).toBe(raw);
    expect(wrapped.code).toBe("ECONNRESET");
  });
});
