import type { WebStreamPair } from "@asyncstreams/protocol";

const ignore = (): void => undefined;

/** A stream's Web Streams pair whose errors are this project's, and which its connection can fail. */
export interface GuardedPair extends WebStreamPair {
  /** Errors both halves with `error` (the connection ended): pending and later reads and writes reject with it. */
  fail(error: unknown): void;
}

/**
 * Wraps a stack's readable and writable so that every error they raise goes through `mapError`
 * (a reset becomes a `ConnectionResetError` with its code) and so that the connection can end
 * them with its own error. The wrapper readable pulls one chunk only when asked (high-water mark
 * 0): a paused reader stops the pulls, the stack's stream stops reading, and QUIC flow control
 * holds the peer.
 */
export function guardPair(
  readable: ReadableStream<Uint8Array> | null,
  writable: WritableStream<Uint8Array> | null,
  mapError: (error: unknown) => unknown,
  onDone: () => void,
): GuardedPair {
  // A send-only stream reads EOF at once; a receive-only one gets a sink its transport never writes to.
  const source = (readable ?? new ReadableStream<Uint8Array>({ start: (controller) => controller.close() })).getReader();
  const sink = (writable ?? new WritableStream<Uint8Array>()).getWriter();
  if (writable === null) void sink.close().catch(ignore);
  source.closed.catch(ignore);
  sink.closed.catch(ignore);
  // Both halves settled: the stream is over, its connection need not track it any more.
  void Promise.allSettled([source.closed, sink.closed]).then(onDone);
  let failure: { error: unknown } | undefined;
  const mapped = (error: unknown): unknown => (failure === undefined ? mapError(error) : failure.error);
  let readController: ReadableStreamDefaultController<Uint8Array> | undefined;
  let writeController: WritableStreamDefaultController | undefined;
  const guardedReadable = new ReadableStream<Uint8Array>(
    {
      start: (controller) => {
        readController = controller;
      },
      pull: async (controller) => {
        try {
          const next = await source.read();
          if (failure !== undefined) return;
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        } catch (error) {
          controller.error(mapped(error));
        }
      },
      cancel: (reason) => source.cancel(reason).catch(ignore),
    },
    { highWaterMark: 0 },
  );
  const guardedWritable = new WritableStream<Uint8Array>({
    start: (controller) => {
      writeController = controller;
    },
    write: (chunk) =>
      sink.write(chunk).catch((error: unknown) => {
        throw mapped(error);
      }),
    close: () =>
      sink.close().catch((error: unknown) => {
        throw mapped(error);
      }),
    abort: (reason) => sink.abort(reason).catch(ignore),
  });
  return {
    readable: guardedReadable,
    writable: guardedWritable,
    fail: (error) => {
      if (failure !== undefined) return;
      failure = { error };
      // Only our side: the stack drops its streams with the connection (resetting them here would
      // tell the peer "stream reset" before it learns the connection's close code).
      readController?.error(error);
      writeController?.error(error);
    },
  };
}
