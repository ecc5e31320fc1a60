import { describe, expect, it } from "vitest";
import { openConnection as openPlainConnection } from "@asyncstreams/net";
import { IncompleteReadError, InvalidStateError } from "@asyncstreams/reader";
import { TlsError, openConnection } from "@asyncstreams/tls";
import { bytes, concat, text, until, within } from "@asyncstreams/test-utils";
import { CA, SELF_SIGNED } from "@asyncstreams/test-utils/certs";
import { HOST, closeAtEnd, portOf, startRawServer, tcpSocketHandles } from "@asyncstreams/test-utils/node";
import { startNodeTlsPeer } from "./_helpers.js";
import { MARGIN, gone, neverCalled, rawClient, startTlsServer } from "./_faults-helpers.js";
import { connectWithPrefix } from "./_prefixed-socket.js";

describe("TLS faults (reliability table, rows D)", () => {
  describe("D1: a handshake that never completes", () => {
    it("fails a client whose server never answers with TlsError ERR_ASYNCSTREAMS_TLS_HANDSHAKE_TIMEOUT within the timeout, and closes the socket", async () => {
      const raw = await startRawServer();
      const before = tcpSocketHandles();
      const started = Date.now();
      const error: unknown = await within(
        openConnection({ host: HOST, port: raw.port, tls: { ca: CA }, handshakeTimeout: 300 }).catch(
          (failure: unknown) => failure,
        ),
      );
      const elapsed = Date.now() - started;
      expect(error).toBeInstanceOf(TlsError);
      expect((error as TlsError).code).toBe("ERR_ASYNCSTREAMS_TLS_HANDSHAKE_TIMEOUT");
      expect((error as TlsError).message).toMatch(
        /SSL handshake is taking longer than 0.3 seconds: aborting the connection/,
      );
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(300 + MARGIN);
      const peer = raw.accepted[0]!;
      await within(gone(peer), MARGIN, "the server to see the client go");
      await until(() => tcpSocketHandles() <= before, MARGIN, "no TCP socket of ours left");
    });

    it("fails a plain connection's startTls() the same way when the peer never answers", async () => {
      const raw = await startRawServer();
      const { reader, writer } = await within(openPlainConnection({ host: HOST, port: raw.port }));
      closeAtEnd(writer);
      const started = Date.now();
      const error: unknown = await within(
        writer.startTls({ ca: CA, handshakeTimeout: 200 }).catch((failure: unknown) => failure),
      );
      expect((error as TlsError).code).toBe("ERR_ASYNCSTREAMS_TLS_HANDSHAKE_TIMEOUT");
      expect(Date.now() - started).toBeLessThan(200 + MARGIN);
      await expect(within(reader.read())).rejects.toBe(error);
      await within(gone(raw.accepted[0]!), MARGIN, "the server to see the client go");
    });

    it("drops a client that sends nothing after handshakeTimeout, reports ERR_ASYNCSTREAMS_TLS_HANDSHAKE_TIMEOUT to onHandshakeError, and never calls onClient", async () => {
      const { server, failures, firstFailure } = await startTlsServer(neverCalled, { handshakeTimeout: 300 });
      const before = tcpSocketHandles();
      const socket = await rawClient(portOf(server));
      const started = Date.now();
      await within(gone(socket), 300 + MARGIN, "the server to drop the silent client");
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(250);
      const error = await within(firstFailure);
      expect(error).toBeInstanceOf(TlsError);
      expect((error as TlsError).code).toBe("ERR_ASYNCSTREAMS_TLS_HANDSHAKE_TIMEOUT");
      expect(failures).toHaveLength(1);
      socket.destroy();
      await until(() => tcpSocketHandles() <= before, MARGIN, "no TCP socket left on either side");
    });
  });

  describe("D1: a ClientHello that comes late or in parts", () => {
    // The server makes its TLS socket only once the client's first bytes are in (a stalled client
    // then costs a plain socket): what was read before must reach TLS first, in order.
    it("completes the handshake when the ClientHello's first bytes arrive on their own, and echoes a line", async () => {
      const { server, failures } = await startTlsServer(
        async (reader, writer) => {
          writer.write(await reader.readLine());
          await writer.drain();
          writer.close();
        },
        { handshakeTimeout: 10_000 },
      );
      const client = await connectWithPrefix(portOf(server), new Uint8Array(0), { ca: CA, servername: "localhost" }, 5);
      await within(client.connected);
      client.secure.write("split hello\n");
      await until(() => client.received() === "split hello\n", MARGIN, "the echo");
      expect(failures).toEqual([]);
    });

    it("counts the wait for the first bytes in handshakeTimeout: a client that sends part of a ClientHello and stops is dropped", async () => {
      const { server, firstFailure } = await startTlsServer(neverCalled, { handshakeTimeout: 300 });
      const socket = await rawClient(portOf(server));
      socket.write(Uint8Array.of(0x16, 0x03, 0x01, 0x00, 0x50)); // the start of a handshake record, then nothing
      const error = await within(firstFailure, 300 + MARGIN, "onHandshakeError");
      expect((error as TlsError).code).toBe("ERR_ASYNCSTREAMS_TLS_HANDSHAKE_TIMEOUT");
      expect((error as TlsError).message).toMatch(/longer than 0.3 seconds/);
      await within(gone(socket), MARGIN, "the server to drop the client");
    });
  });

  describe("D2: a handshake interrupted by the peer", () => {
    it("fails a client at once when the server reads the ClientHello and closes: TlsError ECONNRESET", async () => {
      const raw = await startRawServer((socket) => socket.once("data", () => socket.end()));
      const started = Date.now();
      const error: unknown = await within(
        openConnection({ host: HOST, port: raw.port, tls: { ca: CA }, handshakeTimeout: 10_000 }).catch(
          (failure: unknown) => failure,
        ),
      );
      expect(error).toBeInstanceOf(TlsError);
      expect((error as TlsError).code).toBe("ECONNRESET");
      expect(Date.now() - started).toBeLessThan(MARGIN);
    });

    // Found by this test: the half-open server socket never emitted 'close' on the client's FIN,
    // so the connection was held until the handshake timeout.
    it("notices at once, not after handshakeTimeout, a client that closes during the server's handshake", async () => {
      const { server, firstFailure } = await startTlsServer(neverCalled, { handshakeTimeout: 10_000 });
      const socket = await rawClient(portOf(server));
      const started = Date.now();
      socket.end(); // FIN without a ClientHello
      const error = await within(firstFailure, MARGIN, "onHandshakeError");
      expect((error as TlsError).code).toBe("ECONNRESET");
      expect(Date.now() - started).toBeLessThan(MARGIN);
      await within(gone(socket), MARGIN, "the server to close its side");
    });

    it("notices a client that resets the connection during the server's handshake", async () => {
      const { server, firstFailure } = await startTlsServer(neverCalled, { handshakeTimeout: 10_000 });
      const socket = await rawClient(portOf(server));
      socket.write(Uint8Array.of(0x16, 0x03, 0x01, 0x00, 0x50)); // the start of a handshake record
      socket.resetAndDestroy();
      const error = await within(firstFailure, MARGIN, "onHandshakeError");
      expect(error).toBeInstanceOf(TlsError);
      expect((error as TlsError).code).toBe("ECONNRESET");
    });
  });

  describe("D3: a certificate that does not verify", () => {
    it("delivers no application data either way when the client refuses the server's certificate", async () => {
      const received: string[] = [];
      const secured: string[] = [];
      const raw = await startNodeTlsPeer((secure) => {
        secured.push("secure");
        secure.write("server secret\n");
        secure.on("data", (chunk: Buffer) => received.push(chunk.toString()));
      }, SELF_SIGNED);
      const { reader, writer } = await within(openPlainConnection({ host: HOST, port: raw.port }));
      closeAtEnd(writer);
      // Observed at once, so that no failed expectation below can leave it unhandled.
      const upgrading = writer.startTls({ ca: CA }).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      // The client tries to send while the handshake runs: refused, never queued. On a loaded
      // machine the handshake may already have failed by now; the write is then dropped instead.
      await until(() => raw.accepted.length > 0, 2_000, "the connection");
      await new Promise((resolve) => setTimeout(resolve, 0));
      let refusal: unknown;
      try {
        writer.write(bytes("client secret\n"));
      } catch (failure) {
        refusal = failure;
      }
      if (refusal !== undefined) expect(refusal).toBeInstanceOf(InvalidStateError);
      else expect(writer.isClosing()).toBe(true);
      const error: unknown = await within(upgrading);
      expect((error as TlsError).code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
      await expect(within(reader.read())).rejects.toBe(error);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(secured).toEqual([]);
      expect(received).toEqual([]);
    });

    it("never calls onClient, and so never sends its greeting, when our TLS client refuses the certificate", async () => {
      const calls: string[] = [];
      const { server, firstFailure } = await startTlsServer(
        async (_reader, writer) => {
          calls.push("onClient");
          writer.write(bytes("greeting\n"));
        },
        { tls: SELF_SIGNED },
      );
      const error: unknown = await within(
        openConnection({ host: HOST, port: portOf(server), tls: { ca: CA } }).catch((failure: unknown) => failure),
      );
      expect((error as TlsError).code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
      await within(firstFailure);
      expect(calls).toEqual([]);
    });
  });

  describe("D6: the peer closes without close_notify (truncation)", () => {
    it("reports EOF as Node and asyncio do, but a frame cut short raises IncompleteReadError with the partial bytes", async () => {
      const raw = await startNodeTlsPeer((secure, socket) => {
        // A line, then a frame header announcing 16 bytes and only 3 of them; then a bare FIN.
        secure.write(concat([bytes("DELETE FROM users\n"), Uint8Array.of(0, 0, 0, 16), bytes("abc")]), () =>
          socket.end(),
        );
      });
      const { reader, writer } = await within(openConnection({ host: HOST, port: raw.port, tls: { ca: CA } }));
      closeAtEnd(writer);
      expect(text(await within(reader.readLine()))).toBe("DELETE FROM users\n");
      const header = await within(reader.readExactly(4));
      expect(new DataView(header.buffer, header.byteOffset, 4).getUint32(0)).toBe(16);
      const error: unknown = await within(reader.readExactly(16).catch((failure: unknown) => failure));
      expect(error).toBeInstanceOf(IncompleteReadError);
      expect(text((error as IncompleteReadError).partial)).toBe("abc");
      expect((error as IncompleteReadError).expected).toBe(16);
      // Not authenticated, and not distinguishable from a clean close: plain EOF from here on.
      expect(await within(reader.read())).toEqual(new Uint8Array(0));
    });

    it("raises IncompleteReadError from readUntil() when the connection ends before the separator", async () => {
      const raw = await startNodeTlsPeer((secure, socket) => {
        secure.write("COMMIT without its terminator", () => socket.end());
      });
      const { reader, writer } = await within(openConnection({ host: HOST, port: raw.port, tls: { ca: CA } }));
      closeAtEnd(writer);
      const error: unknown = await within(reader.readUntil(bytes("\r\n")).catch((failure: unknown) => failure));
      expect(error).toBeInstanceOf(IncompleteReadError);
      expect(text((error as IncompleteReadError).partial)).toBe("COMMIT without its terminator");
    });
  });
});
