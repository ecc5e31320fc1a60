import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import type { Server as NetServer, ServerOpts, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { onTestFinished } from "vitest";
import type { Server, ServerAddress } from "@asyncstreams/net";
import type { StreamWriter } from "@asyncstreams/writer";

/** Tests listen and connect on IPv4 loopback only. */
export const HOST = "127.0.0.1";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `b"..."`: the UTF-8 bytes of a string. */
export function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** The bytes as a string, for readable assertions. */
export function text(data: Uint8Array): string {
  return decoder.decode(data);
}

/**
 * Settles like `promise`, or rejects once `ms` have passed: every wait in these tests is bounded.
 */
export async function within<T>(promise: Promise<T>, ms = 5_000, what = "the operation"): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Lets `count` macrotasks run: asyncio's `sleep(0)` / `run_briefly`, bounded. */
export async function macrotasks(count = 1): Promise<void> {
  for (let turn = 0; turn < count; turn++) await new Promise((resolve) => setTimeout(resolve, 0));
}

/** Lets pending promise continuations run. */
export async function microtasks(count = 20): Promise<void> {
  for (let turn = 0; turn < count; turn++) await Promise.resolve();
}

/** Polls `condition` every few milliseconds until it holds; throws after `ms`. */
export async function until(condition: () => boolean, ms = 5_000, what = "a condition"): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** How a promise settled, readable synchronously; never leaves a rejection unhandled. */
export interface Tracked<T> {
  readonly promise: Promise<T>;
  readonly settled: boolean;
  readonly rejected: boolean;
  readonly value: T | undefined;
  readonly error: unknown;
}

/** Records how `promise` settles. */
export function track<T>(promise: Promise<T>): Tracked<T> {
  const state = {
    promise,
    settled: false,
    rejected: false,
    value: undefined as T | undefined,
    error: undefined as unknown,
  };
  promise.then(
    (value) => {
      state.settled = true;
      state.value = value;
    },
    (error: unknown) => {
      state.settled = true;
      state.rejected = true;
      state.error = error;
    },
  );
  return state;
}

/** A promise with its resolvers, for hand-offs between a server handler and the test. */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

/** Makes a {@linkcode Deferred}. */
export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** Joins chunks into one array. */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const result = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    result.set(chunk, offset);
    offset += chunk.length;
  }
  return result;
}

/** The TCP port of a server's first address. */
export function portOf(server: Server): number {
  const address: ServerAddress | undefined = server.addresses()[0];
  if (address === undefined || typeof address === "string") throw new Error("Server has no TCP address");
  return address.port;
}

/** Closes a writer at the end of the test, whatever happened to its connection. */
export function closeAtEnd(writer: StreamWriter): void {
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
export function closeServerAtEnd(server: Server): void {
  onTestFinished(async () => {
    server.close();
    server.abortClients();
    await within(server.waitClosed(), 5_000, "a server to close");
  });
}

/** A plain `node:net` server on 127.0.0.1 (asyncio tests' raw socket peers). */
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
export async function startRawServer(onSocket: (socket: Socket) => void = () => undefined, options: ServerOpts = {}): Promise<RawServer> {
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

const HTTP_RESPONSE = "HTTP/1.0 200 OK\r\nContent-type: text/plain\r\n\r\nTest message";

/**
 * CPython's `run_test_server()`: for any request (read up to the blank line) it answers
 * `HTTP/1.0 200 OK`, `Content-type: text/plain`, body `Test message`, then closes.
 */
export async function startHttpTestServer(): Promise<RawServer> {
  return startRawServer(serveHttp);
}

/** The HTTP test server's handler, for TCP and Unix listeners alike. */
export function serveHttp(socket: Socket): void {
  let request = "";
  socket.setEncoding("latin1");
  socket.on("data", (chunk: string) => {
    request += chunk;
    if (request.includes("\r\n\r\n")) socket.end(HTTP_RESPONSE);
  });
}

/** A fresh temporary directory for Unix sockets, removed at the end of the test. */
export function tempDir(): { dir: string; path(name?: string): string } {
  const dir = mkdtempSync(join(tmpdir(), "asn-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, path: (name = "test.sock") => join(dir, name) };
}

/** Counts the process's live TCP socket handles (not listeners). */
export function tcpSocketHandles(): number {
  return process.getActiveResourcesInfo().filter((name) => name === "TCPSocketWrap").length;
}

/** A CPython child process running one of `test/python/*.py`. */
export interface PythonPeer {
  readonly child: ChildProcess;
  /** The next line of its stdout. */
  nextLine(ms?: number): Promise<string>;
  /** What it wrote to stderr so far, for failure messages. */
  stderr(): string;
  /** Resolves with its exit code once it exits. */
  readonly exited: Promise<number | null>;
  /** Kills it (SIGKILL) unless it already exited, and waits for the exit. */
  kill(): Promise<void>;
}

/** Runs `python3 test/python/<script> ...args`; the process is killed at the end of the test. */
export function spawnPython(script: string, args: readonly string[] = []): PythonPeer {
  const path = fileURLToPath(new URL(`./python/${script}`, import.meta.url));
  // stdin stays open: the peer's watchdog exits when it closes, so no peer outlives this process.
  const child = spawn("python3", ["-u", "-B", path, ...args], { stdio: ["pipe", "pipe", "pipe"] });
  let errors = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    errors += chunk;
  });
  const lines: string[] = [];
  const waiters: ((line: string | null) => void)[] = [];
  let ended = false;
  const input = createInterface({ input: child.stdout });
  input.on("line", (line) => {
    const waiter = waiters.shift();
    if (waiter === undefined) lines.push(line);
    else waiter(line);
  });
  input.on("close", () => {
    ended = true;
    for (const waiter of waiters.splice(0)) waiter(null);
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.once("error", () => resolve(null));
  });
  const peer: PythonPeer = {
    child,
    async nextLine(ms = 10_000) {
      const ready = lines.shift();
      if (ready !== undefined) return ready;
      if (ended) throw new Error(`python3 ${script} ended its output; stderr: ${errors}`);
      const line = await within(new Promise<string | null>((resolve) => waiters.push(resolve)), ms, `a line from python3 ${script}`);
      if (line === null) throw new Error(`python3 ${script} ended its output; stderr: ${errors}`);
      return line;
    },
    stderr: () => errors,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await within(exited, 5_000, `python3 ${script} to exit`);
    },
  };
  onTestFinished(() => peer.kill());
  return peer;
}
