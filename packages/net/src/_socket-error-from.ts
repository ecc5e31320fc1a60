import { StreamError } from "@asyncstreams/buffer";
import { SocketError } from "./socket-error.js";

/** Node's system errors carry these. */
interface SystemErrorFields {
  code?: unknown;
  syscall?: unknown;
  address?: unknown;
  port?: unknown;
}

/**
 * Wraps a Node socket error in a {@linkcode SocketError} that keeps its system code and the
 * original as `cause`. Errors of this project pass through unchanged.
 */
export function toSocketError(error: unknown, action: string): unknown {
  if (error instanceof StreamError || !(error instanceof Error)) return error;
  const fields = error as SystemErrorFields;
  return new SocketError(`${action}: ${error.message}`, {
    code: typeof fields.code === "string" ? fields.code : "ERR_ASYNCSTREAMS_SOCKET",
    cause: error,
    syscall: typeof fields.syscall === "string" ? fields.syscall : undefined,
    address: typeof fields.address === "string" ? fields.address : undefined,
    port: typeof fields.port === "number" ? fields.port : undefined,
  });
}
