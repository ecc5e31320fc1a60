import { createServer } from "node:net";
import type { Server as NetServer, ServerOpts, Socket } from "node:net";
import { onTestFinished } from "vitest";
import { within } from "./wait.js";

/** Tests listen and connect on IPv4 loopback only. */
export const HOST = "127.0.0.1";

/** A plain `node:net` server on 127.0.0.1 (the raw socket peers of asyncio's tests). */
export interface RawServer {
  readonly listener: NetServer;
  readonly port: number;
  /** Every socket accepted so far, still open or not. */
  readonly accepted: Socket[];
  /** Resolves with the next accepted socket (or one accepted before and not yet taken). */
  nextSocket(ms?: number): Promise<Socket>;
  /** Destroys every accepted socket and closes the listener. */
  close(): Promise<void>;
}

/**
 * Starts a raw server on 127.0.0.1:0 that calls `onSocket` for each connection; it is closed at the
 * end of the test. Accepted sockets get an `'error'` listener, so a reset never crashes the run.
 */
export async function startRawServer(
  onSocket: (socket: Socket) => void = () => undefined,
  options: ServerOpts = {},
): Promise<RawServer> {
  const listener = createServer(options);
  const accepted: Socket[] = [];
  const queue: Socket[] = [];
  const waiters: ((socket: Socket) => void)[] = [];
  listener.on("connection", (socket) => {
    socket.on("error", () => undefined);
    accepted.push(socket);
    const waiter = waiters.shift();
    if (waiter === undefined) queue.push(socket);
    else waiter(socket);
    onSocket(socket);
  });
  await new Promise<void>((resolve, reject) => {
    listener.once("error", reject);
    listener.listen({ host: HOST, port: 0 }, () => {
      listener.off("error", reject);
      resolve();
    });
  });
  const address = listener.address();
  if (address === null || typeof address === "string") throw new Error("Raw server has no TCP address");
  let closed: Promise<void> | undefined;
  const raw: RawServer = {
    listener,
    port: address.port,
    accepted,
    nextSocket(ms = 5_000) {
      const ready = queue.shift();
      if (ready !== undefined) return Promise.resolve(ready);
      return within(new Promise<Socket>((resolve) => waiters.push(resolve)), ms, "a raw connection");
    },
    close() {
      closed ??= within(
        new Promise<void>((resolve) => {
          for (const socket of accepted) socket.destroy();
          listener.close(() => resolve());
        }),
        5_000,
        "a raw server to close",
      );
      return closed;
    },
  };
  onTestFinished(() => raw.close());
  return raw;
}

const HTTP_RESPONSE = "HTTP/1.0 200 OK\r\nContent-type: text/plain\r\n\r\nTest message";

/** The HTTP test server's handler, for TCP and Unix listeners alike (see {@linkcode startHttpTestServer}). */
export function serveHttp(socket: Socket): void {
  let request = "";
  socket.setEncoding("latin1");
  socket.on("data", (chunk: string) => {
    request += chunk;
    if (request.includes("\r\n\r\n")) socket.end(HTTP_RESPONSE);
  });
}

/**
 * CPython's `run_test_server()`: for any request (read up to the blank line) it answers
 * `HTTP/1.0 200 OK`, `Content-type: text/plain`, body `Test message`, then closes.
 */
export async function startHttpTestServer(): Promise<RawServer> {
  return startRawServer(serveHttp);
}

/** A free TCP port on 127.0.0.1 right now: bind port 0, read it, close. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once("error", reject);
    probe.listen({ host: HOST, port: 0 }, () => resolve());
  });
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("The probe server has no TCP address");
  return address.port;
}

/** What a server of this project looks like to the helpers below (structural: no package import). */
export interface ClosableServer {
  addresses(): readonly ({ port: number } | string)[];
  close(): void;
  abortClients(): void;
  waitClosed(): Promise<void>;
}

/** The TCP port of a server's first address. */
export function portOf(server: Pick<ClosableServer, "addresses">): number {
  const address = server.addresses()[0];
  if (address === undefined || typeof address === "string") throw new Error("Server has no TCP address");
  return address.port;
}

/** Closes a writer at the end of the test, whatever happened to its connection. */
export function closeAtEnd(writer: { close(): void; waitClosed(): Promise<void> }): void {
  onTestFinished(async () => {
    writer.close();
    await within(
      writer.waitClosed().catch(() => undefined),
      5_000,
      "a client writer to close",
    );
  });
}

/** Closes a server at the end of the test: close(), abortClients(), waitClosed(). */
export function closeServerAtEnd(server: ClosableServer): void {
  onTestFinished(async () => {
    server.close();
    server.abortClients();
    await within(server.waitClosed(), 5_000, "a server to close");
  });
}

/**
 * Resolves when `emitter` emits `name`; unlike `events.once()` it never rejects on `'error'`, so
 * it may be created long before it is awaited without risking an unhandled rejection.
 */
export function nextEvent(emitter: NodeJS.EventEmitter, name: string): Promise<void> {
  return new Promise<void>((resolve) => emitter.once(name, () => resolve()));
}

/** Collects a socket's bytes until it ends or closes. */
export function collect(socket: Socket): { chunks: Uint8Array[]; size(): number; ended: Promise<"end" | "close"> } {
  const chunks: Uint8Array[] = [];
  const ended = new Promise<"end" | "close">((resolve) => {
    socket.on("end", () => resolve("end"));
    socket.on("close", () => resolve("close"));
  });
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  return { chunks, size: () => chunks.reduce((sum, chunk) => sum + chunk.length, 0), ended };
}

/** Counts the process's live TCP socket handles (not listeners). */
export function tcpSocketHandles(): number {
  return process.getActiveResourcesInfo().filter((name) => name === "TCPSocketWrap").length;
}
