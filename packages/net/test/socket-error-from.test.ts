// toSocketError() and toTlsError() pass the project's own errors through unchanged, whichever copy
// of the packages made them: their `instanceof StreamError` and `instanceof TlsError` checks go
// through the brand. Every error class itself is checked in packages/error-table/test/errors.test.ts.
import { describe, expect, it, vi } from "vitest";
import { toSocketError } from "../src/_socket-error-from.js";
import { toTlsError } from "../src/_upgrade-to-tls.js";

// A second evaluation of the packages' code, with classes of their own: what a second installed
// copy gives (test/two-copies.test.ts installs real ones from packed tarballs).
vi.resetModules();
const copyB = {
  reader: await import("@asyncstreams/reader"),
  net: await import("@asyncstreams/net"),
};

describe("the project's errors from another copy", () => {
  it("net passes a StreamError from another copy through unchanged instead of wrapping it in a SocketError", () => {
    const error = new copyB.reader.IncompleteReadError(new Uint8Array([1, 2, 3]), 10);
    expect(toSocketError(error, "Connection lost")).toBe(error);
    expect(
      toSocketError(Object.assign(new Error("read ETIMEDOUT"), { code: "ETIMEDOUT" }), "Connection lost"),
    ).toBeInstanceOf(copyB.net.SocketError);
  });

  it("net passes a TlsError from another copy through unchanged instead of wrapping it again", () => {
    const error = new copyB.net.TlsError("CERT_HAS_EXPIRED", "Cannot start TLS: certificate has expired");
    expect(toTlsError(error)).toBe(error);
  });
});
