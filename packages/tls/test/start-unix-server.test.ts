import { connect as netConnect } from "node:net";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import type { ClientConnectedCallback } from "@asyncstreams/protocol";
import { TlsError, openUnixConnection, startUnixServer } from "@asyncstreams/tls";
import { bytes, deferred, text, within } from "@asyncstreams/test-utils";
import { CA, SELF_SIGNED, SERVER } from "@asyncstreams/test-utils/certs";
import { closeAtEnd, closeServerAtEnd, tempDir } from "@asyncstreams/test-utils/node";

const echoLine: ClientConnectedCallback = async (reader, writer) => {
  writer.write(await reader.readLine());
  await writer.drain();
  writer.close();
  await writer.waitClosed();
};

describe("startUnixServer() over TLS", () => {
  // CPython test_start_unix_server, with TLS on both ends.
  it("echoes a line to our TLS Unix client (test_start_unix_server over TLS)", async () => {
    const path = tempDir().path();
    const errors = vi.spyOn(console, "error");
    onTestFinished(() => errors.mockRestore());
    const server = await startUnixServer(echoLine, { path, tls: SERVER });
    closeServerAtEnd(server);
    const { reader, writer } = await within(openUnixConnection({ path, tls: { ca: CA, serverName: "localhost" } }));
    closeAtEnd(writer);
    writer.write(bytes("hello world!\n"));
    expect(text(await within(reader.readLine()))).toBe("hello world!\n");
    writer.close();
    await within(writer.waitClosed());
    expect(server.addresses()).toEqual([path]);
    expect(errors).not.toHaveBeenCalled();
  });

  it("reports a failed handshake to onHandshakeError and never calls onClient", async () => {
    const path = tempDir().path();
    const failure = deferred<unknown>();
    const calls: string[] = [];
    const server = await startUnixServer(
      async (reader, writer) => {
        calls.push("onClient");
        await echoLine(reader, writer);
      },
      { path, tls: SELF_SIGNED, onHandshakeError: (error) => failure.resolve(error) },
    );
    closeServerAtEnd(server);
    const refused: unknown = await within(
      openUnixConnection({ path, tls: { ca: CA, serverName: "localhost" } }).catch((error: unknown) => error),
    );
    expect((refused as TlsError).code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
    expect(await within(failure.promise)).toBeInstanceOf(TlsError);
    expect(calls).toEqual([]);
  });

  it("drops a Unix client that never starts the handshake after handshakeTimeout", async () => {
    const path = tempDir().path();
    const failure = deferred<unknown>();
    const server = await startUnixServer(echoLine, {
      path,
      tls: SERVER,
      handshakeTimeout: 200,
      onHandshakeError: (error) => failure.resolve(error),
    });
    closeServerAtEnd(server);
    const socket = netConnect({ path });
    socket.on("error", () => undefined);
    onTestFinished(() => {
      socket.destroy();
    });
    socket.resume();
    const closed = new Promise((resolve) => socket.once("close", resolve));
    expect((await within(failure.promise)) as TlsError).toMatchObject({
      code: "ERR_ASYNCSTREAMS_TLS_HANDSHAKE_TIMEOUT",
    });
    await within(closed, 2_000, "the server to drop the silent client");
  });

  it("throws RangeError for handshakeTimeout 0 before listening", async () => {
    const path = tempDir().path();
    await expect(startUnixServer(echoLine, { path, tls: SERVER, handshakeTimeout: 0 })).rejects.toThrow(
      /^Cannot start a TLS Unix server: handshakeTimeout should be a positive number/,
    );
  });

  it("throws TypeError when onClient is not a function", async () => {
    const path = tempDir().path();
    await expect(startUnixServer("echo" as unknown as ClientConnectedCallback, { path, tls: SERVER })).rejects.toThrow(
      TypeError,
    );
  });
});
