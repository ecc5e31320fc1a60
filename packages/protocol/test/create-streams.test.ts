import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_LIMIT, InvalidStateError, StreamReader } from "@asyncstreams/reader";
import { ConnectionLostError, StreamWriter } from "@asyncstreams/writer";
import { ConnectionResetError, StreamReaderProtocol, createStreams, memoryTransportPair } from "@asyncstreams/protocol";
import type { Streams } from "@asyncstreams/protocol";
import { bytes, eventLoopTurn, text, track, watchUnhandledRejections, within } from "@asyncstreams/test-utils";

const REQUEST = "GET / HTTP/1.0\r\n\r\n";
const RESPONSE = "HTTP/1.0 200 OK\r\nContent-type: text/plain\r\n\r\nTest message";

/** Both ends of a memory pair as streams. */
function pair(limit?: number) {
  const [left, right] = memoryTransportPair();
  const client = createStreams(left, { limit });
  const server = createStreams(right);
  return { left, right, client, server };
}

/** CPython's run_test_server(): answers any request with RESPONSE, then closes the connection. */
async function httpServer({ reader, writer }: Streams): Promise<void> {
  await reader.readUntil(bytes("\r\n\r\n"));
  writer.write(bytes(RESPONSE));
  writer.close();
  await writer.waitClosed();
}

/** Closes both writers and checks both connections are gone (bounded). */
async function closeBoth(...streams: Streams[]): Promise<void> {
  for (const { writer } of streams) writer.close();
  await eventLoopTurn();
  for (const { writer } of streams) {
    expect(writer.isClosing()).toBe(true);
    await within(writer.waitClosed().catch(() => undefined));
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("createStreams", () => {
  it("wires a StreamReaderProtocol to the transport and wraps the transport in a StreamWriter", async () => {
    const [left, right] = memoryTransportPair();
    expect(left.getProtocol()).toBeNull();
    const streams = createStreams(left);
    const peer = createStreams(right);
    expect(streams.reader).toBeInstanceOf(StreamReader);
    expect(streams.writer).toBeInstanceOf(StreamWriter);
    expect(streams.writer.transport).toBe(left);
    const protocol = left.getProtocol();
    expect(protocol).toBeInstanceOf(StreamReaderProtocol);
    expect((protocol as StreamReaderProtocol).reader).toBe(streams.reader);
    expect((protocol as StreamReaderProtocol).transport).toBe(left);
    expect((protocol as StreamReaderProtocol).isServerSide).toBe(false);
    await closeBoth(streams, peer);
  });

  it("passes limit to the reader, 64 KiB by default", async () => {
    const [left, right] = memoryTransportPair();
    const limited = createStreams(left, { limit: 5 });
    const unlimited = createStreams(right);
    expect(limited.reader.limit).toBe(5);
    expect(unlimited.reader.limit).toBe(DEFAULT_LIMIT);
    await closeBoth(limited, unlimited);
  });

  it("uses a reader made beforehand when one is given, ignoring limit", async () => {
    const [left, right] = memoryTransportPair();
    const reader = new StreamReader({ limit: 7 });
    const streams = createStreams(left, { reader, limit: 100 });
    const peer = createStreams(right);
    expect(streams.reader).toBe(reader);
    expect(reader.limit).toBe(7);
    expect((left.getProtocol() as StreamReaderProtocol).reader).toBe(reader);
    peer.writer.write(bytes("fed\n"));
    expect(text(await within(reader.readLine()))).toBe("fed\n");
    await closeBoth(streams, peer);
  });

  it.each([0, -1])("throws RangeError for limit %d, before attaching anything to the transport", (limit) => {
    const [left, right] = memoryTransportPair();
    expect(() => createStreams(left, { limit })).toThrow(RangeError);
    expect(left.getProtocol()).toBeNull();
    left.abort();
    right.abort();
  });

  it("refuses a transport that already has a protocol with a TypeError, and the first pair keeps the connection", async () => {
    const [left, right] = memoryTransportPair();
    const first = createStreams(left);
    const protocol = left.getProtocol();
    const reader = new StreamReader();
    expect(() => createStreams(left, { reader })).toThrow(
      new TypeError(
        "Cannot create streams: the transport already has a protocol; call createStreams() once per connection, on a transport that has none",
      ),
    );
    expect(left.getProtocol()).toBe(protocol);
    expect(reader.toString()).toBe("<StreamReader>"); // left alone: it can serve another connection
    const peer = createStreams(right);
    peer.writer.write(bytes("hi\n"));
    expect(text(await within(first.reader.readLine()))).toBe("hi\n");
    await closeBoth(first, peer);
  });

  it("refuses a reader that another transport feeds with a TypeError, before the transport gets a protocol: nothing from the second connection reaches it", async () => {
    const reader = new StreamReader();
    const [left1, right1] = memoryTransportPair();
    const [left2, right2] = memoryTransportPair();
    const first = createStreams(left1, { reader });
    const peer1 = createStreams(right1);
    const peer2 = createStreams(right2);
    let error: unknown;
    try {
      createStreams(left2, { reader });
    } catch (caught) {
      error = caught;
    }
    expect(error).toEqual(
      new TypeError(
        "Cannot create streams: the reader already has a transport; pass a new StreamReader, one per connection",
      ),
    );
    expect((error as Error).cause).toBeInstanceOf(InvalidStateError);
    expect(left2.getProtocol()).toBeNull();
    peer1.writer.write(bytes("from the first connection\n"));
    peer2.writer.write(bytes("from the second connection\n"));
    await eventLoopTurn();
    expect(text(await within(reader.readLine()))).toBe("from the first connection\n");
    expect(reader.bufferedLength).toBe(0);
    const second = createStreams(left2); // the transport was left untouched: a new reader gets its bytes
    expect(text(await within(second.reader.readLine()))).toBe("from the second connection\n");
    await closeBoth(first, peer1, second, peer2);
  });

  it("echoes end to end over the memory pair", async () => {
    const { client, server } = pair();
    const echo = track(
      (async () => {
        const line = await server.reader.readLine();
        server.writer.write(line);
        await server.writer.drain();
      })(),
    );
    client.writer.write(bytes("hello world!\n"));
    await client.writer.drain();
    expect(text(await within(client.reader.readLine()))).toBe("hello world!\n");
    await eventLoopTurn();
    expect(echo.settled && !echo.rejected).toBe(true);
    await closeBoth(client, server);
  });

  it("half-closes: after writeEof() the other side reads to EOF and can still write back, and the first side reads it", async () => {
    const { client, server } = pair();
    expect(client.writer.canWriteEof()).toBe(true);
    client.writer.write(bytes("request"));
    client.writer.writeEof();
    expect(text(await within(server.reader.read()))).toBe("request"); // read() runs to EOF
    expect(server.reader.atEof()).toBe(true);
    expect(server.writer.isClosing()).toBe(false);
    server.writer.write(bytes("response"));
    await server.writer.drain();
    server.writer.close();
    expect(text(await within(client.reader.read()))).toBe("response");
    expect(client.reader.atEof()).toBe(true);
    await closeBoth(client, server);
  });

  it("the writer's getExtraInfo() gives the pair's peername and sockname, or the extraInfo option's values", async () => {
    const { client, server } = pair();
    expect(client.writer.getExtraInfo("peername")).toBe("memory:right");
    expect(client.writer.getExtraInfo("sockname")).toBe("memory:left");
    expect(server.writer.getExtraInfo("peername")).toBe("memory:left");
    expect(client.writer.getExtraInfo("sslcontext")).toBeUndefined();
    const peername = { address: "127.0.0.1", family: "IPv4", port: 8888 };
    const [left, right] = memoryTransportPair({ extraInfo: [{ peername, socket: "sock" }, {}] });
    const custom = createStreams(left);
    const other = createStreams(right);
    expect(custom.writer.getExtraInfo("peername")).toBe(peername);
    expect(custom.writer.getExtraInfo("socket")).toBe("sock");
    expect(custom.writer.getExtraInfo("sockname")).toBe("memory:left");
    await closeBoth(client, server, custom, other);
  });

  it("the writer's toString() names the transport and the reader", async () => {
    const { client, server } = pair();
    expect(client.writer.toString()).toBe(
      "<StreamWriter transport=<MemoryTransport memory:left> reader=<StreamReader transport=<MemoryTransport memory:left>>>",
    );
    await closeBoth(client, server);
  });

  it("the writer's startTls() rejects with TypeError, since the memory transport cannot upgrade", async () => {
    const { left, client, server } = pair();
    await expect(client.writer.startTls({ serverName: "localhost" })).rejects.toThrow(TypeError);
    await expect(client.writer.startTls({})).rejects.toThrow("is not supported by startTls()");
    expect(client.writer.transport).toBe(left);
    await closeBoth(client, server);
  });
});

describe("StreamWriter over the memory pair", () => {
  it("writes a request and reads the whole response to EOF, then closes without any report (test_open_connection in memory)", async () => {
    const consoleError = vi.spyOn(console, "error");
    const watch = watchUnhandledRejections();
    try {
      const { client, server } = pair();
      const serving = track(httpServer(server));
      client.writer.write(bytes(REQUEST));
      expect(text(await within(client.reader.readLine()))).toBe("HTTP/1.0 200 OK\r\n");
      expect(text(await within(client.reader.read()))).toMatch(/\r\n\r\nTest message$/);
      client.writer.close();
      await eventLoopTurn(2);
      expect(serving.settled && !serving.rejected).toBe(true);
      expect(watch.reasons).toEqual([]);
      expect(consoleError).not.toHaveBeenCalled();
      await closeBoth(client, server);
    } finally {
      watch.stop();
    }
  });

  it("isClosing() turns true at close() and waitClosed() then resolves (test_wait_closed_on_close)", async () => {
    const { client, server } = pair();
    const serving = track(httpServer(server));
    client.writer.write(bytes(REQUEST));
    expect(text(await within(client.reader.readLine()))).toBe("HTTP/1.0 200 OK\r\n");
    expect(text(await within(client.reader.read()))).toMatch(/\r\n\r\nTest message$/);
    expect(client.writer.isClosing()).toBe(false);
    client.writer.close();
    expect(client.writer.isClosing()).toBe(true);
    await expect(within(client.writer.waitClosed())).resolves.toBeUndefined();
    expect(serving.settled).toBe(true);
  });

  it("close() and waitClosed() complete with response bytes still unread (test_wait_closed_on_close_with_unread_data)", async () => {
    const { client, server } = pair();
    const serving = track(httpServer(server));
    client.writer.write(bytes(REQUEST));
    expect(text(await within(client.reader.readLine()))).toBe("HTTP/1.0 200 OK\r\n");
    client.writer.close();
    await expect(within(client.writer.waitClosed())).resolves.toBeUndefined();
    await eventLoopTurn();
    expect(serving.settled).toBe(true);
  });

  it("after close(), write() is dropped and drain() throws ConnectionLostError('Connection lost') (test_async_writer_api_exception_after_close)", async () => {
    const { client, server } = pair();
    const serving = track(httpServer(server));
    client.writer.write(bytes(REQUEST));
    expect(text(await within(client.reader.read()))).toMatch(/^HTTP\/1\.0 200 OK\r\n[\s\S]*\r\n\r\nTest message$/);
    expect(client.writer.isClosing()).toBe(false); // the peer's EOF leaves our side open
    client.writer.close();
    expect(() => client.writer.write(bytes("data"))).not.toThrow();
    const error: unknown = await within(client.writer.drain().catch((reason: unknown) => reason));
    expect(error).toBeInstanceOf(ConnectionLostError);
    expect((error as ConnectionLostError).message).toMatch(/closed .*by this side|this writer was closed/);
    await eventLoopTurn();
    expect(serving.settled).toBe(true);
  });

  it("close() then waitClosed() leaves the reader at EOF and read() returns empty bytes (test_eof_feed_when_closing_writer, bpo-35065)", async () => {
    const { client, server } = pair();
    client.writer.close();
    await within(client.writer.waitClosed());
    expect(client.reader.atEof()).toBe(true);
    expect(await within(client.reader.read())).toEqual(new Uint8Array(0));
    await closeBoth(server);
  });

  it("a write(); await drain() loop against a peer that aborts ends with an error within a few iterations (test_drain_raises, bpo-25441)", async () => {
    const { right, client, server } = pair();
    const aborted = track(server.reader.readLine().then(() => right.abort()));
    let iterations = 0;
    let failure: unknown;
    for (; iterations < 1000; iterations++) {
      try {
        client.writer.write(bytes("foo\n"));
        await client.writer.drain();
      } catch (error) {
        failure = error;
        break;
      }
    }
    expect(aborted.settled).toBe(true);
    expect(iterations).toBeLessThan(10);
    // asyncio: ConnectionResetError, BrokenPipeError or ConnectionAbortedError
    expect(failure).toBeInstanceOf(ConnectionResetError);
    expect(failure).toBe(client.reader.exception());
    await closeBoth(client, server);
  });

  it("a write(); await drain() loop against a peer that closes ends with a reset within a few iterations (test_drain_raises, bpo-25441)", async () => {
    const { client, server } = pair();
    server.writer.close(); // CPython's test server accepts and closes at once
    let iterations = 0;
    let failure: unknown;
    for (; iterations < 1000; iterations++) {
      try {
        client.writer.write(bytes("foo\n"));
        await client.writer.drain();
      } catch (error) {
        failure = error;
        break;
      }
    }
    expect(iterations).toBeLessThan(10);
    expect(failure).toBeInstanceOf(ConnectionResetError);
    expect(failure).toBe(client.reader.exception());
    await closeBoth(client, server);
  });

  it("once the reset is seen, drain(), reads and waitClosed() all throw the same ConnectionResetError object", async () => {
    const { right, client, server } = pair();
    right.abort();
    await eventLoopTurn(1);
    const error = client.reader.exception();
    expect(error).toBeInstanceOf(ConnectionResetError);
    await expect(client.writer.drain()).rejects.toBe(error);
    await expect(client.writer.drain()).rejects.toBe(error);
    await expect(client.reader.read()).rejects.toBe(error);
    await expect(client.writer.waitClosed()).rejects.toBe(error);
    await expect(server.writer.waitClosed()).resolves.toBeUndefined(); // the aborting side closed cleanly
  });

  it("waitClosed() awaited before close() settles when the connection is lost, and may be awaited again", async () => {
    const { right, client, server } = pair();
    const closed = track(client.writer.waitClosed());
    await eventLoopTurn();
    expect(closed.settled).toBe(false);
    right.abort();
    await eventLoopTurn();
    expect(closed.rejected).toBe(true);
    expect(closed.error).toBeInstanceOf(ConnectionResetError);
    await expect(client.writer.waitClosed()).rejects.toBe(closed.error);
    await closeBoth(client, server);
  });

  it("waitClosed() resolves for every caller after a clean close", async () => {
    const { client, server } = pair();
    const waiters = [track(client.writer.waitClosed()), track(client.writer.waitClosed())];
    client.writer.close();
    await eventLoopTurn();
    for (const waiter of waiters) expect(waiter.settled && !waiter.rejected).toBe(true);
    await expect(client.writer.waitClosed()).resolves.toBeUndefined();
    await closeBoth(server);
  });

  it("a failed connection whose waitClosed() nobody awaits causes no unhandled rejection", async () => {
    const watch = watchUnhandledRejections();
    try {
      const { right, client, server } = pair();
      right.abort();
      await eventLoopTurn(3);
      expect(client.reader.exception()).toBeInstanceOf(ConnectionResetError);
      expect(watch.reasons).toEqual([]);
      await closeBoth(client, server);
    } finally {
      watch.stop();
    }
  });

  it("drain() completes without waiting for a macrotask while the buffer is below the high-water mark", async () => {
    const { client, server } = pair();
    client.writer.write(new Uint8Array(1000));
    const drained = track(client.writer.drain());
    await eventLoopTurn();
    expect(drained.settled && !drained.rejected).toBe(true);
    await closeBoth(client, server);
  });

  it("drain() blocks while the peer does not read; a signal aborts one waiter only, and the others complete when the peer reads", async () => {
    const [left, right] = memoryTransportPair({ writeBufferLimits: { high: 4 } });
    const client = createStreams(left);
    const server = createStreams(right);
    right.pauseReading();
    client.writer.write(bytes("0123456789"));
    const controller = new AbortController();
    const first = track(client.writer.drain());
    const aborted = track(client.writer.drain({ signal: controller.signal }));
    const last = track(client.writer.drain());
    await eventLoopTurn();
    expect([first.settled, aborted.settled, last.settled]).toEqual([false, false, false]);
    const reason = new Error("deadline");
    controller.abort(reason);
    await eventLoopTurn();
    expect(aborted.rejected).toBe(true);
    expect(aborted.error).toBe(reason);
    expect(first.settled || last.settled).toBe(false);
    await expect(client.writer.drain({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    right.resumeReading();
    await eventLoopTurn();
    expect(first.settled && !first.rejected).toBe(true);
    expect(last.settled && !last.rejected).toBe(true);
    expect(text(await within(server.reader.read(100)))).toBe("0123456789");
    await closeBoth(client, server);
  });

  it("[Symbol.asyncDispose]() closes the writer and waits: the peer reads EOF", async () => {
    const { client, server } = pair();
    client.writer.write(bytes("bye"));
    await within(client.writer[Symbol.asyncDispose]());
    expect(client.writer.isClosing()).toBe(true);
    expect(text(await within(server.reader.read()))).toBe("bye");
    await closeBoth(server);
  });

  it("[Symbol.asyncDispose]() swallows the error the connection was lost with", async () => {
    const { right, client, server } = pair();
    right.abort();
    await eventLoopTurn(1);
    await expect(within(client.writer[Symbol.asyncDispose]())).resolves.toBeUndefined();
    await closeBoth(server);
  });
});

describe("createStreams() and drain() options", () => {
  it("createStreams() refuses a misspelled option instead of using the default limit", () => {
    const [left, right] = memoryTransportPair();
    expect(() => createStreams(left, { limt: 16 } as never)).toThrow(
      new TypeError('Cannot create streams: unknown option "limt"; the options are limit, reader'),
    );
    expect(() => createStreams(left, { reader: {} } as never)).toThrow(/reader should be a StreamReader/);
    expect(() => createStreams(left, null as never)).toThrow(TypeError);
    left.abort();
    right.abort();
  });

  it.each([
    [{ singal: AbortSignal.timeout(10) }, 'Cannot drain: unknown option "singal"; the only option is signal'],
    [{ signal: "oops" }, 'Cannot drain: signal should be an AbortSignal or undefined, got "oops"'],
    [7, "Cannot drain: options should be an object, got 7"],
  ])("drain(%o) rejects with a TypeError and leaves other drains waiting and released", async (options, message) => {
    const [left, right] = memoryTransportPair({ writeBufferLimits: { high: 4 } });
    const client = createStreams(left);
    const server = createStreams(right);
    right.pauseReading(); // nothing is read: the client's buffer stays above its high mark
    client.writer.write(bytes("0123456789"));
    await eventLoopTurn();
    const other = track(client.writer.drain());
    const error = await client.writer.drain(options as never).catch((reason: unknown) => reason);
    expect(error).toEqual(new TypeError(message));
    right.resumeReading();
    await within(other.promise, 1000, "the other drain");
    expect(await server.reader.readExactly(10)).toEqual(bytes("0123456789"));
    await closeBoth(client, server);
  });
});
