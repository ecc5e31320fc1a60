import { afterEach, describe, expect, it, vi } from "vitest";
import { StreamReader } from "@asyncstreams/reader";
import { ConnectionLostError, StreamWriter } from "@asyncstreams/writer";
import { ConnectionResetError, StreamReaderProtocol, createStreams, memoryTransportPair } from "@asyncstreams/protocol";
import type {
  ClientConnectedCallback,
  ClientErrorContext,
  MemoryTransportOptions,
  StreamReaderProtocolOptions,
  Transport,
} from "@asyncstreams/protocol";
import { bytes, eventLoopTurn, text, track, watchUnhandledRejections, within } from "@asyncstreams/test-utils";

/** Python's ZeroDivisionError, for the _basetest_open_connection_error port. */
class ZeroDivisionErrorLike extends Error {
  override name = "ZeroDivisionError";
}

/** A client-side protocol on one end of a pair; the other end gets plain `createStreams()`. */
function clientSide(pairOptions: MemoryTransportOptions = {}) {
  const [transport, peerEnd] = memoryTransportPair(pairOptions);
  const reader = new StreamReader();
  const protocol = new StreamReaderProtocol(reader);
  transport.setProtocol(protocol);
  protocol.connectionMade(transport);
  const writer = new StreamWriter(transport, { protocol, reader });
  const peer = createStreams(peerEnd);
  return { transport, peerEnd, reader, protocol, writer, peer };
}

/** A server-side protocol (with onClient) on one end of a pair; the client gets `createStreams()`. */
function serverSide(options: StreamReaderProtocolOptions) {
  const [clientEnd, serverEnd] = memoryTransportPair();
  const client = createStreams(clientEnd);
  const protocol = new StreamReaderProtocol(new StreamReader(), options);
  serverEnd.setProtocol(protocol);
  protocol.connectionMade(serverEnd);
  return { client, clientEnd, serverEnd, protocol };
}

/** Closes both ends of a pair and lets the losses run (bounded). */
async function closeAll(...transports: Transport[]): Promise<void> {
  for (const transport of transports) transport.close();
  await eventLoopTurn();
  for (const transport of transports) expect(transport.isClosing()).toBe(true);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("StreamReaderProtocol", () => {
  describe("connectionMade()", () => {
    it("gives the reader its transport and exposes reader and transport", async () => {
      const { transport, peerEnd, reader, protocol } = clientSide();
      expect(protocol.reader).toBe(reader);
      expect(protocol.transport).toBe(transport);
      expect(String(reader)).toContain("transport=<MemoryTransport memory:left>");
      await closeAll(transport, peerEnd);
    });

    it("isServerSide is true only with an onClient callback", async () => {
      const client = clientSide();
      expect(client.protocol.isServerSide).toBe(false);
      const server = serverSide({ onClient: () => undefined });
      expect(server.protocol.isServerSide).toBe(true);
      expect(new StreamReaderProtocol(new StreamReader(), {}).isServerSide).toBe(false);
      await closeAll(client.transport, client.peerEnd, server.serverEnd, server.clientEnd);
    });
  });

  describe("dataReceived(), eofReceived() and connectionLost()", () => {
    it("dataReceived() feeds the reader", async () => {
      const { transport, peerEnd, reader, protocol } = clientSide();
      protocol.dataReceived(bytes("line1\n"));
      expect(text(await reader.readLine())).toBe("line1\n");
      await closeAll(transport, peerEnd);
    });

    it("eofReceived() feeds EOF to the reader and returns true on a plain transport, keeping it half-open", async () => {
      const { transport, peerEnd, reader, protocol, peer } = clientSide();
      expect(protocol.eofReceived()).toBe(true);
      expect(reader.atEof()).toBe(true);
      // end to end: the peer half-closes, this side keeps writing
      peer.writer.writeEof();
      await eventLoopTurn();
      expect(transport.isClosing()).toBe(false);
      transport.write(bytes("still open"));
      expect(text(await within(peer.reader.read(100)))).toBe("still open");
      await closeAll(transport, peerEnd);
    });

    it("eofReceived() returns false when getExtraInfo('sslcontext') is defined, so a TLS transport closes itself on EOF", async () => {
      const { transport, peerEnd, reader, protocol, peer } = clientSide({
        extraInfo: [{ sslcontext: { tls: true } }, {}],
      });
      const closed = track(protocol.closeWaiter());
      peer.writer.writeEof();
      await eventLoopTurn();
      expect(reader.atEof()).toBe(true);
      expect(transport.isClosing()).toBe(true);
      expect(closed.settled && !closed.rejected).toBe(true);
      expect(protocol.eofReceived()).toBe(false);
      await closeAll(peerEnd);
    });

    it("eofReceived() treats an sslcontext of null as a plain connection, as asyncio's `is not None`", async () => {
      const { transport, peerEnd, protocol } = clientSide({ extraInfo: [{ sslcontext: null }, {}] });
      expect(protocol.eofReceived()).toBe(true);
      await closeAll(transport, peerEnd);
    });

    it("connectionLost(undefined) feeds EOF, resolves the close waiter and forgets the reader and transport", async () => {
      const { transport, peerEnd, reader, protocol } = clientSide();
      protocol.dataReceived(bytes("tail"));
      protocol.connectionLost(undefined);
      expect(reader.exception()).toBeUndefined();
      expect(text(await reader.read())).toBe("tail");
      expect(reader.atEof()).toBe(true);
      await expect(protocol.closeWaiter()).resolves.toBeUndefined();
      expect(protocol.reader).toBeNull();
      expect(protocol.transport).toBeNull();
      expect(() => protocol.dataReceived(bytes("late"))).not.toThrow();
      expect(protocol.eofReceived()).toBe(true);
      await closeAll(transport, peerEnd);
    });

    it("connectionLost(error) sets the reader's exception and does not feed EOF", async () => {
      const { transport, peerEnd, reader, protocol } = clientSide();
      const error = new Error("reset");
      protocol.connectionLost(error);
      expect(reader.exception()).toBe(error);
      expect(reader.atEof()).toBe(false);
      await expect(reader.read()).rejects.toBe(error);
      await expect(reader.readLine()).rejects.toBe(error);
      await expect(protocol.closeWaiter()).rejects.toBe(error);
      await closeAll(transport, peerEnd);
    });

    it("a second connectionLost() changes nothing: the close waiter keeps its first outcome", async () => {
      const { transport, peerEnd, reader, protocol } = clientSide();
      const error = new Error("first");
      protocol.connectionLost(error);
      protocol.connectionLost(undefined);
      protocol.connectionLost(new Error("second"));
      expect(reader.exception()).toBe(error);
      await expect(protocol.closeWaiter()).rejects.toBe(error);
      await closeAll(transport, peerEnd);
    });

    it("read() rejects with the very error given to connectionLost(), then close() reports nothing (_basetest_open_connection_error, test_open_connection_error)", async () => {
      const watch = watchUnhandledRejections();
      try {
        const [clientEnd, serverEnd] = memoryTransportPair();
        const { reader, writer } = createStreams(clientEnd);
        const server = createStreams(serverEnd);
        writer.write(bytes("GET / HTTP/1.0\r\n\r\n"));
        const protocol = clientEnd.getProtocol() as StreamReaderProtocol;
        const error = new ZeroDivisionErrorLike();
        protocol.connectionLost(error);
        await expect(reader.read()).rejects.toBe(error);
        writer.close();
        await eventLoopTurn(2); // run_briefly
        expect(watch.reasons).toEqual([]);
        server.writer.close();
        await eventLoopTurn();
        expect(serverEnd.isClosing()).toBe(true);
      } finally {
        watch.stop();
      }
    });
  });

  describe("drain() through the protocol", () => {
    it("connectionLost(undefined) while paused resolves pending drain() calls and later ones throw ConnectionLostError", async () => {
      const { transport, peerEnd, protocol, writer } = clientSide();
      protocol.pauseWriting();
      const first = track(writer.drain());
      const second = track(writer.drain());
      await eventLoopTurn();
      expect(first.settled || second.settled).toBe(false);
      protocol.connectionLost(undefined);
      await eventLoopTurn();
      expect(first.settled && !first.rejected).toBe(true);
      expect(second.settled && !second.rejected).toBe(true);
      const later: unknown = await writer.drain().catch((error: unknown) => error);
      expect(later).toBeInstanceOf(ConnectionLostError);
      expect((later as Error).message).toBe("Connection lost");
      await closeAll(transport, peerEnd);
    });

    it("connectionLost(error) while paused rejects pending drain() calls with that error, and later drain() calls throw it too", async () => {
      const { transport, peerEnd, protocol, writer } = clientSide();
      protocol.pauseWriting();
      const pending = [track(writer.drain()), track(writer.drain())];
      const error = new ConnectionResetError();
      protocol.connectionLost(error);
      await eventLoopTurn();
      for (const waiter of pending) expect(waiter.error).toBe(error);
      await expect(writer.drain()).rejects.toBe(error); // the reader's stored exception, the same object
      await expect(writer.waitClosed()).rejects.toBe(error);
      await closeAll(transport, peerEnd);
    });

    it("waitClosed() never causes an unhandled rejection when nobody awaits it", async () => {
      const watch = watchUnhandledRejections();
      try {
        const { transport, peerEnd, protocol } = clientSide();
        protocol.connectionLost(new Error("nobody listens"));
        await eventLoopTurn(3);
        expect(watch.reasons).toEqual([]);
        await closeAll(transport, peerEnd);
        await eventLoopTurn(2);
        expect(watch.reasons).toEqual([]);
      } finally {
        watch.stop();
      }
    });
  });

  describe("replaceTransport()", () => {
    it("replaceTransport() points the protocol at the new transport and re-reads sslcontext", async () => {
      const { transport, peerEnd, protocol } = clientSide();
      const [tlsEnd, tlsPeer] = memoryTransportPair({ extraInfo: [{ sslcontext: { tls: true } }, {}] });
      expect(protocol.eofReceived()).toBe(true);
      protocol.replaceTransport(tlsEnd);
      expect(protocol.transport).toBe(tlsEnd);
      expect(protocol.eofReceived()).toBe(false);
      await closeAll(transport, peerEnd, tlsEnd, tlsPeer);
    });

    it("StreamWriter.startTls() on an upgradable transport switches the writer and the protocol to the TLS transport", async () => {
      const [plain, plainPeer] = memoryTransportPair();
      const [tlsEnd, tlsPeer] = memoryTransportPair({ extraInfo: [{ sslcontext: { tls: true } }, {}] });
      const startTls = vi.fn((_options: unknown, _takeBuffered?: () => Uint8Array) => Promise.resolve(tlsEnd));
      const upgradable: Transport = Object.assign(plain, { startTls });
      const { writer } = createStreams(upgradable);
      const protocol = plain.getProtocol() as StreamReaderProtocol;
      const peer = createStreams(tlsPeer);
      plainPeer.write(bytes("ciphertext"));
      await eventLoopTurn();
      expect(writer.getExtraInfo("sslcontext")).toBeUndefined();
      await writer.startTls({ serverName: "localhost" });
      expect(startTls).toHaveBeenCalledWith({ serverName: "localhost" }, expect.any(Function));
      // The writer hands the transport the reader's unread bytes through the typed callback.
      const takeBuffered = startTls.mock.calls[0]![1]!;
      expect(text(takeBuffered())).toBe("ciphertext");
      expect(takeBuffered()).toHaveLength(0);
      expect(writer.transport).toBe(tlsEnd);
      expect(protocol.transport).toBe(tlsEnd);
      expect(writer.getExtraInfo("sslcontext")).toEqual({ tls: true });
      writer.write(bytes("secret\n"));
      expect(text(await within(peer.reader.readLine()))).toBe("secret\n");
      await closeAll(plain, plainPeer, tlsEnd, tlsPeer);
    });
  });

  describe("server side: onClient", () => {
    it("runs a plain onClient synchronously inside connectionMade() with the reader and a writer on the transport", async () => {
      const seen: { reader: StreamReader; writer: StreamWriter }[] = [];
      const { serverEnd, clientEnd, protocol } = serverSide({
        onClient: (reader, writer) => void seen.push({ reader, writer }),
      });
      expect(seen).toHaveLength(1);
      expect(seen[0]!.reader).toBe(protocol.reader);
      expect(seen[0]!.writer).toBeInstanceOf(StreamWriter);
      expect(seen[0]!.writer.transport).toBe(serverEnd);
      await eventLoopTurn();
      expect(serverEnd.isClosing()).toBe(false); // a callback that returns keeps the connection open
      await closeAll(serverEnd, clientEnd);
    });

    it.each<[string, (handle: ClientConnectedCallback) => ClientConnectedCallback]>([
      ["an async callback", (handle) => handle],
      ["a plain callback that starts the handler itself", (handle) => (reader, writer) => void handle(reader, writer)],
    ])("echoes a line with %s (test_start_server in memory)", async (_label, wrap) => {
      const onError = vi.fn();
      const handleClient: ClientConnectedCallback = async (reader, writer) => {
        const data = await reader.readLine();
        writer.write(data);
        await writer.drain();
        writer.close();
        await writer.waitClosed();
      };
      const { client, clientEnd, serverEnd } = serverSide({ onClient: wrap(handleClient), onError });
      client.writer.write(bytes("hello world!\n"));
      expect(text(await within(client.reader.readLine()))).toBe("hello world!\n");
      client.writer.close();
      await within(client.writer.waitClosed());
      await eventLoopTurn();
      expect(serverEnd.isClosing() && clientEnd.isClosing()).toBe(true);
      expect(onError).not.toHaveBeenCalled();
    });

    it("an async onClient that resolves leaves the connection open", async () => {
      const { serverEnd, clientEnd } = serverSide({ onClient: async () => undefined });
      await eventLoopTurn();
      expect(serverEnd.isClosing()).toBe(false);
      await closeAll(serverEnd, clientEnd);
    });

    it("an async onClient that rejects is reported to onError with asyncio's message, then its transport is closed and the client sees EOF (test_unhandled_exception, gh-110894)", async () => {
      const reports: { error: unknown; context: ClientErrorContext; closingDuringHook: boolean }[] = [];
      const failure = new Error("test");
      const { client, clientEnd, serverEnd } = serverSide({
        onClient: async () => {
          await Promise.resolve();
          throw failure;
        },
        onError: (error, context) =>
          void reports.push({ error, context, closingDuringHook: context.transport.isClosing() }),
      });
      client.writer.write(bytes("test msg"));
      await client.writer.drain();
      expect(text(await within(client.reader.read()))).toBe(""); // EOF: the server closed its end
      client.writer.close();
      await within(client.writer.waitClosed());
      expect(reports).toHaveLength(1);
      expect(reports[0]!.error).toBe(failure);
      expect(reports[0]!.context.message).toBe("Unhandled exception in client_connected_cb");
      expect(reports[0]!.context.transport).toBe(serverEnd);
      expect(reports[0]!.closingDuringHook).toBe(false); // reported first, then closed
      expect(serverEnd.isClosing() && clientEnd.isClosing()).toBe(true);
    });

    it("an onClient rejection with an AbortError closes the transport silently (test_unhandled_cancel, gh-113538)", async () => {
      const onError = vi.fn();
      const consoleError = vi.spyOn(console, "error").mockImplementation(() => undefined);
      const { client, clientEnd, serverEnd } = serverSide({
        onClient: async (_reader, writer) => {
          writer.close();
          await Promise.resolve();
          throw new DOMException("x", "AbortError");
        },
        onError,
      });
      client.writer.write(bytes("test msg"));
      await client.writer.drain().catch(() => undefined);
      client.writer.close();
      // The server closed first, so "test msg" may meet a closed end and reset the client, as on TCP.
      await within(client.writer.waitClosed().catch(() => undefined));
      await eventLoopTurn();
      expect(onError).not.toHaveBeenCalled();
      expect(consoleError).not.toHaveBeenCalled();
      expect(serverEnd.isClosing() && clientEnd.isClosing()).toBe(true);
    });

    it("an AbortError from onClient closes the transport even when the handler did not", async () => {
      const onError = vi.fn();
      const { client, clientEnd, serverEnd } = serverSide({
        onClient: () => Promise.reject(new DOMException("cancelled", "AbortError")),
        onError,
      });
      expect(text(await within(client.reader.read()))).toBe("");
      expect(serverEnd.isClosing()).toBe(true);
      expect(onError).not.toHaveBeenCalled();
      await closeAll(clientEnd);
    });

    it("a plain onClient that throws is reported and its transport closed, and connectionMade() does not throw (gh-155941)", async () => {
      const onError = vi.fn();
      const failure = new TypeError("handler bug");
      const [clientEnd, serverEnd] = memoryTransportPair();
      const client = createStreams(clientEnd);
      const protocol = new StreamReaderProtocol(new StreamReader(), {
        onClient: () => {
          throw failure;
        },
        onError,
      });
      serverEnd.setProtocol(protocol);
      expect(() => protocol.connectionMade(serverEnd)).not.toThrow();
      expect(onError).toHaveBeenCalledTimes(1);
      expect(onError).toHaveBeenCalledWith(failure, {
        message: "Unhandled exception in client_connected_cb",
        transport: serverEnd,
      });
      expect(serverEnd.isClosing()).toBe(true);
      expect(text(await within(client.reader.read()))).toBe("");
      await closeAll(clientEnd);
    });

    it("reports to console.error by default", async () => {
      const consoleError = vi.spyOn(console, "error").mockImplementation(() => undefined);
      const failure = new Error("unhandled");
      const { clientEnd, serverEnd } = serverSide({ onClient: () => Promise.reject(failure) });
      await eventLoopTurn();
      expect(consoleError).toHaveBeenCalledTimes(1);
      expect(consoleError).toHaveBeenCalledWith("Unhandled exception in client_connected_cb", failure);
      expect(serverEnd.isClosing()).toBe(true);
      await closeAll(clientEnd, serverEnd);
    });

    it("an onError hook that throws does not escape: its error goes to console.error and the transport is still closed", async () => {
      const consoleError = vi.spyOn(console, "error").mockImplementation(() => undefined);
      const watch = watchUnhandledRejections();
      try {
        const hookError = new Error("hook bug");
        const onError = (): void => {
          throw hookError;
        };
        const asyncFailure = serverSide({ onClient: () => Promise.reject(new Error("async")), onError });
        const [clientEnd, serverEnd] = memoryTransportPair();
        const protocol = new StreamReaderProtocol(new StreamReader(), {
          onClient: () => {
            throw new Error("sync");
          },
          onError,
        });
        serverEnd.setProtocol(protocol);
        expect(() => protocol.connectionMade(serverEnd)).not.toThrow();
        await eventLoopTurn(3);
        expect(watch.reasons).toEqual([]);
        expect(consoleError).toHaveBeenCalledTimes(2);
        expect(consoleError).toHaveBeenCalledWith("Exception in the onError hook", hookError);
        expect(asyncFailure.serverEnd.isClosing()).toBe(true);
        expect(serverEnd.isClosing()).toBe(true);
        await closeAll(asyncFailure.clientEnd, clientEnd);
      } finally {
        watch.stop();
      }
    });

    it("holds no reference to the writer it creates: the writer is reachable only through the callback's arguments (gh-114914)", async () => {
      let writer: StreamWriter | undefined;
      const { serverEnd, clientEnd, protocol } = serverSide({
        onClient: (_reader, created) => void (writer = created),
      });
      expect(writer).toBeInstanceOf(StreamWriter);
      expect(Object.keys(protocol)).toEqual([]);
      const reachable: unknown[] = [];
      for (
        let object: object | null = protocol;
        object !== null;
        object = Object.getPrototypeOf(object) as object | null
      ) {
        for (const key of Reflect.ownKeys(object)) {
          const descriptor = Object.getOwnPropertyDescriptor(object, key)!;
          if (descriptor.get !== undefined) reachable.push(Reflect.get(protocol, key));
          else if (object === protocol) reachable.push(descriptor.value);
        }
      }
      expect(reachable.length).toBeGreaterThan(0); // reader, transport, isServerSide at least
      for (const value of reachable) expect(value).not.toBeInstanceOf(StreamWriter);
      expect(Reflect.has(protocol, "writer")).toBe(false);
      await closeAll(serverEnd, clientEnd);
    });
  });
});
