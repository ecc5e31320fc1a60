import { once } from "node:events";
import { createServer } from "node:net";
import type { Server as NetServer, Socket } from "node:net";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { openUnixConnection, SocketError } from "@asyncstreams/net";
import type { SocketTransport } from "@asyncstreams/net";
import { bytes, text, within } from "@asyncstreams/test-utils";
import { closeAtEnd, serveHttp, tempDir } from "@asyncstreams/test-utils/node";

const REQUEST = "GET / HTTP/1.0\r\n\r\n";

/** CPython's `run_test_unix_server()`: the HTTP test server on a Unix socket. */
async function startUnixHttpServer(path: string): Promise<NetServer> {
  const sockets: Socket[] = [];
  const listener = createServer((socket) => {
    sockets.push(socket);
    socket.on("error", () => undefined);
    serveHttp(socket);
  });
  listener.listen(path);
  await within(once(listener, "listening"));
  onTestFinished(async () => {
    for (const socket of sockets) socket.destroy();
    await within(new Promise<void>((resolve) => listener.close(() => resolve())));
  });
  return listener;
}

describe("openUnixConnection()", () => {
  it("test_open_unix_connection: reads the HTTP test server's response over a Unix socket", async () => {
    const path = tempDir().path();
    await startUnixHttpServer(path);
    const errors = vi.spyOn(console, "error");
    const { reader, writer } = await openUnixConnection({ path });
    closeAtEnd(writer);
    writer.write(bytes(REQUEST));
    expect(text(await within(reader.readLine()))).toBe("HTTP/1.0 200 OK\r\n");
    expect(text(await within(reader.read()))).toMatch(/\r\n\r\nTest message$/);
    writer.close();
    await within(writer.waitClosed());
    expect(errors).not.toHaveBeenCalled();
  });

  it("test_open_unix_connection_error: connectionLost(error) makes read() reject with that same object, reported nowhere", async () => {
    const path = tempDir().path();
    await startUnixHttpServer(path);
    const errors = vi.spyOn(console, "error");
    const { reader, writer } = await openUnixConnection({ path });
    closeAtEnd(writer);
    writer.write(bytes(REQUEST));
    const protocol = (writer.transport as SocketTransport).getProtocol()!;
    const error = new Error("ZeroDivisionError");
    protocol.connectionLost(error);
    await expect(within(reader.read())).rejects.toBe(error);
    writer.close();
    await expect(within(writer.waitClosed())).rejects.toBe(error);
    expect(errors).not.toHaveBeenCalled();
  });

  it("reports the path as peername and is half-open capable", async () => {
    const path = tempDir().path();
    const received: Buffer[] = [];
    const listener = createServer({ allowHalfOpen: true }, (socket) => {
      socket.on("data", (chunk: Buffer) => received.push(chunk));
      socket.on("end", () => socket.end(`got ${Buffer.concat(received).toString("latin1")}`));
    });
    listener.listen(path);
    await within(once(listener, "listening"));
    onTestFinished(() => within(new Promise<void>((resolve) => listener.close(() => resolve()))));
    const { reader, writer } = await openUnixConnection({ path });
    closeAtEnd(writer);
    expect(writer.getExtraInfo("peername")).toBe(path);
    expect(writer.getExtraInfo("sockname")).toBe("");
    expect(writer.canWriteEof()).toBe(true);
    writer.write(bytes("half"));
    writer.writeEof();
    expect(text(await within(reader.read()))).toBe("got half");
  });

  it("rejects with SocketError ENOENT when nothing exists at the path", async () => {
    const path = tempDir().path("missing.sock");
    const failure = await openUnixConnection({ path }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SocketError);
    expect(failure).toMatchObject({ code: "ENOENT", cause: { code: "ENOENT" } });
    expect((failure as SocketError).message).toContain(`Cannot connect to ${path}: `);
  });

  it("rejects an empty path with TypeError and a limit <= 0 with RangeError", async () => {
    await expect(openUnixConnection({ path: "" })).rejects.toThrow(TypeError);
    await expect(openUnixConnection({ path: tempDir().path(), limit: 0 })).rejects.toThrow(RangeError);
  });

  it("rejects with the signal's reason when the signal is already aborted", async () => {
    const path = tempDir().path();
    await startUnixHttpServer(path);
    const reason = new Error("not now");
    await expect(openUnixConnection({ path, signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });
});
