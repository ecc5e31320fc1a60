import { StreamError } from "@asyncstreams/buffer";

/**
 * Thrown at once by a read started while another read of the same `StreamReader` is waiting for
 * data: one waiter at a time, as asyncio's `RuntimeError`. The waiting read is not disturbed.
 *
 * @example
 * ```ts
 * import { ReadInProgressError, StreamReader } from "@asyncstreams/reader";
 *
 * const reader = new StreamReader();
 * const first = reader.readLine();
 * await reader.readLine().catch((error: unknown) => {
 *   // readLine() called while another read is already waiting for incoming data: await the pending readLine() first
 *   if (error instanceof ReadInProgressError) console.log(error.code); // "ERR_READ_IN_PROGRESS"
 * });
 * reader.feedEof();
 * await first;
 * ```
 */
export class ReadInProgressError extends StreamError {
  static {
    this.brand("ReadInProgressError");
  }

  /** Always `ERR_READ_IN_PROGRESS`. */
  declare readonly code: "ERR_READ_IN_PROGRESS";

  /**
   * @param method The read that was refused: `read`, `readExactly`, `readUntil`, `readLine`
   *   (iteration and `readLines()` call `readLine()`) or `peek`.
   * @param waiting The read that is waiting, named in the advice that follows asyncio's words.
   */
  constructor(method: string, waiting?: string) {
    const advice = waiting === undefined || waiting === "" ? "" : `: await the pending ${waiting}() first`;
    // asyncio's words first ("another coroutine" there), then what to do.
    const asyncio = `${method}() called while another read is already waiting for incoming data`;
    super("ERR_READ_IN_PROGRESS", `${asyncio}${advice}`);
  }
}
