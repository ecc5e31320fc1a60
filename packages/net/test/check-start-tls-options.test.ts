import { describe, expect, it } from "vitest";
import { checkStartTlsOptions } from "@asyncstreams/net";

const CLIENT = { serverSide: false } as const;
const SERVER = { serverSide: true } as const;

describe("checkStartTlsOptions()", () => {
  it("accepts Node's TLS option names (renamed serverName and alpnProtocols), the timeouts and signal", () => {
    const signal = new AbortController().signal;
    const options = { ca: "ca", serverName: "localhost", alpnProtocols: ["h2"], minVersion: "TLSv1.3", signal };
    expect(() =>
      checkStartTlsOptions({ ...options, handshakeTimeout: 2 ** 31 - 1, shutdownTimeout: 1 }, CLIENT),
    ).not.toThrow();
    expect(() => checkStartTlsOptions({ key: "k", cert: "c", requestCert: true }, SERVER)).not.toThrow();
    expect(() => checkStartTlsOptions({ pfx: "p" }, SERVER)).not.toThrow();
    // A registered-symbol key (the tls package's handshake start time) is no option name.
    expect(() =>
      checkStartTlsOptions({ [Symbol.for("asyncstreams.tls.handshakeStartedAt")]: 1 }, CLIENT),
    ).not.toThrow();
  });

  it("refuses an unknown name with a TypeError that says what to write instead", () => {
    const cases: [object, string][] = [
      [{ requestcert: true }, 'unknown TLS option "requestcert"; did you mean "requestCert"?'],
      [{ servername: "x" }, 'unknown TLS option "servername"; Node\'s "servername" is spelled "serverName" here'],
      [
        { tls: {} },
        'unknown TLS option "tls"; pass the TLS options themselves, not nested under tls: { ca, serverName, ... }',
      ],
      [
        { ssl_handshake_timeout: 5 },
        'unknown TLS option "ssl_handshake_timeout"; asyncio\'s "ssl_handshake_timeout" is "handshakeTimeout" here (milliseconds)',
      ],
    ];
    for (const [options, message] of cases)
      expect(() => checkStartTlsOptions(options, CLIENT)).toThrow(new TypeError(`Cannot start TLS: ${message}`));
  });

  it("refuses a timeout that is not a positive number of milliseconds up to 2^31-1 (Infinity included, unlike asyncio)", () => {
    for (const value of [0, -1, Number.NaN, 2 ** 31, Infinity])
      expect(() => checkStartTlsOptions({ handshakeTimeout: value }, CLIENT)).toThrow(
        new RangeError(
          `Cannot start TLS: handshakeTimeout should be a positive number of milliseconds up to 2147483647, got ${value}`,
        ),
      );
    expect(() => checkStartTlsOptions({ shutdownTimeout: "5" }, CLIENT)).toThrow(
      new TypeError(
        'Cannot start TLS: shutdownTimeout should be a positive number of milliseconds up to 2147483647, got "5" (string)',
      ),
    );
  });

  it('refuses serverName "" (Node would check "localhost"), a missing serverName where the host is unknown, and wrong types', () => {
    expect(() => checkStartTlsOptions({ serverName: "" }, CLIENT)).toThrow(
      new TypeError(
        'Cannot start TLS: serverName should be the host name to check the server\'s certificate against, got ""; omit it to check the host the connection was opened to',
      ),
    );
    expect(() => checkStartTlsOptions({}, { serverSide: false, hostKnown: false })).toThrow(/serverName is required/);
    expect(() => checkStartTlsOptions({ serverName: 1 }, CLIENT)).toThrow(TypeError);
    expect(() => checkStartTlsOptions({ alpnProtocols: "h2" }, CLIENT)).toThrow(
      /alpnProtocols should be an array of strings/,
    );
    expect(() => checkStartTlsOptions({ signal: {} }, CLIENT)).toThrow(/signal should be an AbortSignal/);
    expect(() => checkStartTlsOptions(null, CLIENT)).toThrow(
      new TypeError("Cannot start TLS: options should be an object, got null"),
    );
  });

  it("refuses a server side with nothing to present, in the caller's words", () => {
    expect(() => checkStartTlsOptions({ cert: "c" }, SERVER)).toThrow(
      new TypeError(
        "Cannot start TLS: the TLS options have no key; pass the server's key and cert (or pfx, or an SNICallback), or every client's handshake fails",
      ),
    );
    expect(() =>
      checkStartTlsOptions({}, { serverSide: true, action: "Cannot start a TLS server", within: "tls" }),
    ).toThrow(/^Cannot start a TLS server: tls has no key and cert;/);
  });
});
