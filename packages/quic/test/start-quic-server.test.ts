import { describe, expect, it } from "vitest";
import { startQuicServer } from "@asyncstreams/quic";
import type { QuicStreamTransport, StartQuicServerOptions } from "@asyncstreams/quic";
import { ALPN, bytes, fixture, HOST, testClient, testServer, text, within } from "./_helpers.js";

const tls = (): StartQuicServerOptions["tls"] => ({
  key: fixture("server-key.pem"),
  cert: fixture("server.pem"),
  alpnProtocols: ALPN,
});

/** Starts a server that should have been refused, and closes it should it start anyway. */
async function refused(options: Partial<StartQuicServerOptions>): Promise<unknown> {
  try {
    const server = await startQuicServer(() => undefined, { host: HOST, port: 0, tls: tls(), ...options });
    server.close();
    await within(server.waitClosed());
    return undefined;
  } catch (error) {
    return error;
  }
}

describe("startQuicServer()", { timeout: 60_000 }, () => {
  describe("writeBufferLimits", () => {
    it("refuses bad water marks before binding a socket", async () => {
      expect(await refused({ writeBufferLimits: { high: 1, low: 5 } })).toBeInstanceOf(RangeError);
      expect(await refused({ writeBufferLimits: { high: -1 } })).toBeInstanceOf(RangeError);
      expect(await refused({ writeBufferLimits: { high: "10" } as never })).toBeInstanceOf(TypeError);
    });

    it("serves streams with good water marks", async () => {
      const marks: unknown[] = [];
      const { port } = await testServer(
        async (reader, writer) => {
          marks.push((writer.transport as QuicStreamTransport).getWriteBufferLimits());
          writer.write(await reader.readLine());
        },
        { writeBufferLimits: { high: 1024 } },
      );
      const conn = await testClient(port);
      const { reader, writer } = await conn.openStream();
      writer.write(bytes("marks\n"));
      expect(text(await within(reader.readLine()))).toBe("marks\n");
      expect(marks).toEqual([{ high: 1024, low: 256 }]);
    });
  });

  describe("tls.key and tls.cert", () => {
    it.each([
      ["a cert that is not PEM", { cert: "not a certificate" }, /tls\.cert is not a PEM certificate/],
      ["a key that is not PEM", { key: "not a key" }, /tls\.key is not an unencrypted PEM private key/],
      ["a certificate as the key", { key: fixture("server.pem") }, /tls\.key is not an unencrypted PEM private key/],
      [
        "another certificate's key",
        { key: fixture("self-signed-key.pem") },
        /tls\.key is not the private key of tls\.cert/,
      ],
      ["the CA before the leaf", { cert: fixture("ca.pem") + fixture("server.pem") }, /the leaf must come first/],
      [
        "a cert whose PEM body is not a certificate",
        { cert: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" },
        /tls\.cert is not a PEM certificate/,
      ],
      [
        "a key whose PEM body is not a key",
        { key: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" },
        /tls\.key is not an unencrypted PEM private key/,
      ],
    ])("refuses %s with a TypeError before binding a socket", async (_what, override, message) => {
      const error = await refused({ tls: { ...tls(), ...override } });
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toMatch(/^Cannot start a QUIC server: /);
    });

    it("takes a matching pair, with the chain after the leaf", async () => {
      const { port } = await testServer(
        async (reader, writer) => {
          writer.write(await reader.readLine());
        },
        { tls: { ...tls(), cert: fixture("server.pem") + fixture("ca.pem") } },
      );
      const conn = await testClient(port);
      const { reader, writer } = await conn.openStream();
      writer.write(bytes("paired\n"));
      expect(text(await within(reader.readLine()))).toBe("paired\n");
    });
  });

  it.each([[""], [42], [null]])("refuses host %j with a TypeError before binding a socket", async (host) => {
    const error = await refused({ host: host as never });
    expect(error).toEqual(new TypeError("Cannot start a QUIC server: host must be a non-empty string"));
  });
});
