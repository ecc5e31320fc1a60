import { ConnectionResetError } from "@asyncstreams/protocol";

/** Close codes that end the stream cleanly: normal closure, going away, no status received. */
const EOF_CODES: ReadonlySet<number> = new Set([1000, 1001, 1005]);

/** The close code for a reader that passed `maxReadBuffer`: 1009, message too big. */
export const MESSAGE_TOO_BIG = 1009;

/**
 * The close code `abort()` sends on a socket that cannot drop its connection (the WHATWG
 * `WebSocket` has no `terminate()`): an error code, so the peer sees a reset, not an EOF.
 */
export const ABORT_CODE = 4000;

/**
 * What a peer's close means for the reader: undefined (EOF) for 1000, 1001 and 1005, else a
 * `ConnectionResetError` with the code and the reason (1006: the connection dropped without a
 * closing handshake).
 */
export function closeError(code: number, reason: string, cause: unknown): ConnectionResetError | undefined {
  if (EOF_CODES.has(code)) return undefined;
  const why =
    code === 1006
      ? " (abnormal closure: the connection dropped without a closing handshake)"
      : reason === ""
        ? ""
        : ` (${reason})`;
  return new ConnectionResetError(`Connection reset by peer: the WebSocket closed with code ${code}${why}`, {
    closeCode: code,
    reason,
    cause,
  });
}

/**
 * A code the socket may send: `ws` sends any valid code; the WHATWG `close()` accepts only 1000
 * and 3000-4999, so a protocol code 1xxx is moved to 4xxx (1009 becomes 4009).
 */
export function sendableCode(code: number, anyCode: boolean): number {
  if (anyCode || code === 1000 || (code >= 3000 && code <= 4999)) return code;
  return 4000 + (code % 1000);
}
