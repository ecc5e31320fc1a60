import { connect as netConnect } from "node:net";
import type { Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import type { ConnectionOptions, TLSSocket } from "node:tls";
import { onTestFinished } from "vitest";
import { within } from "@asyncstreams/test-utils";
import { HOST } from "@asyncstreams/test-utils/node";
// The relay TLS itself uses to replay bytes; only the first write differs here.
import { ReplayingSocket } from "../../net/src/_replaying-socket.js";

/** How long a split first write pauses between its two parts. */
const SPLIT_PAUSE_MS = 50;

/**
 * A duplex over a connected socket whose first write goes out with `prefix` in front of it, in
 * one `write()`: a TLS client over it sends plaintext and its ClientHello back to back, so they
 * reach the server together (the PROXY-header shape of gh-142352, and STARTTLS injection). With
 * `splitAt`, that first write goes out in two parts instead, {@linkcode SPLIT_PAUSE_MS} apart.
 */
class PrefixedSocket extends ReplayingSocket {
  #prefix: Uint8Array | undefined;
  readonly #splitAt: number | undefined;

  constructor(raw: Socket, prefix: Uint8Array, splitAt: number | undefined) {
    super(raw);
    this.#prefix = prefix;
    this.#splitAt = splitAt;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const prefix = this.#prefix;
    this.#prefix = undefined;
    const data = prefix === undefined ? chunk : Buffer.concat([prefix, chunk]);
    const splitAt = prefix === undefined ? undefined : this.#splitAt;
    if (splitAt === undefined) {
      this.raw.write(data, callback);
      return;
    }
    // The first bytes alone, then the rest once the server has surely read them on their own.
    this.raw.write(data.subarray(0, splitAt));
    setTimeout(() => this.raw.write(data.subarray(splitAt), callback), SPLIT_PAUSE_MS);
  }
}

/** A Node TLS client that sends `prefix` (plaintext) in the same write as its ClientHello. */
export interface PrefixedTlsClient {
  /** The TLS socket; its `'error'` events are recorded, never thrown. */
  readonly secure: TLSSocket;
  /** Resolves on `'secureConnect'`, rejects with the TLS error. */
  readonly connected: Promise<void>;
  /** Every plaintext byte received over TLS. */
  received(): string;
}

/**
 * Connects to 127.0.0.1:`port`, then starts TLS (Node's own client, verifying with `tls`) with
 * `prefix` written in front of the ClientHello; with `splitAt`, the first `splitAt` bytes of that
 * write arrive on their own. Destroyed at the end of the test.
 */
export async function connectWithPrefix(
  port: number,
  prefix: Uint8Array,
  tls: ConnectionOptions,
  splitAt?: number,
): Promise<PrefixedTlsClient> {
  const raw = netConnect({ host: HOST, port });
  raw.on("error", () => undefined);
  onTestFinished(() => {
    raw.destroy();
  });
  await within(new Promise((resolve) => raw.once("connect", resolve)), 5_000, "a raw connection");
  const secure = tlsConnect({ ...tls, socket: new PrefixedSocket(raw, prefix, splitAt) });
  onTestFinished(() => {
    secure.destroy();
  });
  let received = "";
  secure.setEncoding("utf8");
  secure.on("data", (chunk: string) => {
    received += chunk;
  });
  const connected = new Promise<void>((resolve, reject) => {
    secure.once("secureConnect", () => resolve());
    secure.once("error", reject);
  });
  connected.catch(() => undefined);
  secure.on("error", () => undefined);
  return { secure, connected, received: () => received };
}
