import type { Transport, WriteBufferLimits } from "@asyncstreams/protocol";
import { WebStreamTransport } from "@asyncstreams/protocol";
import { ABORT_CODE, closeError } from "./_close-codes.js";
import { handshakeFailure } from "./_handshake-failure.js";
import { messageBytes } from "./_message-bytes.js";

/** What a `WebSocketStream`'s `closed` resolves with, and what its `WebSocketError` carries. */
interface CloseInfo {
  closeCode?: number | undefined;
  reason?: string | undefined;
}

/** The WHATWG `WebSocketStream` (Chromium 124+, Deno with `--unstable-net`), as far as used here. */
export interface WebSocketStreamLike {
  readonly url: string;
  readonly opened: Promise<{
    readable: ReadableStream<unknown>;
    writable: WritableStream<Uint8Array>;
    protocol: string;
  }>;
  readonly closed: Promise<CloseInfo>;
  close(info?: CloseInfo): void;
}

/** Its constructor. */
export type WebSocketStreamConstructor = new (
  url: string,
  options?: { protocols?: string[] | undefined },
) => WebSocketStreamLike;

/** The runtime's `WebSocketStream`, or undefined. */
export function globalWebSocketStream(): WebSocketStreamConstructor | undefined {
  const found = (globalThis as { WebSocketStream?: unknown }).WebSocketStream;
  return typeof found === "function" ? (found as WebSocketStreamConstructor) : undefined;
}

/** How the connection ended, as the transport reports it: undefined (EOF) for 1000, 1001 and 1005. */
async function endError(stream: WebSocketStreamLike, cause: unknown): Promise<unknown> {
  const info = await stream.closed.then(
    (closed) => closed,
    (error: unknown) => error as CloseInfo,
  );
  return closeError(info?.closeCode ?? 1006, info?.reason ?? "", cause);
}

/** Reads a stream to its end, discarding everything; never rejects. */
async function drainUnseen(source: ReadableStreamDefaultReader<unknown>): Promise<void> {
  try {
    for (;;) if ((await source.read()).done) return;
  } catch {
    // the connection failed: nothing more will come
  }
}

/**
 * Opens a `WebSocketStream` and wraps it in a {@linkcode WebStreamTransport}: the readable is pulled
 * one message at a time, so a paused reader stops pulling and the runtime stops reading the socket
 * (TCP back-pressure reaches the sender), which a WHATWG `WebSocket` cannot do.
 *
 * - Each message is its bytes (text as UTF-8); the end of the readable becomes EOF or a
 *   `ConnectionResetError` by the close code, as on the `WebSocket` path.
 * - The writable's close sends 1000 (a bare `writable.close()` would send no status, 1005), and
 *   an abort sends 4000 ("aborted"), which the peer sees as a reset.
 *
 * @param stream The opening stream.
 * @param url For error messages.
 * @param stopped Rejects when the caller gives up (signal, timeout): the stream is closed.
 * @param writeBufferLimits The water marks.
 */
export async function openWebSocketStreamTransport(
  stream: WebSocketStreamLike,
  url: string,
  stopped: Promise<never>,
  writeBufferLimits: Partial<WriteBufferLimits> | undefined,
): Promise<Transport> {
  let opened: Awaited<WebSocketStreamLike["opened"]>;
  try {
    opened = await Promise.race([
      stream.opened.catch(async (error: unknown) => {
        const info = await stream.closed.catch((closed: unknown) => closed as CloseInfo);
        throw handshakeFailure(url, info?.closeCode ?? (error as CloseInfo).closeCode ?? 1006, error);
      }),
      stopped,
    ]);
  } catch (error) {
    stream.close(); // aborts an opening that is still under way
    throw error;
  }
  const source = opened.readable.getReader();
  /** Set once the transport cancelled the readable: a read that settles after that changes nothing. */
  let cancelled = false;
  const readable = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          let result: ReadableStreamReadResult<unknown>;
          try {
            result = await source.read();
          } catch (error) {
            const failure = await endError(stream, error);
            if (!cancelled) controller.error(failure);
            return;
          }
          if (result.done) {
            const failure = await endError(stream, undefined);
            if (cancelled) return;
            if (failure === undefined) controller.close();
            else controller.error(failure);
            return;
          }
          if (cancelled) return;
          const bytes = messageBytes(result.value);
          if (bytes.length === 0) continue; // an empty message is no data, and must not look like EOF
          controller.enqueue(bytes);
          return;
        }
      },
      cancel: () => {
        // The transport's close() or abort() has already closed the socket through the writable.
        // Read on, unseen, rather than cancel: the peer's close frame then completes the closing
        // handshake (as on the WebSocket path), and Deno's WebSocketStream, whose own pull
        // enqueues after a cancel, raises no unhandled rejection.
        cancelled = true;
        void drainUnseen(source);
      },
    },
    // Nothing read ahead: the transport's own pull is the only demand, so pausing it holds the socket.
    { highWaterMark: 0 },
  );
  const sink = opened.writable.getWriter();
  const writable = new WritableStream<Uint8Array>({
    write: (chunk) => sink.write(chunk),
    close: () => {
      stream.close({ closeCode: 1000, reason: "" });
    },
    abort: () => {
      stream.close({ closeCode: ABORT_CODE, reason: "aborted" });
    },
  });
  return new WebStreamTransport(
    { readable, writable },
    {
      halfClose: false,
      writeBufferLimits,
      extraInfo: { websocket: stream, subprotocol: opened.protocol, webSocketStream: true },
    },
  );
}
