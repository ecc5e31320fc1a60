/**
 * Options for {@linkcode StreamError}.
 */
export interface StreamErrorOptions {
  /** The error that caused this one, kept for diagnostics (a socket error, for example). */
  cause?: unknown;
}

/**
 * The base class of every error that asyncstreams packages throw for conditions a caller handles.
 *
 * Each subclass has a stable {@linkcode StreamError.code}: match on `code`, not on `instanceof`,
 * when several copies of a package may be installed side by side.
 *
 * @example
 * ```ts
 * import { StreamError } from "@asyncstreams/buffer";
 *
 * const error = new StreamError("ERR_EXAMPLE", "Cannot do it: example");
 * console.log(error.code); // "ERR_EXAMPLE"
 * ```
 */
export class StreamError extends Error {
  /** A stable, machine-readable identifier such as `ERR_INCOMPLETE_READ`. */
  readonly code: string;

  /**
   * @param code A stable identifier of the condition.
   * @param message A sentence-case message: the failed action, a colon, then the detail.
   * @param options `cause`: the underlying error.
   */
  constructor(code: string, message: string, options?: StreamErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}
