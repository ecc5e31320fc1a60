import { once } from "node:events";
import { connect } from "node:net";
import type { Socket } from "node:net";
import { describe, expect, it, vi } from "vitest";
import { openConnection, SocketError, SocketTransport } from "@asyncstreams/net";
import { ConnectionLostError } from "@asyncstreams/writer";
import { bytes, concat, runBriefly, text, within } from "@asyncstreams/test-utils";
import { HOST, closeAtEnd, nextEvent, startHttpTestServer, startRawServer } from "@asyncstreams/test-utils/node";

const REQUEST = "GET / HTTP/1.0\r\n\r\n";

/** A port nobody listens on: bound, then released. */
async function refusedPort(): Promise<number> {
  const raw = await startRawServer();
  await raw.close();
  return raw.port;
}

describe("openConnection() against CPython's HTTP test server", () => {
  it("test_open_connection: reads the status line, then the rest of the response to EOF", async () => {
    const httpd = await startHttpTestServer();
    const errors = vi.spyOn(console, "error");
    const { reader, writer } = await openConnection({ host: HOST, port: httpd.port });
    closeAtEnd(writer);
    writer.write(bytes(REQUEST));
    expect(text(await within(reader.readLine()))).toBe("HTTP/1.0 200 OK\r\n");
    expect(text(await within(reader.read()))).toMatch(/\r\n\r\nTest message$/);
    writer.close();
    await within(writer.waitClosed());
    expect(errors).not.toHaveBeenCalled();
  });

  it("test_open_connection_error: connectionLost(error) makes read() reject with that same object, reported nowhere", async () => {
    const httpd = await startHttpTestServer();
    const errors = vi.spyOn(console, "error");
    const { reader, writer } = await openConnection({ host: HOST, port: httpd.port });
    closeAtEnd(writer);
    writer.write(bytes(REQUEST));
    const protocol = (writer.transport as SocketTransport).getProtocol()!;
    const error = new Error("ZeroDivisionError");
    protocol.connectionLost(error);
    await expect(within(reader.read())).rejects.toBe(error);
    await expect(within(writer.drain())).rejects.toBe(error);
    const socket = writer.getExtraInfo("socket") as Socket;
    const socketClosed = nextEvent(socket, "close");
    writer.close();
    await runBriefly(2);
    await within(socketClosed, 5_000, "the socket to close");
    await expect(writer.waitClosed()).rejects.toBe(error);
    expect(errors).not.toHaveBeenCalled();
  });

  it("test_wait_closed_on_close: close() makes isClosing() true and waitClosed() resolve", async () => {
    const httpd = await startHttpTestServer();
    const { reader, writer } = await openConnection({ host: HOST, port: httpd.port });
    closeAtEnd(writer);
    writer.write(bytes(REQUEST));
    expect(text(await within(reader.readLine()))).toBe("HTTP/1.0 200 OK\r\n");
    expect(text(await within(reader.read()))).toMatch(/\r\n\r\nTest message$/);
    // The peer's FIN leaves the connection half-open: it is not closing until we close it.
    expect(writer.isClosing()).toBe(false);
    writer.close();
    expect(writer.isClosing()).toBe(true);
    await expect(within(writer.waitClosed())).resolves.toBeUndefined();
  });

  it("test_wait_closed_on_close_with_unread_data: close() and waitClosed() complete with the body unread", async () => {
    const httpd = await startHttpTestServer();
    const { reader, writer } = await openConnection({ host: HOST, port: httpd.port });
    closeAtEnd(writer);
    writer.write(bytes(REQUEST));
    expect(text(await within(reader.readLine()))).toBe("HTTP/1.0 200 OK\r\n");
    expect(writer.isClosing()).toBe(false);
    writer.close();
    expect(writer.isClosing()).toBe(true);
    await expect(within(writer.waitClosed())).resolves.toBeUndefined();
  });

  it("test_async_writer_api: a whole request, response and close in one async function reports nothing", async () => {
    const httpd = await startHttpTestServer();
    const errors = vi.spyOn(console, "error");
    const warnings = vi.spyOn(console, "warn");
    const { reader, writer } = await openConnection({ host: HOST, port: httpd.port });
    closeAtEnd(writer);
    writer.write(bytes(REQUEST));
    await writer.drain();
    expect(text(await within(reader.readLine()))).toBe("HTTP/1.0 200 OK\r\n");
    expect(text(await within(reader.read()))).toMatch(/\r\n\r\nTest message$/);
    writer.close();
    await within(writer.waitClosed());
    expect(errors).not.toHaveBeenCalled();
    expect(warnings).not.toHaveBeenCalled();
  });

  it("test_async_writer_api_exception_after_close: write() after close() is dropped and drain() rejects with ConnectionLostError", async () => {
    const httpd = await startHttpTestServer();
    const errors = vi.spyOn(console, "error");
    const { reader, writer } = await openConnection({ host: HOST, port: httpd.port });
    closeAtEnd(writer);
    writer.write(bytes(REQUEST));
    expect(text(await within(reader.readLine()))).toBe("HTTP/1.0 200 OK\r\n");
    expect(text(await within(reader.read()))).toMatch(/\r\n\r\nTest message$/);
    writer.close();
    expect(() => writer.write(bytes("data"))).not.toThrow();
    const failure = await within(writer.drain()).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ConnectionLostError);
    expect(failure).toMatchObject({
      code: "ERR_CONNECTION_LOST",
      message: expect.stringContaining("closed by this side with close()") as unknown,
    });
    await within(writer.waitClosed());
    expect(errors).not.toHaveBeenCalled();
  });

  it("test_eof_feed_when_closing_writer: closing the writer feeds EOF to its own reader", async () => {
    const httpd = await startHttpTestServer();
    const { reader, writer } = await openConnection({ host: HOST, port: httpd.port });
    closeAtEnd(writer);
    writer.close();
    await within(writer.waitClosed());
    expect(reader.atEof()).toBe(true);
    expect(await within(reader.read())).toEqual(new Uint8Array(0));
  });
});

describe("openConnection() against a peer that goes away", () => {
  it("test_drain_raises: a write()+drain() loop against a closed peer ends with a connection error", async () => {
    const raw = await startRawServer((socket) => socket.destroy()); // accept, then close at once
    const { writer } = await openConnection({ host: HOST, port: raw.port });
    closeAtEnd(writer);
    const line = bytes("foo\n");
    const deadline = Date.now() + 10_000;
    let failure: unknown;
    let iterations = 0;
    try {
      for (; iterations < 10_000_000 && Date.now() < deadline; iterations++) {
        writer.write(line);
        await writer.drain();
      }
    } catch (error) {
      failure = error;
    }
    expect(failure, `no error after ${iterations} iterations`).toBeDefined();
    expect(["EPIPE", "ECONNRESET", "ECONNABORTED", "ERR_CONNECTION_LOST"]).toContain(
      (failure as { code?: unknown }).code,
    );
    // Every later drain() reports the same failure object.
    if (failure instanceof SocketError) await expect(writer.drain()).rejects.toBe(failure);
  });

  it("test_open_connection_happy_eyeball_refcycles (adapted): a refused connection under happyEyeballs rejects with SocketError ECONNREFUSED and its cause", async () => {
    const port = await refusedPort();
    const failure = await openConnection({
      host: "localhost",
      port,
      happyEyeballs: true,
      happyEyeballsDelay: 250,
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SocketError);
    expect(failure).toMatchObject({ code: "ECONNREFUSED" });
    expect((failure as SocketError).cause).toBeInstanceOf(Error);
    expect((failure as SocketError).message).toMatch(/^Cannot connect to localhost:\d+: /);
  });
});

describe("openConnection() options", () => {
  it("exposes peername, sockname and the socket through getExtraInfo()", async () => {
    const raw = await startRawServer();
    const { writer } = await openConnection({ host: HOST, port: raw.port });
    closeAtEnd(writer);
    const accepted = await raw.nextSocket();
    expect(writer.getExtraInfo("peername")).toEqual({ address: HOST, family: "IPv4", port: raw.port });
    expect(writer.getExtraInfo("sockname")).toEqual({ address: HOST, family: "IPv4", port: accepted.remotePort });
    const socket = writer.getExtraInfo("socket") as Socket;
    expect(socket.remotePort).toBe(raw.port);
    writer.close();
    await within(writer.waitClosed());
    // Addresses are kept for after the close, when the socket has forgotten them.
    expect(writer.getExtraInfo("peername")).toEqual({ address: HOST, family: "IPv4", port: raw.port });
  });

  it("rejects a limit <= 0 with RangeError before any connection is made", async () => {
    const raw = await startRawServer();
    await expect(openConnection({ host: HOST, port: raw.port, limit: 0 })).rejects.toThrow(RangeError);
    await expect(openConnection({ host: HOST, port: raw.port, limit: -1 })).rejects.toThrow(RangeError);
    await runBriefly(5);
    expect(raw.accepted).toHaveLength(0);
  });

  it("rejects socket together with port or host with TypeError, and neither with TypeError", async () => {
    const raw = await startRawServer();
    const socket = connect({ host: HOST, port: raw.port });
    socket.on("error", () => undefined);
    try {
      await expect(openConnection({ socket, port: raw.port })).rejects.toThrow(TypeError);
      await expect(openConnection({ socket, host: HOST })).rejects.toThrow(/can not be specified at the same time/);
      await expect(openConnection({})).rejects.toThrow(TypeError);
      await expect(openConnection({ host: HOST })).rejects.toThrow(/no socket specified/);
    } finally {
      socket.destroy();
    }
  });

  it("adopts an already connected socket given as socket (asyncio's sock=)", async () => {
    const raw = await startRawServer((peer) => peer.pipe(peer));
    const socket = connect({ host: HOST, port: raw.port });
    await within(once(socket, "connect"));
    const { reader, writer } = await openConnection({ socket });
    closeAtEnd(writer);
    expect(writer.getExtraInfo("socket")).toBe(socket);
    writer.write(bytes("ping\n"));
    expect(text(await within(reader.readLine()))).toBe("ping\n");
    // Ownership passed to the transport: closing the writer closes the socket, before waitClosed() resolves.
    writer.close();
    await within(writer.waitClosed());
    expect(socket.destroyed).toBe(true);
  });

  it("applies the reader limit: a longer line throws LimitOverrunError", async () => {
    const raw = await startRawServer((peer) => peer.end("0123456789\nok\n"));
    const { reader, writer } = await openConnection({ host: HOST, port: raw.port, limit: 4 });
    closeAtEnd(writer);
    await expect(within(reader.readLine())).rejects.toMatchObject({ code: "ERR_LIMIT_OVERRUN" });
    expect(text(await within(reader.readLine()))).toBe("ok\n");
  });

  it("applies writeBufferLimits to the transport", async () => {
    const raw = await startRawServer();
    const { writer } = await openConnection({ host: HOST, port: raw.port, writeBufferLimits: { high: 1_000 } });
    closeAtEnd(writer);
    expect((writer.transport as SocketTransport).getWriteBufferLimits()).toEqual({ high: 1_000, low: 250 });
  });

  it("keeps the connection half-open after the peer's FIN: the peer still receives what we write", async () => {
    const received: Uint8Array[] = [];
    const raw = await startRawServer(
      (peer) => {
        peer.on("data", (chunk: Buffer) => received.push(chunk));
        peer.end("bye\n");
      },
      { allowHalfOpen: true },
    );
    const { reader, writer } = await openConnection({ host: HOST, port: raw.port });
    closeAtEnd(writer);
    const peer = await raw.nextSocket();
    const peerEnded = nextEvent(peer, "end");
    expect(text(await within(reader.read()))).toBe("bye\n");
    expect(reader.atEof()).toBe(true);
    expect(writer.isClosing()).toBe(false);
    writer.write(bytes("still here\n"));
    await writer.drain();
    writer.writeEof();
    await within(peerEnded, 5_000, "the peer to see our FIN");
    expect(text(concat(received))).toBe("still here\n");
  });
});

describe("openConnection() errors", () => {
  it("a refused connection rejects with SocketError: code, syscall, address and port come from Node's error, kept as cause", async () => {
    const raw = await startRawServer();
    await raw.close();
    const failure = await openConnection({ host: HOST, port: raw.port }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SocketError);
    const error = failure as SocketError;
    expect(error.code).toBe("ECONNREFUSED");
    expect(error.syscall).toBe("connect");
    expect(error.address).toBe(HOST);
    expect(error.port).toBe(raw.port);
    expect(error.cause).toBeInstanceOf(Error);
    expect((error.cause as { code?: unknown }).code).toBe("ECONNREFUSED");
    expect(error.message).toBe(`Cannot connect to ${HOST}:${raw.port}: ${(error.cause as Error).message}`);
  });
});
