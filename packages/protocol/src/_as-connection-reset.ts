import { StreamError } from "@asyncstreams/buffer";
import { ConnectionResetError } from "./connection-reset-error.js";

/**
 * What a transport reports when its underlying connection failed on its own (not because a
 * protocol callback threw): this project's errors pass through, anything else (a stream's abort
 * reason, a runtime's error) becomes the one {@linkcode ConnectionResetError} every transport uses
 * for a broken connection, with the original as `cause` and its string `code`, if any, as
 * `systemCode`.
 *
 * @param error What the runtime reported, possibly nothing.
 * @returns The error to fail the connection with.
 */
export function asConnectionReset(error: unknown): unknown {
  if (error instanceof StreamError) return error;
  if (error === undefined || error === null) return new ConnectionResetError();
  // Node's and Deno's socket errors carry the system code: keep it, as the net package does.
  const code = (error as { code?: unknown }).code;
  return new ConnectionResetError(undefined, { cause: error, systemCode: typeof code === "string" ? code : undefined });
}
