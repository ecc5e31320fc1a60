import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";

/**
 * Answers an upgrade request with an HTTP error status and closes the socket; with `destroy`, at
 * once after the answer is handed over (for a request not worth a graceful end, such as a malformed one).
 */
export function refuseUpgrade(socket: Duplex, status: number, options: { destroy?: boolean } = {}): void {
  if (socket.destroyed) return;
  const text = STATUS_CODES[status] ?? "Error";
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length + 1}\r\n\r\n${text}\n`,
    options.destroy === true ? () => socket.destroy() : undefined,
  );
  // A peer that never reads must not keep the socket open.
  setTimeout(() => socket.destroy(), 1_000).unref();
}

/** The status to refuse with, from what `authorize` returned: `false` is 403. */
export function refusalStatus(verdict: boolean | number): number | undefined {
  if (verdict === true) return undefined;
  if (verdict === false) return 403;
  if (!Number.isInteger(verdict) || verdict < 400 || verdict > 599) {
    throw new RangeError(
      `Cannot refuse the upgrade: authorize returned ${String(verdict)}; return true, false, or an HTTP status from 400 to 599`,
    );
  }
  return verdict;
}
