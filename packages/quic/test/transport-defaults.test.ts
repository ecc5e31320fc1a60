import { describe, expect, it } from "vitest";
import { openQuicConnection, startQuicServer } from "@asyncstreams/quic";
import { transportDefaults } from "../src/_transport-defaults.js";
import { ALPN, bytes, fixture, HOST, testClient, testServer, text, within } from "./_helpers.js";

const action = "Cannot start a QUIC server";

describe("transportDefaults()", { timeout: 60_000 }, () => {
  it("defaults keepAliveInterval to the lower of 10 s and half of idleTimeout", () => {
    expect(transportDefaults(action, {}, ALPN).keepAliveInterval).toBe(10_000);
    expect(transportDefaults(action, { idleTimeout: 5_000 }, ALPN).keepAliveInterval).toBe(2_500);
    expect(transportDefaults(action, { idleTimeout: 5_001 }, ALPN).keepAliveInterval).toBe(2_500);
    expect(transportDefaults(action, { idleTimeout: 0 }, ALPN).keepAliveInterval).toBe(10_000);
    expect(transportDefaults(action, { idleTimeout: 60_000 }, ALPN).keepAliveInterval).toBe(10_000);
  });

  it("refuses a keepAliveInterval not below idleTimeout with a RangeError naming both", () => {
    expect(() => transportDefaults(action, { idleTimeout: 5_000, keepAliveInterval: 5_000 }, ALPN)).toThrow(
      new RangeError(`${action}: keepAliveInterval must be below idleTimeout (5000 ms), or 0, not 5000`),
    );
    expect(() => transportDefaults(action, { keepAliveInterval: 30_000 }, ALPN)).toThrow(RangeError);
    // 0 disables either one: no conflict.
    expect(transportDefaults(action, { idleTimeout: 5_000, keepAliveInterval: 0 }, ALPN).keepAliveInterval).toBe(0);
    expect(transportDefaults(action, { idleTimeout: 0, keepAliveInterval: 60_000 }, ALPN).idleTimeout).toBe(0);
  });

  it("a server and a client with idleTimeout 5000 and the default keep-alive connect and talk", async () => {
    const { port } = await testServer(
      async (reader, writer) => {
        writer.write(await reader.readLine());
      },
      { idleTimeout: 5_000 },
    );
    // The server's side first (a default client), then the client's.
    for (const options of [{ handshakeTimeout: 10_000 }, { idleTimeout: 5_000, handshakeTimeout: 10_000 }]) {
      const conn = await testClient(port, options);
      const { reader, writer } = await conn.openStream();
      writer.write(bytes("short idle\n"));
      expect(text(await within(reader.readLine()))).toBe("short idle\n");
    }
  });

  it("startQuicServer() and openQuicConnection() refuse keepAliveInterval >= idleTimeout before any socket", async () => {
    await expect(
      startQuicServer(() => undefined, {
        host: HOST,
        port: 0,
        tls: { key: fixture("server-key.pem"), cert: fixture("server.pem"), alpnProtocols: ALPN },
        idleTimeout: 5_000,
        keepAliveInterval: 10_000,
      }),
    ).rejects.toThrow(/keepAliveInterval must be below idleTimeout \(5000 ms\)/);
    await expect(
      openQuicConnection({
        host: HOST,
        port: 1,
        tls: { ca: fixture("ca.pem"), serverName: "localhost", alpnProtocols: ALPN },
        idleTimeout: 5_000,
        keepAliveInterval: 5_000,
      }),
    ).rejects.toThrow(RangeError);
  });
});
