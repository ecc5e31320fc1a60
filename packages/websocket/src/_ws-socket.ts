import type { WebSocketLike } from "./web-socket-like.js";

/** What `ws` delivers for one message with `binaryType` `"nodebuffer"`: a Buffer (a Uint8Array). */
type WsMessage = Uint8Array | ArrayBuffer | Uint8Array[];

/**
 * The `ws` package's `WebSocket`, as far as this package uses it beyond the WHATWG shape. Found by
 * feature detection so that the main entry never imports `ws`.
 */
export interface WsSocket extends WebSocketLike {
  on(event: "message", listener: (data: WsMessage, isBinary: boolean) => void): void;
  on(event: "close", listener: (code: number, reason: Uint8Array) => void): void;
  on(event: "error", listener: (error: Error) => void): void;
  on(event: "pong", listener: () => void): void;
  off(event: string, listener: (...args: never[]) => void): void;
  pause(): void;
  resume(): void;
  ping(): void;
  terminate(): void;
  send(data: Uint8Array, options?: { binary: boolean }, callback?: (error?: Error | null) => void): void;
}

/**
 * The socket as a `ws` socket when it is one (it has `on`, `pause`, `resume`, `ping` and
 * `terminate`), else undefined.
 */
export function asWsSocket(socket: WebSocketLike): WsSocket | undefined {
  const candidate = socket as Partial<Record<"on" | "off" | "pause" | "resume" | "ping" | "terminate", unknown>>;
  const methods = [candidate.on, candidate.off, candidate.pause, candidate.resume, candidate.ping, candidate.terminate];
  return methods.every((method) => typeof method === "function") ? (socket as unknown as WsSocket) : undefined;
}

/** One `ws` message as one plain Uint8Array (a view of ws's Buffer, no copy; fragments joined). */
export function wsMessageBytes(data: WsMessage): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  // A view, not the Buffer itself: readers hand out plain Uint8Arrays on every runtime.
  if (!Array.isArray(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const whole = new Uint8Array(data.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of data) {
    whole.set(part, offset);
    offset += part.byteLength;
  }
  return whole;
}
