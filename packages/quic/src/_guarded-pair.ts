import type { WebStreamPair } from "@asyncstreams/protocol";

const ignore = (): void => undefined;

/** A stream's Web Streams pair whose errors are this project's, and which its connection can fail. */
export interface GuardedPair extends WebStreamPair {
  /** The connection ended: pending and later reads and writes reject with `error`. */
  fail(error: unknown): void;
}

/**
 * Wraps a stack's readable and writable so that every error they raise goes through `mapError`
 * (a reset becomes a `ConnectionResetError` with its code), and so that once the connection has
 * ended they reject with the connection's own error instead of whatever the stack says.
 *
 * The wrappers are thin objects with the `getReader()` / `getWriter()` shape the Web Streams
 * transport uses, not new streams: a stream layer would cost a promise and a queue per chunk. The
 * transport reads one chunk at a time only when its reader wants more, so a full reader stops the
 * reads, the stack stops taking data, and QUIC flow control holds the peer.
 */
export function guardPair(
  readable: ReadableStream<Uint8Array> | null,
  writable: WritableStream<Uint8Array> | null,
  mapError: (error: unknown) => unknown,
  onDone: () => void,
): GuardedPair {
  // A send-only stream reads EOF at once; a receive-only one gets a sink its transport never writes to.
  const source = (
    readable ?? new ReadableStream<Uint8Array>({ start: (controller) => controller.close() })
  ).getReader();
  const sink = (writable ?? new WritableStream<Uint8Array>()).getWriter();
  if (writable === null) void sink.close().catch(ignore);
  source.closed.catch(ignore);
  sink.closed.catch(ignore);
  // Both halves settled: the stream is over, its connection need not track it any more.
  void Promise.allSettled([source.closed, sink.closed]).then(onDone);
  let failure: { error: unknown } | undefined;
  const rethrow = (error: unknown): never => {
    throw failure === undefined ? mapError(error) : failure.error;
  };
  const reader = {
    read: (): Promise<ReadableStreamReadResult<Uint8Array>> => {
      if (failure !== undefined) return Promise.reject(failure.error);
      return source.read().then((result) => {
        if (failure !== undefined) throw failure.error; // a read that the cancel below ended
        return result;
      }, rethrow);
    },
    cancel: (reason?: unknown): Promise<void> => source.cancel(reason),
    releaseLock: (): void => source.releaseLock(),
    closed: source.closed.catch(rethrow),
  };
  const writer = {
    write: (chunk: Uint8Array): Promise<void> =>
      failure === undefined ? sink.write(chunk).catch(rethrow) : Promise.reject(failure.error),
    close: (): Promise<void> => (failure === undefined ? sink.close().catch(rethrow) : Promise.reject(failure.error)),
    abort: (reason?: unknown): Promise<void> => sink.abort(reason),
    releaseLock: (): void => sink.releaseLock(),
    closed: sink.closed.catch(rethrow),
  };
  reader.closed.catch(ignore);
  writer.closed.catch(ignore);
  return {
    readable: { getReader: () => reader } as unknown as ReadableStream<Uint8Array>,
    writable: { getWriter: () => writer } as unknown as WritableStream<Uint8Array>,
    fail: (error) => {
      if (failure !== undefined) return;
      failure = { error };
      // The stack drops its streams with the connection, which ends a read in flight. Should one
      // still wait, end it here, one turn later: by then the caller has closed the connection, so
      // this sends nothing (sent now, the peer would see a stream reset before the close's code).
      setTimeout(() => {
        source.cancel(error).catch(ignore);
        sink.abort(error).catch(ignore);
      }, 0);
    },
  };
}
