import { describe, expect, it } from "vitest";
import * as net from "@asyncstreams/net";
import * as tls from "@asyncstreams/tls";

describe("the @asyncstreams/tls entry point", () => {
  it("offers the net package's connectors and servers under the same names, so swapping the import is the whole change", () => {
    expect(Object.keys(tls).sort()).toEqual([
      "Server",
      "SocketError",
      "TlsError",
      "openConnection",
      "openUnixConnection",
      "startServer",
      "startUnixServer",
    ]);
    for (const name of ["openConnection", "openUnixConnection", "startServer", "startUnixServer"] as const) {
      expect(typeof tls[name]).toBe("function");
      expect(tls[name]).not.toBe(net[name]); // the TLS versions, not re-exports
    }
  });

  it("re-exports the net package's Server, SocketError and TlsError classes themselves", () => {
    expect(tls.Server).toBe(net.Server);
    expect(tls.SocketError).toBe(net.SocketError);
    expect(tls.TlsError).toBe(net.TlsError);
  });

  it("makes TlsError a StreamError with a code, a message and a cause", () => {
    const cause = new Error("certificate has expired");
    const error = new tls.TlsError("CERT_HAS_EXPIRED", "Cannot start TLS: certificate has expired", { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe("CERT_HAS_EXPIRED");
    expect(error.message).toBe("Cannot start TLS: certificate has expired");
    expect(error.cause).toBe(cause);
  });
});
