import type { Socket } from "node:net";
import { Duplex } from "node:stream";

/**
 * A duplex over a connected socket that first replays bytes already read from it, so that TLS
 * (which takes the duplex as its socket) sees every byte in order. Reads follow back-pressure
 * (the socket pauses while this duplex's buffer is full); writes, end and destroy go to the socket.
 * The TLS tests subclass it to shape what the socket sends (`tls/test/_prefixed-socket.ts`).
 */
export class ReplayingSocket extends Duplex {
  /** The socket underneath. */
  protected readonly raw: Socket;

  /**
   * @param raw The connected socket.
   * @param leftover Bytes already read from `raw`, handed out before anything it reads next.
   */
  constructor(raw: Socket, leftover: readonly Uint8Array[] = []) {
    super({ allowHalfOpen: true });
    this.raw = raw;
    for (const chunk of leftover) this.push(chunk);
    raw.on("data", (chunk: Buffer) => {
      if (!this.push(chunk)) raw.pause();
    });
    raw.on("end", () => this.push(null));
    raw.on("error", (error) => this.destroy(error));
    raw.on("close", () => this.destroy());
  }

  override _read(): void {
    this.raw.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.raw.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.raw.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.raw.destroy(error ?? undefined);
    callback(error);
  }
}
