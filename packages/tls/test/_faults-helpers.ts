import { randomBytes } from "node:crypto";
import { connect as netConnect } from "node:net";
import type { Socket } from "node:net";
import { expect, onTestFinished } from "vitest";
import { startServer as startPlainServer } from "@asyncstreams/net";
import type { Server } from "@asyncstreams/net";
import type { ClientConnectedCallback } from "@asyncstreams/protocol";
import { openConnection, startServer } from "@asyncstreams/tls";
import type { StartServerOptions } from "@asyncstreams/tls";
import { deferred, within } from "@asyncstreams/test-utils";
import { CA, SERVER } from "@asyncstreams/test-utils/certs";
import { HOST, closeAtEnd, closeServerAtEnd, portOf, sha256 } from "@asyncstreams/test-utils/node";

/** Generous slack over a deadline, for slow CI machines; the point is "bounded", not "fast". */
export const MARGIN = 1_500;

/** Our TLS server on 127.0.0.1:0 with failures collected; closed at the end of the test. */
export async function startTlsServer(
  onClient: ClientConnectedCallback,
  options: Partial<StartServerOptions> = {},
): Promise<{ server: Server; failures: unknown[]; firstFailure: Promise<unknown> }> {
  const failures: unknown[] = [];
  const first = deferred<unknown>();
  const server = await startServer(onClient, {
    host: HOST,
    port: 0,
    tls: SERVER,
    onHandshakeError: (error) => {
      failures.push(error);
      first.resolve(error);
    },
    ...options,
  });
  closeServerAtEnd(server);
  return { server, failures, firstFailure: first.promise };
}

/** A plain server from the net package, closed at the end of the test. */
export async function startPlain(onClient: ClientConnectedCallback): Promise<Server> {
  const server = await startPlainServer(onClient, { host: HOST, port: 0 });
  closeServerAtEnd(server);
  return server;
}

/** Resolves when a raw socket has closed or seen its end (it is made to flow, so 'end' can come); never rejects. */
export function gone(socket: Socket): Promise<void> {
  socket.resume();
  return new Promise((resolve) => {
    if (socket.destroyed || socket.readableEnded) resolve();
    socket.once("end", () => resolve());
    socket.once("close", () => resolve());
  });
}

/** A raw client socket to 127.0.0.1:`port`, destroyed at the end of the test. */
export async function rawClient(port: number): Promise<Socket> {
  const socket = netConnect({ host: HOST, port });
  socket.on("error", () => undefined);
  onTestFinished(() => {
    socket.destroy();
  });
  await within(new Promise((resolve) => socket.once("connect", resolve)));
  return socket;
}

export const neverCalled: ClientConnectedCallback = () => {
  throw new Error("onClient must not be called");
};

// Rows D4 (wrong host name) are in open-connection.test.ts, D5, D10 and D13 in starttls.test.ts,
// D16 in no-insecure-tls.test.ts.

/**
 * D14: a TLS echo server (64 KiB reads, `drain()` after each write) and `clients` concurrent TLS
 * clients that each send `size` random bytes and check they come back byte-exact, then EOF.
 *
 * @returns The server's handler failures, for the caller to check.
 */
export async function echoThroughTls(clients: number, size: number, timeout: number): Promise<unknown[]> {
  const { server, failures } = await startTlsServer(async (reader, writer) => {
    for (;;) {
      const chunk = await reader.read(64 * 1024);
      if (chunk.length === 0) break;
      writer.write(chunk);
      await writer.drain();
    }
    writer.close();
  });
  await within(
    Promise.all(
      Array.from({ length: clients }, async () => {
        const payload = randomBytes(size);
        const { reader, writer } = await openConnection({ host: HOST, port: portOf(server), tls: { ca: CA } });
        closeAtEnd(writer);
        writer.write(payload);
        const echoed = reader.readExactly(size);
        await writer.drain();
        expect(sha256(await echoed)).toBe(sha256(payload));
        writer.close();
        expect(await reader.read()).toEqual(new Uint8Array(0));
        await writer.waitClosed();
      }),
    ),
    timeout,
    `${clients} TLS echoes of ${size} bytes`,
  );
  return failures;
}
