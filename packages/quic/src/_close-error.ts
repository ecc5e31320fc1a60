import { ConnectionResetError } from "@asyncstreams/protocol";
import type { StackCloseInfo } from "./_stack.js";

/** The stack's error in a few words: matrixai's idle timeout has an empty message, but a name. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return "idle timeout";
  return error.message === "" ? error.name : error.message;
}

/**
 * The error every open stream's reads and `drain()` get when the connection ends.
 *
 * @param info How the connection ended, as the stack reports it.
 * @returns The reset to fail the open streams with, naming the code and reason.
 */
export function closeError(info: StackCloseInfo): ConnectionResetError {
  const kind = info.isApp ? "code" : "transport error code";
  const detail = `with ${kind} ${info.code}${info.reason === "" ? "" : ` (${info.reason})`}`;
  const message =
    info.remote === true
      ? `Connection reset by peer: the peer closed the QUIC connection ${detail}`
      : info.remote === false
        ? `Connection closed: this side closed the QUIC connection ${detail}`
        : `Connection lost: the QUIC connection ended (${describe(info.error)})`;
  return new ConnectionResetError(message, {
    applicationCode: info.isApp ? info.code : undefined,
    reason: info.reason === "" ? undefined : info.reason,
    cause: info.error,
  });
}
