import { StreamError } from "@asyncstreams/buffer";
import { ConnectionResetError } from "./connection-reset-error.js";

/**
 * What a transport reports when its underlying connection failed on its own (not because a
 * protocol callback threw): this project's errors pass through, anything else (a stream's abort
 * reason, a runtime's error) becomes the one {@linkcode ConnectionResetError} every transport uses
 * for a broken connection, with the original as `cause`.
 *
 * @param error What the runtime reported, possibly nothing.
 * @returns The error to fail the connection with.
 */
export function asConnectionReset(error: unknown): unknown {
  if (error instanceof StreamError) return error;
  return new ConnectionResetError(undefined, error === undefined || error === null ? {} : { cause: error });
}
