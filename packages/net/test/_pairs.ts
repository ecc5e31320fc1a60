import { spawn } from "node:child_process";
import type { ChildProcessByStdio } from "node:child_process";
import { once } from "node:events";
import { connect, createServer } from "node:net";
import type { Socket } from "node:net";
import { Duplex, PassThrough } from "node:stream";
import type { Readable, Writable } from "node:stream";
import type { DuplexPair } from "@asyncstreams/net";
import { within } from "@asyncstreams/test-utils";
import { HOST } from "@asyncstreams/test-utils/node";

/** Two crossed PassThrough streams: what one end writes, the other reads. */
export function passThroughPairs(): [DuplexPair, DuplexPair] {
  const there = new PassThrough();
  const back = new PassThrough();
  return [
    { readable: back, writable: there },
    { readable: there, writable: back },
  ];
}

/**
 * One end of an in-process socket pair: what it writes is pushed to the other end's readable side
 * (held back while that side is full), `end()` is the other side's EOF, and destroying an end ends
 * the other's readable too, as a closed socket's FIN does. `allowHalfOpen` as a socket's.
 */
class SocketLikeEnd extends Duplex {
  peer: SocketLikeEnd | null = null;
  /** The callback of a write the peer could not take yet. */
  #blocked: (() => void) | null = null;

  constructor() {
    super({ allowHalfOpen: false });
  }

  override _read(): void {
    const peer = this.peer;
    const blocked = peer === null ? null : peer.#blocked;
    if (peer !== null && blocked !== null) {
      peer.#blocked = null;
      blocked();
    }
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const peer = this.peer!;
    if (peer.destroyed || peer.readableEnded) {
      callback(Object.assign(new Error("write EPIPE"), { code: "EPIPE", syscall: "write" }));
      return;
    }
    if (peer.push(chunk)) callback();
    else this.#blocked = () => callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    const peer = this.peer!;
    if (!peer.destroyed) peer.push(null);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const peer = this.peer!;
    if (!peer.destroyed && !peer.readableEnded && !this.writableFinished) peer.push(null);
    this.#blocked = null;
    callback(error);
  }
}

/** Two connected in-process Duplex streams that behave like the two ends of a socket. */
export function duplexPair(): [Duplex, Duplex] {
  const left = new SocketLikeEnd();
  const right = new SocketLikeEnd();
  left.peer = right;
  right.peer = left;
  return [left, right];
}

/** Two connected TCP sockets on 127.0.0.1, half-open capable, and how to release them. */
export async function tcpSocketPair(): Promise<{ sockets: [Socket, Socket]; close(): Promise<void> }> {
  const server = createServer({ allowHalfOpen: true });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host: HOST, port: 0 }, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("The server has no TCP address");
  const accepted = once(server, "connection") as Promise<[Socket]>;
  const client = connect({ host: HOST, port: address.port, allowHalfOpen: true });
  await within(once(client, "connect"), 5_000, "a loopback connection");
  const [peer] = await within(accepted, 5_000, "a loopback accept");
  client.setNoDelay(true); // as asyncio and openConnection() do: no Nagle stalls between small writes
  peer.setNoDelay(true);
  return {
    sockets: [client, peer],
    async close() {
      client.destroy();
      peer.destroy();
      await within(
        new Promise<void>((resolve) => server.close(() => resolve())),
        5_000,
        "the loopback server to close",
      );
    },
  };
}

type Cat = ChildProcessByStdio<Writable, Readable, null>;

/** Starts `cat`: what goes into its stdin comes back out of its stdout. */
export function spawnCat(): Cat {
  return spawn("cat", [], { stdio: ["pipe", "pipe", "inherit"] });
}

/** Ends a child process if it still runs, and waits (bounded) for it to exit. */
export async function reap(child: Cat): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, "exit");
    child.kill();
    await within(exited, 5_000, "a child process to exit");
  }
}

/**
 * Two connections made of two `cat` processes: a writes into the first, b reads its output; b
 * writes into the second, a reads its output.
 */
export function catPairs(): { pairs: [DuplexPair, DuplexPair]; close(): Promise<void> } {
  const one = spawnCat();
  const two = spawnCat();
  return {
    pairs: [
      { readable: two.stdout, writable: one.stdin },
      { readable: one.stdout, writable: two.stdin },
    ],
    async close() {
      await Promise.all([reap(one), reap(two)]);
    },
  };
}

/**
 * A socket as a Web Streams pair, the way `Deno.connect()` and Cloudflare's `connect()` present a
 * TCP connection: the readable pulls (the socket is paused while the queue is full) and ends at the
 * peer's FIN even while this side still writes; the writable resolves each write once it is
 * flushed, and its `close()` sends FIN. Not `Duplex.toWeb()`: on Node 20 its readable reports the
 * end only once the local write side has finished too, so a half-closed peer is never seen (Node
 * 24.21, Bun and Deno report it; nodejs/node#64160, docs/runtimes.md).
 */
export function socketAsWebStreams(socket: Socket): {
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<Uint8Array>;
} {
  let done = false;
  const readable = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        socket.pause();
        socket.on("data", (chunk: Buffer) => {
          if (done) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) socket.pause();
        });
        socket.on("end", () => {
          if (done) return;
          done = true;
          controller.close();
        });
        socket.on("error", () => undefined); // reported by 'close' below, like a reset
        socket.on("close", (hadError) => {
          if (done) return;
          done = true;
          controller.error(
            Object.assign(new Error(hadError ? "read ECONNRESET" : "socket closed"), { code: "ECONNRESET" }),
          );
        });
      },
      pull() {
        socket.resume();
      },
      cancel() {
        done = true;
        socket.destroy();
      },
    },
    { highWaterMark: 65_536, size: (chunk) => chunk.byteLength },
  );
  const writable = new WritableStream<Uint8Array>({
    write: (chunk) =>
      new Promise<void>((resolve, reject) => void socket.write(chunk, (error) => (error ? reject(error) : resolve()))),
    close: () => new Promise<void>((resolve) => void socket.end(resolve)),
    abort: () => void socket.destroy(),
  });
  return { readable, writable };
}
