import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { openConnection, SocketError, startServer } from "@asyncstreams/net";
import type { ServerErrorHandler } from "@asyncstreams/net";
import { InvalidStateError } from "@asyncstreams/reader";
import type { Transport } from "@asyncstreams/protocol";
import type { StreamReader } from "@asyncstreams/reader";
import type { StreamWriter } from "@asyncstreams/writer";
import { bytes, deferred, runBriefly, text, until, within } from "@asyncstreams/test-utils";
import { HOST, closeAtEnd, closeServerAtEnd, portOf, startRawServer } from "@asyncstreams/test-utils/node";

/** asyncio's `messages` pattern: everything the server reported. */
function errorLog(): {
  messages: { error: unknown; message: string; transport: Transport | undefined }[];
  onError: ServerErrorHandler;
} {
  const messages: { error: unknown; message: string; transport: Transport | undefined }[] = [];
  return {
    messages,
    onError: (error, context) => messages.push({ error, message: context.message, transport: context.transport }),
  };
}

/** CPython's `MyServer.handle_client`: echo one line, then close. */
async function handleClient(reader: StreamReader, writer: StreamWriter): Promise<void> {
  const data = await reader.readLine();
  writer.write(data);
  await writer.drain();
  writer.close();
  await writer.waitClosed();
}

/** CPython's client side of test_start_server: send a line, read the echo. */
async function echoOnce(port: number): Promise<string> {
  const { reader, writer } = await openConnection({ host: HOST, port });
  closeAtEnd(writer);
  writer.write(bytes("hello world!\n"));
  const line = text(await within(reader.readLine()));
  writer.close();
  await within(writer.waitClosed());
  return line;
}

describe("startServer()", () => {
  it("test_start_server: an async client callback echoes a line", async () => {
    const { messages, onError } = errorLog();
    const server = await startServer(handleClient, { host: HOST, port: 0, onError });
    closeServerAtEnd(server);
    expect(await echoOnce(portOf(server))).toBe("hello world!\n");
    server.close();
    await within(server.waitClosed());
    expect(messages).toEqual([]);
  });

  it("test_start_server: a plain callback that starts a task echoes a line", async () => {
    const { messages, onError } = errorLog();
    const failures: unknown[] = [];
    const server = await startServer(
      (reader, writer) => {
        handleClient(reader, writer).catch((error: unknown) => failures.push(error));
      },
      { host: HOST, port: 0, onError },
    );
    closeServerAtEnd(server);
    expect(await echoOnce(portOf(server))).toBe("hello world!\n");
    server.close();
    await within(server.waitClosed());
    expect(messages).toEqual([]);
    expect(failures).toEqual([]);
  });

  it("test_unhandled_exception: a rejecting callback is reported as 'Unhandled exception in client_connected_cb' and its transport closed", async () => {
    const { messages, onError } = errorLog();
    const failure = new Error("test");
    const server = await startServer(
      async () => {
        throw failure;
      },
      { host: HOST, port: 0, onError },
    );
    closeServerAtEnd(server);
    await server.startServing(); // already serving: a no-op
    const { writer } = await openConnection({ host: HOST, port: portOf(server) });
    closeAtEnd(writer);
    writer.write(bytes("test msg"));
    await writer.drain();
    writer.close();
    await within(writer.waitClosed());
    await until(() => messages.length > 0, 5_000, "the error report");
    server.close();
    await within(server.waitClosed(), 5_000, "server.waitClosed() after a failed callback");
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ error: failure, message: "Unhandled exception in client_connected_cb" });
    expect(messages[0]!.transport!.isClosing()).toBe(true);
  });

  it("test_unhandled_cancel: a callback that closes its writer and rejects with an AbortError reports nothing", async () => {
    const { messages, onError } = errorLog();
    const done = deferred();
    const server = await startServer(
      async (_reader, writer) => {
        writer.close();
        done.resolve();
        throw new DOMException("The handler was cancelled", "AbortError");
      },
      { host: HOST, port: 0, onError },
    );
    closeServerAtEnd(server);
    const { writer } = await openConnection({ host: HOST, port: portOf(server) });
    closeAtEnd(writer);
    writer.write(bytes("test msg"));
    await writer.drain();
    writer.close();
    await within(writer.waitClosed());
    await within(done.promise);
    server.close();
    await within(server.waitClosed(), 5_000, "server.waitClosed() after a cancelled callback");
    expect(messages).toEqual([]);
  });

  it("reports a plain callback that throws (gh-155941), closes that connection and keeps serving", async () => {
    const { messages, onError } = errorLog();
    let calls = 0;
    const failure = new Error("plain failure");
    const server = await startServer(
      (reader, writer) => {
        calls += 1;
        if (calls === 1) throw failure;
        handleClient(reader, writer).catch(() => undefined);
      },
      { host: HOST, port: 0, onError },
    );
    closeServerAtEnd(server);
    const first = await openConnection({ host: HOST, port: portOf(server) });
    closeAtEnd(first.writer);
    // The server closed the connection: we see EOF.
    expect(await within(first.reader.read())).toEqual(new Uint8Array(0));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ error: failure, message: "Unhandled exception in client_connected_cb" });
    expect(messages[0]!.transport!.isClosing()).toBe(true);
    expect(await echoOnce(portOf(server))).toBe("hello world!\n");
  });

  it("test_start_server_1: serveForever() aborted from a handler closes the server, and a second serveForever() rejects", async () => {
    const { messages, onError } = errorLog();
    const controller = new AbortController();
    const server = await startServer(
      async (reader, writer) => {
        await reader.readLine();
        controller.abort();
        writer.write(bytes("1"));
        writer.close();
        await writer.waitClosed();
      },
      { host: HOST, port: 0, startServing: false, onError },
    );
    closeServerAtEnd(server);
    expect(server.isServing()).toBe(false);
    const port = portOf(server);
    const serving = server.serveForever({ signal: controller.signal });
    serving.catch(() => undefined);
    await until(() => server.isServing(), 2_000, "the server to serve");

    const { reader, writer } = await openConnection({ host: HOST, port });
    closeAtEnd(writer);
    writer.write(bytes(`${"1".repeat(5_120)}\n`));
    expect(text(await within(reader.readExactly(1)))).toBe("1");

    await expect(within(serving)).rejects.toBe(controller.signal.reason);
    expect(server.addresses()).toEqual([]);
    expect(server.isServing()).toBe(false);
    await expect(server.serveForever()).rejects.toThrow(/is closed/);
    await expect(server.serveForever()).rejects.toBeInstanceOf(InvalidStateError);
    expect(messages).toEqual([]);
  });

  it("listens on 127.0.0.1 with a port chosen by the system when port is 0", async () => {
    const server = await startServer(() => undefined, { host: HOST, port: 0 });
    closeServerAtEnd(server);
    const [address] = server.addresses();
    expect(address).toMatchObject({ address: HOST, family: "IPv4" });
    expect(portOf(server)).toBeGreaterThan(0);
    expect(server.isServing()).toBe(true);
    expect(String(server)).toBe(`<Server addresses=${JSON.stringify(server.addresses())}>`);
  });

  it("listens on every host of a host array", async () => {
    const server = await startServer(handleClient, { host: [HOST, "127.0.0.1"], port: 0 });
    closeServerAtEnd(server);
    const addresses = server.addresses();
    expect(addresses).toHaveLength(2);
    for (const address of addresses) {
      if (typeof address === "string") throw new Error("expected a TCP address");
      expect(await echoOnce(address.port)).toBe("hello world!\n");
    }
  });

  it("reports the client as peername and the listening address as sockname on accepted connections", async () => {
    const info = deferred<unknown>();
    const server = await startServer(
      (_reader, writer) => {
        info.resolve({ peername: writer.getExtraInfo("peername"), sockname: writer.getExtraInfo("sockname") });
        writer.close();
      },
      { host: HOST, port: 0 },
    );
    closeServerAtEnd(server);
    const { writer } = await openConnection({ host: HOST, port: portOf(server) });
    closeAtEnd(writer);
    expect(await within(info.promise)).toEqual({
      peername: writer.getExtraInfo("sockname"),
      sockname: { address: HOST, family: "IPv4", port: portOf(server) },
    });
  });

  it("gives each connection a reader with the server's limit", async () => {
    const limits: number[] = [];
    const server = await startServer(
      (reader, writer) => {
        limits.push(reader.limit);
        writer.close();
      },
      { host: HOST, port: 0, limit: 1_234 },
    );
    closeServerAtEnd(server);
    const { reader, writer } = await openConnection({ host: HOST, port: portOf(server) });
    closeAtEnd(writer);
    await within(reader.read());
    expect(limits).toEqual([1_234]);
  });

  it("rejects a limit <= 0 with RangeError and a non-function callback with TypeError, binding nothing", async () => {
    await expect(startServer(() => undefined, { host: HOST, port: 0, limit: 0 })).rejects.toThrow(RangeError);
    await expect(startServer(undefined as unknown as () => void, { host: HOST, port: 0 })).rejects.toThrow(TypeError);
  });

  it("rejects with SocketError EADDRINUSE when the port is taken, and leaves no listener behind", async () => {
    const raw = await startRawServer();
    const failure = await startServer(() => undefined, { host: HOST, port: raw.port }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SocketError);
    expect(failure).toMatchObject({ code: "EADDRINUSE", cause: { code: "EADDRINUSE" } });
    expect((failure as SocketError).message).toMatch(/^Cannot listen on 127\.0\.0\.1:\d+: /);
  });

  it("leaves no listener on its signal once listening", async () => {
    const controller = new AbortController();
    const server = await startServer(() => undefined, { host: HOST, port: 0, signal: controller.signal });
    closeServerAtEnd(server);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    controller.abort();
    expect(server.isServing()).toBe(true);
  });

  it("rejects with the signal's reason when the signal is already aborted", async () => {
    const reason = new Error("stop");
    await expect(startServer(() => undefined, { host: HOST, port: 0, signal: AbortSignal.abort(reason) })).rejects.toBe(
      reason,
    );
  });

  it("defers accepting with startServing: false and serves the early connections once started, losing no bytes (C11)", async () => {
    const lines: string[] = [];
    const server = await startServer(
      async (reader, writer) => {
        lines.push(text(await reader.readLine()));
        writer.close();
      },
      { host: HOST, port: 0, startServing: false },
    );
    closeServerAtEnd(server);
    const { reader, writer } = await openConnection({ host: HOST, port: portOf(server) });
    closeAtEnd(writer);
    writer.write(bytes("early line\n"));
    await writer.drain();
    await runBriefly(5);
    expect(lines).toEqual([]);
    expect(server.isServing()).toBe(false);
    await server.startServing();
    expect(server.isServing()).toBe(true);
    expect(await within(reader.read())).toEqual(new Uint8Array(0));
    expect(lines).toEqual(["early line\n"]);
  });
});
