import { StreamError } from "@asyncstreams/buffer";
import { ConnectionResetError } from "@asyncstreams/protocol";
import { SocketError } from "./socket-error.js";
import { toTlsError } from "./_upgrade-to-tls.js";

/** Node's system errors carry these. */
interface SystemErrorFields {
  code?: unknown;
  syscall?: unknown;
  address?: unknown;
  port?: unknown;
}

/**
 * The codes that mean the peer (or the network) broke an established connection: every transport
 * reports them as {@linkcode ConnectionResetError}, keeping the system's code as `systemCode`.
 * asyncio raises `ConnectionResetError` or `BrokenPipeError` (both `ConnectionError`) for these.
 */
const RESET_CODES: ReadonlySet<string> = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED", "ERR_STREAM_PREMATURE_CLOSE"]);

/**
 * Wraps a Node socket or stream error: a reset of an established connection becomes a
 * {@linkcode ConnectionResetError} (the same class as on every other transport), anything else a
 * {@linkcode SocketError} with the system code. Both keep the original as `cause`. Errors of this
 * project pass through unchanged. Over TLS, an error other than a reset is a `TlsError` (a bad
 * record, a failed renegotiation).
 *
 * @param error What Node reported.
 * @param action The failed action, the start of the message (`Connection lost`).
 * @param overTls Whether the connection speaks TLS.
 * @returns The error to report.
 */
export function toSocketError(error: unknown, action: string, overTls = false): unknown {
  if (error instanceof StreamError || !(error instanceof Error)) return error;
  const fields = error as SystemErrorFields;
  const code = typeof fields.code === "string" ? fields.code : "ERR_SOCKET";
  const syscall = typeof fields.syscall === "string" ? fields.syscall : undefined;
  const message = `${action}: ${error.message}`;
  if (RESET_CODES.has(code)) return new ConnectionResetError(message, { systemCode: code, syscall, cause: error });
  if (overTls) return toTlsError(error, `TLS ${action.toLowerCase()}`);
  return new SocketError(message, {
    code,
    cause: error,
    syscall,
    address: typeof fields.address === "string" ? fields.address : undefined,
    port: typeof fields.port === "number" ? fields.port : undefined,
  });
}
