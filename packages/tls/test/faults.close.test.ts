import { describe, expect, it } from "vitest";
import { openConnection as openPlainConnection } from "@asyncstreams/net";
import type { Server } from "@asyncstreams/net";
import type { Transport } from "@asyncstreams/protocol";
import { ConnectionLostError } from "@asyncstreams/writer";
import { InvalidStateError } from "@asyncstreams/reader";
import { TlsError, openConnection } from "@asyncstreams/tls";
import { connectWithPrefix } from "./_prefixed-socket.js";
import { bytes, concat, deferred, text, until, within } from "@asyncstreams/test-utils";
import { CA, SELF_SIGNED, SERVER } from "@asyncstreams/test-utils/certs";
import {
  HOST,
  closeAtEnd,
  collect,
  portFrom,
  portOf,
  startRawServer,
  tcpSocketHandles,
} from "@asyncstreams/test-utils/node";
import { spawnPython, startNodeTlsPeer } from "./_helpers.js";
import { MARGIN, echoThroughTls, gone, neverCalled, rawClient, startPlain, startTlsServer } from "./_faults-helpers.js";

describe("TLS faults (reliability table, rows D)", () => {
  describe("D7: a clean TLS close, both ways, and a peer that never answers", () => {
    it("reads the peer's close_notify as EOF after all its data, and waitClosed() resolves", async () => {
      const raw = await startNodeTlsPeer((secure) => {
        secure.end("last words\n"); // data, close_notify, FIN
      });
      const { reader, writer } = await within(openConnection({ host: HOST, port: raw.port, tls: { ca: CA } }));
      closeAtEnd(writer);
      expect(text(await within(reader.read()))).toBe("last words\n");
      expect(await within(reader.read())).toEqual(new Uint8Array(0));
      expect(reader.atEof()).toBe(true);
      writer.close();
      await within(writer.waitClosed());
    });

    it("sends close_notify on close(): a CPython ssl peer that tells the difference sees a clean close, and a truncation after abort()", async () => {
      const probe = spawnPython("tls_eof_probe.py");
      const port = await portFrom(probe);
      const clean = await within(openConnection({ host: HOST, port, tls: { ca: CA } }));
      clean.writer.write(bytes("hello"));
      clean.writer.close();
      await within(clean.writer.waitClosed());
      expect(await probe.nextLine()).toBe("CLEAN 5");
      // The control: the probe does report a close without close_notify.
      const cut = await within(openConnection({ host: HOST, port, tls: { ca: CA } }));
      cut.writer.write(bytes("hello"));
      await cut.writer.drain();
      await new Promise((resolve) => setTimeout(resolve, 50));
      (cut.writer.transport as Transport).abort();
      expect(await probe.nextLine()).toMatch(/^(TRUNCATED|ERROR) 5 /);
    });

    it("bounds close() by shutdownTimeout when the peer never reads: waitClosed() rejects with ERR_ASYNCSTREAMS_TLS_SHUTDOWN_TIMEOUT", async () => {
      const raw = await startNodeTlsPeer((secure) => {
        secure.pause(); // never reads again
      });
      const { writer } = await within(
        openConnection({ host: HOST, port: raw.port, tls: { ca: CA }, shutdownTimeout: 300 }),
      );
      closeAtEnd(writer);
      writer.write(new Uint8Array(32 * 1024 * 1024));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect((writer.transport as Transport).getWriteBufferSize()).toBeGreaterThan(0);
      const started = Date.now();
      writer.close();
      const error: unknown = await within(
        writer.waitClosed().then(
          () => undefined,
          (failure: unknown) => failure,
        ),
        300 + MARGIN,
        "waitClosed() after the shutdown timeout",
      );
      const elapsed = Date.now() - started;
      expect(error).toBeInstanceOf(TlsError);
      expect((error as TlsError).code).toBe("ERR_ASYNCSTREAMS_TLS_SHUTDOWN_TIMEOUT");
      expect(elapsed).toBeGreaterThanOrEqual(280);
    });

    it("bounds a server's close() the same way when its client stops reading", async () => {
      const outcome = deferred<{ error: unknown; elapsed: number }>();
      const { server } = await startTlsServer(
        async (_reader, writer) => {
          writer.write(new Uint8Array(32 * 1024 * 1024));
          const started = Date.now();
          writer.close();
          const error = await writer.waitClosed().then(
            () => undefined,
            (failure: unknown) => failure,
          );
          outcome.resolve({ error, elapsed: Date.now() - started });
        },
        { shutdownTimeout: 300 },
      );
      const { writer } = await within(openConnection({ host: HOST, port: portOf(server), tls: { ca: CA } }));
      closeAtEnd(writer);
      (writer.transport as Transport).pauseReading(); // our client stops reading
      const { error, elapsed } = await within(outcome.promise, 300 + MARGIN + 1_000, "the server's waitClosed()");
      expect((error as TlsError).code).toBe("ERR_ASYNCSTREAMS_TLS_SHUTDOWN_TIMEOUT");
      expect(elapsed).toBeLessThan(300 + MARGIN);
    });
  });

  describe("D8: a corrupted record in the middle of the stream", () => {
    // Found by this test: Node emits the TLS error without destroying the socket, so 'close'
    // never came and the read hung forever.
    it("makes the next read reject with a TlsError, and close() and waitClosed() do not hang", async () => {
      const raw = await startNodeTlsPeer((secure, socket) => {
        secure.write("valid\n", () => setTimeout(() => socket.write("this is not a TLS record\r\n"), 20));
      });
      const { reader, writer } = await within(openConnection({ host: HOST, port: raw.port, tls: { ca: CA } }));
      closeAtEnd(writer);
      expect(text(await within(reader.readLine()))).toBe("valid\n");
      const error: unknown = await within(
        reader.read().catch((failure: unknown) => failure),
        5_000,
        "the read after the corrupted record",
      );
      expect(error).toBeInstanceOf(TlsError);
      expect((error as TlsError).code).toMatch(/^ERR_SSL_/);
      writer.close();
      await expect(within(writer.waitClosed())).rejects.toBe(error);
    });
  });

  describe("D9: plaintext junk sent to a TLS server", () => {
    it("closes that connection, never calls onClient, reports the failure, and goes on serving", async () => {
      const calls: string[] = [];
      const { server, firstFailure } = await startTlsServer(async (reader, writer) => {
        calls.push("onClient");
        writer.write(await reader.readLine());
        writer.close();
      });
      const junk = await rawClient(portOf(server));
      const junkSeen = collect(junk);
      junk.write("blah\nblah\n");
      await within(junkSeen.ended, 5_000, "the server to close the junk connection");
      const error = await within(firstFailure);
      expect(error).toBeInstanceOf(TlsError);
      expect(calls).toEqual([]);
      expect(text(concat(junkSeen.chunks))).not.toContain("blah");
      const { reader, writer } = await within(openConnection({ host: HOST, port: portOf(server), tls: { ca: CA } }));
      closeAtEnd(writer);
      writer.write(bytes("after the junk\n"));
      expect(text(await within(reader.readLine()))).toBe("after the junk\n");
      expect(calls).toEqual(["onClient"]);
    });
  });

  describe("D11: STARTTLS plaintext injection (CVE-2011-0411)", () => {
    /** A server that upgrades after the STARTTLS line and reports every read after the upgrade. */
    async function startInjectionTarget(): Promise<{
      server: Server;
      outcome: Promise<{ upgrade: unknown; reads: unknown[] }>;
    }> {
      const done = deferred<{ upgrade: unknown; reads: unknown[] }>();
      const server = await startPlain(async (reader, writer) => {
        expect(text(await reader.readLine())).toBe("STARTTLS\r\n");
        const upgrade = await writer.startTls({ ...SERVER }).then(
          () => "upgraded",
          (error: unknown) => error,
        );
        const reads: unknown[] = [];
        for (let i = 0; i < 3; i++) reads.push(await reader.readLine().then(text, (error: unknown) => error));
        done.resolve({ upgrade, reads });
      });
      return { server, outcome: done.promise };
    }

    it("fails the handshake when the injected line arrives in one segment with STARTTLS and the ClientHello, and never returns it", async () => {
      const { server, outcome } = await startInjectionTarget();
      const client = await connectWithPrefix(portOf(server), bytes("STARTTLS\r\nINJECTED\r\n"), {
        ca: CA,
        servername: "localhost",
      });
      await expect(within(client.connected)).rejects.toBeDefined();
      const { upgrade, reads } = await within(outcome);
      expect(upgrade).toBeInstanceOf(TlsError);
      for (const read of reads) {
        expect(read).toBe(upgrade); // every read fails with the upgrade's error
        expect(String(read)).not.toContain("INJECTED");
      }
    });

    it("fails the handshake when our client pipelines the injected line before starting TLS", async () => {
      const { server, outcome } = await startInjectionTarget();
      const { writer } = await within(openPlainConnection({ host: HOST, port: portOf(server) }));
      closeAtEnd(writer);
      writer.write(bytes("STARTTLS\r\nINJECTED\r\n"));
      const clientUpgrade: unknown = await within(writer.startTls({ ca: CA }).catch((error: unknown) => error));
      expect(clientUpgrade).toBeInstanceOf(TlsError);
      const { upgrade, reads } = await within(outcome);
      expect(upgrade).toBeInstanceOf(TlsError);
      expect(reads.map(String).join()).not.toContain("INJECTED");
    });
  });

  describe("D12: startTls() on a closing transport, aborted, or reset", () => {
    it("rejects startTls() after close() once the connection is gone, as asyncio's drain() does (ConnectionLostError)", async () => {
      const server = await startPlain(async (reader) => {
        await reader.read();
      });
      const { writer } = await within(openPlainConnection({ host: HOST, port: portOf(server) }));
      writer.close();
      const before = tcpSocketHandles();
      await expect(within(writer.startTls({ ca: CA }))).rejects.toThrow(ConnectionLostError);
      expect(writer.getExtraInfo("sslcontext")).toBeUndefined();
      expect(tcpSocketHandles()).toBeLessThanOrEqual(before);
    });

    it("rejects startTls() after close() with InvalidStateError while the closing transport still flushes", async () => {
      const raw = await startRawServer((socket) => socket.pause()); // never reads
      // A high-water mark above what is queued, so drain() passes and the transport's own check runs.
      const { writer } = await within(
        openPlainConnection({ host: HOST, port: raw.port, writeBufferLimits: { high: 64 * 1024 * 1024 } }),
      );
      writer.write(new Uint8Array(32 * 1024 * 1024));
      writer.close();
      await expect(within(writer.startTls({ ca: CA }))).rejects.toThrow(InvalidStateError);
      (writer.transport as Transport).abort();
    });

    it("rejects a startTls() whose signal is already aborted with the reason, and closes the socket", async () => {
      const raw = await startRawServer();
      const { reader, writer } = await within(openPlainConnection({ host: HOST, port: raw.port }));
      closeAtEnd(writer);
      const reason = new Error("not now");
      await expect(within(writer.startTls({ ca: CA, signal: AbortSignal.abort(reason) }))).rejects.toBe(reason);
      expect(writer.isClosing()).toBe(true);
      await expect(within(reader.read())).rejects.toBe(reason);
      await within(gone(await raw.nextSocket()), MARGIN, "the peer to see the socket close");
    });

    it("rejects with the reason when the signal aborts during the handshake, and closes the socket", async () => {
      const raw = await startRawServer();
      const { writer } = await within(openPlainConnection({ host: HOST, port: raw.port }));
      closeAtEnd(writer);
      const peer = await raw.nextSocket();
      const controller = new AbortController();
      const upgrading = writer.startTls({ ca: CA, signal: controller.signal });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const reason = new Error("took too long");
      controller.abort(reason);
      await expect(within(upgrading)).rejects.toBe(reason);
      await within(gone(peer), MARGIN, "the peer to see the socket close");
    });

    it("rejects promptly with TlsError ECONNRESET when the peer resets the connection during the handshake", async () => {
      const raw = await startRawServer((socket) => socket.once("data", () => socket.resetAndDestroy()));
      const { writer } = await within(openPlainConnection({ host: HOST, port: raw.port }));
      closeAtEnd(writer);
      const started = Date.now();
      const error: unknown = await within(
        writer.startTls({ ca: CA, handshakeTimeout: 10_000 }).catch((failure: unknown) => failure),
      );
      expect(error).toBeInstanceOf(TlsError);
      expect((error as TlsError).code).toBe("ECONNRESET");
      expect(Date.now() - started).toBeLessThan(MARGIN);
    });

    it("makes a pending startTls() reject promptly when close() is called during the handshake", async () => {
      const raw = await startRawServer();
      const { writer } = await within(openPlainConnection({ host: HOST, port: raw.port }));
      const peer = await raw.nextSocket();
      const upgrading = writer.startTls({ ca: CA, handshakeTimeout: 10_000 });
      await new Promise((resolve) => setTimeout(resolve, 50));
      writer.close();
      const error: unknown = await within(
        upgrading.catch((failure: unknown) => failure),
        MARGIN,
        "startTls() to reject",
      );
      expect(error instanceof TlsError || error instanceof InvalidStateError).toBe(true);
      await within(gone(peer), MARGIN, "the peer to see the socket close");
      await within(writer.waitClosed().catch(() => undefined));
    });
  });

  describe("D14: TLS under load and back-pressure", () => {
    it("echoes 1 MiB each way for 10 concurrent TLS clients, byte-exact", async () => {
      expect(await echoThroughTls(10, 1024 * 1024, 15_000)).toEqual([]);
    });
  });

  describe("D15: no leaked sockets after failed handshakes", () => {
    it("returns to the baseline of TCP sockets after 40 handshake timeouts and 40 failed verifications", async () => {
      const silent = await startRawServer();
      const { server } = await startTlsServer(neverCalled, { tls: SELF_SIGNED });
      const before = tcpSocketHandles();
      const timeouts = Array.from({ length: 40 }, () =>
        openConnection({ host: HOST, port: silent.port, tls: { ca: CA }, handshakeTimeout: 100 }).catch(
          (error: unknown) => error,
        ),
      );
      const refusals = Array.from({ length: 40 }, () =>
        openConnection({ host: HOST, port: portOf(server), tls: { ca: CA } }).catch((error: unknown) => error),
      );
      const outcomes = await within(Promise.all([...timeouts, ...refusals]), 10_000, "80 failed handshakes");
      expect(
        outcomes.slice(0, 40).every((error) => (error as TlsError).code === "ERR_ASYNCSTREAMS_TLS_HANDSHAKE_TIMEOUT"),
      ).toBe(true);
      expect(outcomes.slice(40).every((error) => (error as TlsError).code === "DEPTH_ZERO_SELF_SIGNED_CERT")).toBe(
        true,
      );
      for (const socket of silent.accepted) socket.destroy();
      await until(() => tcpSocketHandles() <= before, 5_000, "every socket to close");
    });
  });
});
