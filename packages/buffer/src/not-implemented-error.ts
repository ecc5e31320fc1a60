import { StreamError } from "./stream-error.js";

/**
 * Thrown by a transport method that the transport cannot support, as asyncio's
 * `NotImplementedError`: for example `pauseReading()` on a source that cannot pause. A
 * `StreamReader` that meets it stops trying to pause that transport and buffers instead.
 *
 * @example
 * ```ts
 * import { NotImplementedError } from "@asyncstreams/buffer";
 *
 * const transport = {
 *   pauseReading(): void { throw new NotImplementedError("pauseReading"); },
 *   resumeReading(): void {},
 * };
 * ```
 */
export class NotImplementedError extends StreamError {
  static {
    this.brand("NotImplementedError");
  }

  /** Always `ERR_NOT_IMPLEMENTED`. */
  declare readonly code: "ERR_NOT_IMPLEMENTED";

  /**
   * @param operation The method the transport cannot perform, such as `pauseReading`.
   */
  constructor(operation: string) {
    super("ERR_NOT_IMPLEMENTED", `Cannot ${operation}: not supported by this transport`);
  }
}
