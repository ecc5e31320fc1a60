import { describe, expect, it } from "vitest";
import { QuicStreamTransport, openQuicConnection, startQuicServer } from "@asyncstreams/quic";
import { durationOption } from "../src/_check-options.js";
import { ALPN, fixture, HOST } from "./_helpers.js";

const action = "Cannot open a QUIC connection";

describe("durationOption()", () => {
  it("takes an integer from 0 to 2^31 - 1 ms, and the fallback for undefined", () => {
    expect(durationOption(action, "idleTimeout", undefined, 30_000)).toBe(30_000);
    expect(durationOption(action, "idleTimeout", 0, 30_000)).toBe(0);
    expect(durationOption(action, "idleTimeout", 2_147_483_647, 30_000)).toBe(2_147_483_647);
  });

  it.each([
    [2 ** 31, "2147483648"],
    [Number.MAX_SAFE_INTEGER, "9007199254740991"],
    [Infinity, "Infinity"],
    [-1, "-1"],
    [1.5, "1.5"],
    ["5", "string"],
  ])("refuses %s with a RangeError naming the option", (value, shown) => {
    expect(() => durationOption(action, "handshakeTimeout", value, 60_000)).toThrow(
      new RangeError(
        `${action}: handshakeTimeout must be an integer number of milliseconds from 0 to 2147483647, not ${shown}`,
      ),
    );
  });

  it("openQuicConnection() and startQuicServer() refuse a duration past 2^31 - 1 ms before any socket", async () => {
    const tls = { ca: fixture("ca.pem"), serverName: "localhost", alpnProtocols: ALPN };
    for (const name of ["handshakeTimeout", "idleTimeout", "keepAliveInterval"]) {
      await expect(openQuicConnection({ host: HOST, port: 1, tls, [name]: 2 ** 31 })).rejects.toThrow(
        new RegExp(`^${action}: ${name} must be .* from 0 to 2147483647, not 2147483648$`),
      );
    }
    const serverTls = { key: fixture("server-key.pem"), cert: fixture("server.pem"), alpnProtocols: ALPN };
    for (const name of ["idleTimeout", "keepAliveInterval"]) {
      await expect(
        startQuicServer(() => undefined, { host: HOST, port: 0, tls: serverTls, [name]: 2 ** 31 }),
      ).rejects.toThrow(RangeError);
    }
  });
});

describe("new QuicStreamTransport()", () => {
  const stream = () => ({
    readable: new ReadableStream<Uint8Array>(),
    writable: new WritableStream<Uint8Array>(),
    reset: () => undefined,
  });

  it("refuses an unknown option name instead of dropping it (a misspelled writeBufferLimits would keep the defaults)", () => {
    expect(() => new QuicStreamTransport(stream(), { writeBufferLimit: { high: 1 } } as never)).toThrow(
      new TypeError(
        'Cannot make a QuicStreamTransport: unknown option "writeBufferLimit" (expected one of writeBufferLimits, extraInfo)',
      ),
    );
    const transport = new QuicStreamTransport(stream(), {
      writeBufferLimits: { high: 8 },
      extraInfo: { streamId: 0n },
    });
    expect(transport.getWriteBufferLimits()).toEqual({ high: 8, low: 2 });
    transport.abort();
  });
});
