import { getEventListeners, once } from "node:events";
import { createServer } from "node:net";
import { describe, expect, it, vi } from "vitest";
import { openConnection, Server, startServer } from "@asyncstreams/net";
import type { ServerErrorHandler, SocketTransport } from "@asyncstreams/net";
import { InvalidStateError } from "@asyncstreams/reader";
import type { StreamReader } from "@asyncstreams/reader";
import type { StreamWriter } from "@asyncstreams/writer";
import {
  bytes,
  deferred,
  holdsBeforeMacrotask,
  runBriefly,
  text,
  track,
  until,
  within,
} from "@asyncstreams/test-utils";
import { HOST, closeAtEnd, closeServerAtEnd, portOf } from "@asyncstreams/test-utils/node";

/** CPython's TestServer2 handler: read until EOF, then close. */
function readUntilEof(started?: () => void): (reader: StreamReader, writer: StreamWriter) => Promise<void> {
  return async (reader, writer) => {
    started?.();
    try {
      await reader.read();
    } finally {
      writer.close();
      await writer.waitClosed();
    }
  };
}

function noErrors(): { messages: unknown[]; onError: ServerErrorHandler } {
  const messages: unknown[] = [];
  return { messages, onError: (error) => messages.push(error) };
}

describe("Server.waitClosed()", () => {
  it("test_wait_closed_basic: resolves only once the server is closed and its last client is gone", async () => {
    const { messages, onError } = noErrors();
    const started = deferred();
    const server = await startServer(
      readUntilEof(() => started.resolve()),
      { host: HOST, port: 0, onError },
    );
    closeServerAtEnd(server);

    // (1) Not closed, no clients.
    const task1 = track(server.waitClosed());
    await runBriefly(1);
    expect(task1.settled).toBe(false);

    // (2) Not closed, one client.
    const { writer } = await openConnection({ host: HOST, port: portOf(server) });
    closeAtEnd(writer);
    await within(started.promise, 5_000, "the handler to start");
    const task2 = track(server.waitClosed());
    await runBriefly(1);
    expect(task1.settled).toBe(false);
    expect(task2.settled).toBe(false);

    // (3) Closed, the client still active.
    server.close();
    await runBriefly(1);
    const task3 = track(server.waitClosed());
    await runBriefly(1);
    expect([task1.settled, task2.settled, task3.settled]).toEqual([false, false, false]);

    // (4) Closed, the client gone.
    writer.close();
    await within(writer.waitClosed());
    await within(Promise.all([task1.promise, task2.promise, task3.promise]), 5_000, "every waitClosed()");
    const again = track(server.waitClosed());
    await holdsBeforeMacrotask(() => again.settled); // "at once": no event loop turn needed
    expect(again.settled).toBe(true);
    expect(messages).toEqual([]);
  });

  it("test_wait_closed_race: server.close() and the client's close() queued together still let waitClosed() resolve", async () => {
    const { messages, onError } = noErrors();
    const started = deferred();
    const server = await startServer(
      readUntilEof(() => started.resolve()),
      { host: HOST, port: 0, onError },
    );
    closeServerAtEnd(server);
    const task = track(server.waitClosed());
    await runBriefly(1);
    expect(task.settled).toBe(false);
    const { writer } = await openConnection({ host: HOST, port: portOf(server) });
    closeAtEnd(writer);
    await within(started.promise, 5_000, "the handler to start");
    setImmediate(() => server.close());
    setImmediate(() => writer.close());
    await within(server.waitClosed(), 5_000, "server.waitClosed()");
    await within(task.promise);
    expect(messages).toEqual([]);
  });

  it("test_close_clients: close() then closeClients() lets waitClosed() resolve within two runBriefly", async () => {
    const { messages, onError } = noErrors();
    const started = deferred();
    const server = await startServer(
      readUntilEof(() => started.resolve()),
      { host: HOST, port: 0, onError },
    );
    closeServerAtEnd(server);
    const { reader, writer } = await openConnection({ host: HOST, port: portOf(server) });
    closeAtEnd(writer);
    await within(started.promise, 5_000, "the handler to start");
    const task = track(server.waitClosed());
    await runBriefly(1);
    expect(task.settled).toBe(false);
    server.close();
    server.closeClients();
    await runBriefly(2);
    expect(task.settled).toBe(true);
    // The client sees the server's close as EOF.
    expect(await within(reader.read())).toEqual(new Uint8Array(0));
    expect(messages).toEqual([]);
  });

  it("test_abort_clients: close() then abortClients() lets waitClosed() resolve at once despite unsent data", async () => {
    const { messages, onError } = noErrors();
    const serverSide = deferred<StreamWriter>();
    const server = await startServer(
      async (_reader, writer) => {
        serverSide.resolve(writer);
        await writer.waitClosed();
      },
      { host: HOST, port: 0, onError },
    );
    closeServerAtEnd(server);
    const client = await openConnection({ host: HOST, port: portOf(server), limit: 4_096 });
    closeAtEnd(client.writer);
    const writer = await within(serverSide.promise, 5_000, "the handler to start");
    const clientTransport = client.writer.transport as SocketTransport;
    const transport = writer.transport as SocketTransport;

    for (let i = 0; i < 3; i++) writer.write(new Uint8Array(4_096).fill(0x61));
    // More than 2 × limit arrives: the client's reader pauses its transport.
    await until(() => !clientTransport.isReading(), 5_000, "the client to pause reading");

    const chunk = new Uint8Array(1 << 20).fill(0x61);
    for (let i = 0; i < 64 && transport.getWriteBufferSize() === 0; i++) {
      writer.write(chunk);
      await runBriefly(1);
    }
    expect(transport.getWriteBufferSize()).toBeGreaterThan(0);

    const task = track(server.waitClosed());
    await runBriefly(1);
    expect(task.settled).toBe(false);
    server.close();
    server.abortClients();
    await runBriefly(2);
    expect(task.settled).toBe(true);
    expect(messages).toEqual([]);
  });

  it("resolves at once for a closed server that had no clients", async () => {
    const server = await startServer(() => undefined, { host: HOST, port: 0 });
    server.close();
    const task = track(server.waitClosed());
    await holdsBeforeMacrotask(() => task.settled); // "at once": no event loop turn needed
    expect(task.settled).toBe(true);
  });
});

describe("Server lifecycle", () => {
  it("close() refuses new connections but leaves live connections open", async () => {
    const server = await startServer(
      async (reader, writer) => {
        for await (const line of reader) writer.write(line);
        writer.close();
      },
      { host: HOST, port: 0 },
    );
    closeServerAtEnd(server);
    const port = portOf(server);
    const { reader, writer } = await openConnection({ host: HOST, port });
    closeAtEnd(writer);
    writer.write(bytes("one\n"));
    expect(text(await within(reader.readLine()))).toBe("one\n");
    server.close();
    expect(server.isServing()).toBe(false);
    expect(server.addresses()).toEqual([]);
    await expect(openConnection({ host: HOST, port })).rejects.toMatchObject({ code: "ECONNREFUSED" });
    writer.write(bytes("two\n"));
    expect(text(await within(reader.readLine()))).toBe("two\n");
    const closed = track(server.waitClosed());
    await runBriefly(2);
    expect(closed.settled).toBe(false);
    writer.writeEof();
    await within(closed.promise, 5_000, "server.waitClosed() after the last client left");
  });

  it("closeClients() flushes what each connection has buffered before closing it", async () => {
    const payload = new Uint8Array(2 << 20).fill(0x62);
    const handed = deferred<StreamWriter>();
    const server = await startServer(
      (_reader, writer) => {
        handed.resolve(writer);
      },
      { host: HOST, port: 0 },
    );
    closeServerAtEnd(server);
    const { reader, writer } = await openConnection({ host: HOST, port: portOf(server) });
    closeAtEnd(writer);
    const serverWriter = await within(handed.promise);
    serverWriter.write(payload);
    server.close();
    server.closeClients();
    expect((await within(reader.read())).length).toBe(payload.length);
    await within(server.waitClosed());
  });

  it("abortClients() after closeClients() ends a connection stuck flushing to a client that never reads", async () => {
    const handed = deferred<StreamWriter>();
    const server = await startServer(
      (_reader, writer) => {
        handed.resolve(writer);
      },
      { host: HOST, port: 0 },
    );
    closeServerAtEnd(server);
    const client = await openConnection({ host: HOST, port: portOf(server), limit: 1_024 });
    closeAtEnd(client.writer);
    const serverWriter = await within(handed.promise);
    const transport = serverWriter.transport as SocketTransport;
    for (let i = 0; i < 64 && transport.getWriteBufferSize() === 0; i++) {
      serverWriter.write(new Uint8Array(1 << 20));
      await runBriefly(1);
    }
    expect(transport.getWriteBufferSize()).toBeGreaterThan(0);
    server.close();
    server.closeClients();
    const closed = track(server.waitClosed());
    await runBriefly(5);
    // Graceful: still flushing to a client whose reader paused.
    expect(closed.settled).toBe(false);
    server.abortClients();
    await runBriefly(2);
    expect(closed.settled).toBe(true);
    await within(serverWriter.waitClosed());
  });

  it("await using closes the server and waits for it", async () => {
    let serverRef: Server | undefined;
    {
      await using server = await startServer(() => undefined, { host: HOST, port: 0 });
      serverRef = server;
      expect(server.isServing()).toBe(true);
    }
    expect(serverRef.isServing()).toBe(false);
    expect(serverRef.addresses()).toEqual([]);
  });

  it("startServing() after close() rejects with InvalidStateError", async () => {
    const server = await startServer(() => undefined, { host: HOST, port: 0 });
    server.close();
    await expect(server.startServing()).rejects.toBeInstanceOf(InvalidStateError);
    await expect(server.startServing()).rejects.toThrow(/is closed/);
  });

  it("a second concurrent serveForever() rejects with InvalidStateError", async () => {
    const server = await startServer(() => undefined, { host: HOST, port: 0 });
    closeServerAtEnd(server);
    const controller = new AbortController();
    const first = track(server.serveForever({ signal: controller.signal }));
    await expect(within(server.serveForever())).rejects.toThrow(/already being awaited on serveForever\(\)/);
    await expect(within(server.serveForever())).rejects.toBeInstanceOf(InvalidStateError);
    expect(first.settled).toBe(false);
    controller.abort();
    await within(first.promise.catch(() => undefined));
    expect(first.rejected).toBe(true);
    expect(first.error).toBe(controller.signal.reason);
  });

  it("serveForever() ended by close() rejects with an AbortError (asyncio: CancelledError), and leaves no listener on its signal", async () => {
    const server = await startServer(() => undefined, { host: HOST, port: 0 });
    const controller = new AbortController();
    const serving = track(server.serveForever({ signal: controller.signal }));
    await runBriefly(1);
    expect(serving.settled).toBe(false);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(1);
    server.close();
    await within(serving.promise.catch(() => undefined));
    expect(serving.rejected).toBe(true);
    expect(serving.error).toBeInstanceOf(DOMException);
    expect(serving.error).toMatchObject({
      name: "AbortError",
      message: "Cannot serve forever: the server was closed by close()",
    });
    // A long-lived signal reused for many servers must not collect listeners.
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });

  it("serveForever() with an already aborted signal closes the server and rejects with the reason", async () => {
    const server = await startServer(() => undefined, { host: HOST, port: 0 });
    const reason = new Error("stop now");
    await expect(within(server.serveForever({ signal: AbortSignal.abort(reason) }))).rejects.toBe(reason);
    expect(server.addresses()).toEqual([]);
  });

  it("close() before startServing() drops the connections accepted meanwhile", async () => {
    const served: unknown[] = [];
    const server = await startServer((reader) => void served.push(reader), {
      host: HOST,
      port: 0,
      startServing: false,
    });
    closeServerAtEnd(server);
    const { reader, writer } = await openConnection({ host: HOST, port: portOf(server) });
    closeAtEnd(writer);
    await runBriefly(5);
    server.close();
    await within(server.waitClosed());
    // The pending socket was destroyed: the client sees EOF (or a reset), never a served handler.
    await within(reader.read().catch(() => new Uint8Array(0)));
    expect(served).toEqual([]);
  });
});

describe("Server over given listeners", () => {
  it("reports a listener's error to onError and keeps serving", async () => {
    const listener = createServer({ allowHalfOpen: true });
    listener.listen({ host: HOST, port: 0 });
    await within(once(listener, "listening"));
    const reports: { error: unknown; message: string }[] = [];
    const server = new Server({
      listeners: [listener],
      onClient: async (reader, writer) => {
        writer.write(await reader.readLine());
        writer.close();
      },
      onError: (error, context) => reports.push({ error, message: context.message }),
      limit: undefined,
      noDelay: true,
      writeBufferLimits: undefined,
    });
    closeServerAtEnd(server);
    await server.startServing();
    const acceptError = Object.assign(new Error("accept EMFILE"), { code: "EMFILE" });
    listener.emit("error", acceptError);
    expect(reports).toEqual([{ error: acceptError, message: "Accept error on a listening socket" }]);
    const { reader, writer } = await openConnection({ host: HOST, port: portOf(server) });
    closeAtEnd(writer);
    writer.write(bytes("still serving\n"));
    expect(text(await within(reader.readLine()))).toBe("still serving\n");
  });

  it("reports a listener's error to console.error when there is no onError", async () => {
    const listener = createServer({ allowHalfOpen: true });
    listener.listen({ host: HOST, port: 0 });
    await within(once(listener, "listening"));
    const server = new Server({
      listeners: [listener],
      onClient: () => undefined,
      onError: undefined,
      limit: undefined,
      noDelay: true,
      writeBufferLimits: undefined,
    });
    closeServerAtEnd(server);
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const acceptError = new Error("accept failed");
    listener.emit("error", acceptError);
    expect(errors).toHaveBeenCalledWith("Accept error on a listening socket", acceptError);
  });

  it("applies writeBufferLimits and noDelay to accepted connections", async () => {
    const limits = deferred<unknown>();
    const server = await startServer(
      (_reader, writer) => {
        limits.resolve((writer.transport as SocketTransport).getWriteBufferLimits());
        writer.close();
      },
      { host: HOST, port: 0, writeBufferLimits: { high: 4_000, low: 1_000 }, noDelay: false },
    );
    closeServerAtEnd(server);
    const { writer } = await openConnection({ host: HOST, port: portOf(server) });
    closeAtEnd(writer);
    expect(await within(limits.promise)).toEqual({ high: 4_000, low: 1_000 });
  });

  it("keeps tracking a half-closed connection whose handler returned without closing, until closeClients() (gh-104344)", async () => {
    const server = await startServer(() => undefined, { host: HOST, port: 0 });
    closeServerAtEnd(server);
    const { reader, writer } = await openConnection({ host: HOST, port: portOf(server) });
    closeAtEnd(writer);
    server.close();
    const closed = track(server.waitClosed());
    // Our FIN leaves the server side half-open (eofReceived() returns true): still tracked.
    writer.writeEof();
    await runBriefly(5);
    expect(closed.settled).toBe(false);
    server.closeClients();
    await within(closed.promise, 5_000, "server.waitClosed()");
    expect(await within(reader.read())).toEqual(new Uint8Array(0));
  });
});
