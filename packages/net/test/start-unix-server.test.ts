import { once } from "node:events";
import { existsSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { describe, expect, it, onTestFinished } from "vitest";
import { openUnixConnection, SocketError, startUnixServer } from "@asyncstreams/net";
import type { ServerErrorHandler } from "@asyncstreams/net";
import type { StreamReader } from "@asyncstreams/reader";
import type { StreamWriter } from "@asyncstreams/writer";
import { bytes, deferred, text, until, within } from "@asyncstreams/test-utils";
import { closeAtEnd, closeServerAtEnd, tempDir } from "@asyncstreams/test-utils/node";

/** CPython's `MyServer.handle_client`: echo one line, then close. */
async function handleClient(reader: StreamReader, writer: StreamWriter): Promise<void> {
  const data = await reader.readLine();
  writer.write(data);
  await writer.drain();
  writer.close();
  await writer.waitClosed();
}

async function echoOnce(path: string): Promise<string> {
  const { reader, writer } = await openUnixConnection({ path });
  closeAtEnd(writer);
  writer.write(bytes("hello world!\n"));
  const line = text(await within(reader.readLine()));
  writer.close();
  await within(writer.waitClosed());
  return line;
}

function errorLog(): { messages: unknown[]; onError: ServerErrorHandler } {
  const messages: unknown[] = [];
  return { messages, onError: (error) => messages.push(error) };
}

const serve = (): void => undefined;

describe("startUnixServer()", () => {
  it("test_start_unix_server: an async client callback echoes a line", async () => {
    const path = tempDir().path();
    const { messages, onError } = errorLog();
    const server = await startUnixServer(handleClient, { path, onError });
    closeServerAtEnd(server);
    expect(server.addresses()).toEqual([path]);
    expect(await echoOnce(path)).toBe("hello world!\n");
    server.close();
    await within(server.waitClosed());
    expect(messages).toEqual([]);
  });

  it("test_start_unix_server: a plain callback that starts a task echoes a line", async () => {
    const path = tempDir().path();
    const { messages, onError } = errorLog();
    const failures: unknown[] = [];
    const server = await startUnixServer(
      (reader, writer) => {
        handleClient(reader, writer).catch((error: unknown) => failures.push(error));
      },
      { path, onError },
    );
    closeServerAtEnd(server);
    expect(await echoOnce(path)).toBe("hello world!\n");
    server.close();
    await within(server.waitClosed());
    expect(messages).toEqual([]);
    expect(failures).toEqual([]);
  });

  it("test_start_unix_server_1: startServing() then serveForever() aborted from a handler closes the server", async () => {
    const path = tempDir().path();
    const { messages, onError } = errorLog();
    const controller = new AbortController();
    const server = await startUnixServer(
      async (reader, writer) => {
        await reader.readLine();
        controller.abort();
        writer.write(bytes("1"));
        writer.close();
        await writer.waitClosed();
      },
      { path, startServing: false, onError },
    );
    closeServerAtEnd(server);
    expect(server.isServing()).toBe(false);
    await server.startServing();
    expect(server.isServing()).toBe(true);
    const serving = server.serveForever({ signal: controller.signal });
    serving.catch(() => undefined);

    const { reader, writer } = await openUnixConnection({ path });
    closeAtEnd(writer);
    writer.write(bytes(`${"1".repeat(5_120)}\n`));
    expect(text(await within(reader.readExactly(1)))).toBe("1");

    await expect(within(serving)).rejects.toBe(controller.signal.reason);
    expect(server.addresses()).toEqual([]);
    expect(server.isServing()).toBe(false);
    await expect(server.serveForever()).rejects.toThrow(/is closed/);
    expect(messages).toEqual([]);
  });

  it("test_unix_server_addr_cleanup: close() removes the socket file at once", async () => {
    const path = tempDir().path();
    const server = await startUnixServer(serve, { path });
    closeServerAtEnd(server);
    expect(statSync(path).isSocket()).toBe(true);
    server.close();
    expect(existsSync(path)).toBe(false);
  });

  it("test_unix_server_cleanup_gone: close() does not throw when the socket file is already gone", async () => {
    const path = tempDir().path();
    const server = await startUnixServer(serve, { path });
    closeServerAtEnd(server);
    unlinkSync(path);
    expect(() => server.close()).not.toThrow();
    expect(existsSync(path)).toBe(false);
    await within(server.waitClosed());
  });

  it("test_unix_server_cleanup_replaced: close() leaves a socket file that another server bound meanwhile", async () => {
    const path = tempDir().path();
    const server = await startUnixServer(serve, { path });
    closeServerAtEnd(server);
    unlinkSync(path);
    const other = createServer();
    other.listen(path);
    await within(once(other, "listening"));
    onTestFinished(() => within(new Promise<void>((resolve) => other.close(() => resolve()))));
    const otherInode = statSync(path).ino;
    server.close();
    expect(existsSync(path)).toBe(true);
    expect(statSync(path).ino).toBe(otherInode);
    // The other server still answers on it.
    const connected = deferred();
    other.once("connection", (socket) => {
      socket.destroy();
      connected.resolve();
    });
    const { writer } = await openUnixConnection({ path });
    closeAtEnd(writer);
    await within(connected.promise);
  });

  it("test_unix_server_cleanup_prevented: close() keeps the socket file with cleanupSocket: false", async () => {
    const path = tempDir().path();
    const server = await startUnixServer(serve, { path, cleanupSocket: false });
    closeServerAtEnd(server);
    const inode = statSync(path).ino;
    server.close();
    expect(existsSync(path)).toBe(true);
    expect(statSync(path).ino).toBe(inode);
    // Nobody listens on it any more: connecting is refused.
    await expect(openUnixConnection({ path })).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });

  it("removes a stale socket file before binding", async () => {
    const path = tempDir().path();
    const first = await startUnixServer(serve, { path, cleanupSocket: false });
    first.close();
    await within(first.waitClosed());
    expect(existsSync(path)).toBe(true);
    const server = await startUnixServer(handleClient, { path });
    closeServerAtEnd(server);
    expect(await echoOnce(path)).toBe("hello world!\n");
  });

  it("leaves a regular file at the path alone and rejects with SocketError EADDRINUSE", async () => {
    const path = tempDir().path("not-a-socket");
    writeFileSync(path, "precious");
    const failure = await startUnixServer(serve, { path }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SocketError);
    expect(failure).toMatchObject({ code: "EADDRINUSE" });
    expect(readFileSync(path, "utf8")).toBe("precious");
  });

  it("rejects an empty path or a non-function callback with TypeError, and a limit <= 0 with RangeError", async () => {
    await expect(startUnixServer(serve, { path: "" })).rejects.toThrow(TypeError);
    await expect(startUnixServer(null as unknown as () => void, { path: tempDir().path() })).rejects.toThrow(TypeError);
    const path = tempDir().path();
    await expect(startUnixServer(serve, { path, limit: -5 })).rejects.toThrow(RangeError);
    expect(existsSync(path)).toBe(false);
  });

  it("gives each connection the server's limit and writeBufferLimits", async () => {
    const path = tempDir().path();
    const seen: unknown[] = [];
    const server = await startUnixServer(
      (reader, writer) => {
        seen.push(
          reader.limit,
          (writer.transport as unknown as { getWriteBufferLimits(): unknown }).getWriteBufferLimits(),
        );
        writer.close();
      },
      { path, limit: 99, writeBufferLimits: { high: 800 } },
    );
    closeServerAtEnd(server);
    const { reader, writer } = await openUnixConnection({ path });
    closeAtEnd(writer);
    await within(reader.read());
    await until(() => seen.length === 2, 2_000, "the handler");
    expect(seen).toEqual([99, { high: 800, low: 200 }]);
  });

  it("reports the path as sockname and '' as peername on accepted connections, as asyncio", async () => {
    const path = tempDir().path();
    const info = deferred<unknown>();
    const server = await startUnixServer(
      (_reader, writer) => {
        info.resolve({ peername: writer.getExtraInfo("peername"), sockname: writer.getExtraInfo("sockname") });
        writer.close();
      },
      { path },
    );
    closeServerAtEnd(server);
    const { writer } = await openUnixConnection({ path });
    closeAtEnd(writer);
    expect(await within(info.promise)).toEqual({ peername: "", sockname: path });
  });

  it("abortClients() closes Unix connections at once, dropping unsent data (no RST exists for Unix sockets)", async () => {
    const path = tempDir().path();
    const handed = deferred<StreamWriter>();
    const server = await startUnixServer(
      async (_reader, writer) => {
        handed.resolve(writer);
        await writer.waitClosed();
      },
      { path },
    );
    closeServerAtEnd(server);
    const client = await openUnixConnection({ path, limit: 1_024 });
    closeAtEnd(client.writer);
    const writer = await within(handed.promise);
    const transport = writer.transport as unknown as { getWriteBufferSize(): number };
    const chunk = new Uint8Array(1 << 20);
    for (let i = 0; i < 64 && transport.getWriteBufferSize() === 0; i++) {
      writer.write(chunk);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    expect(transport.getWriteBufferSize()).toBeGreaterThan(0);
    server.close();
    server.abortClients();
    await within(server.waitClosed(), 1_000, "waitClosed() after abortClients()");
    expect(writer.isClosing()).toBe(true);
  });

  it.runIf(process.platform === "linux")(
    "serves on a Linux abstract socket (a path starting with NUL) and creates no file",
    async () => {
      const path = `\0asyncstreams-test-${process.pid}-${Date.now()}`;
      const server = await startUnixServer(handleClient, { path });
      closeServerAtEnd(server);
      expect(await echoOnce(path)).toBe("hello world!\n");
      server.close();
      await within(server.waitClosed());
    },
  );
});
