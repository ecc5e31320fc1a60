import { MAX_TIMER_DELAY } from "./_max-timer-delay.js";
import { numberError } from "./_number-error.js";

/**
 * `server.close({ timeout })`'s rule: 0 to 2^31-1 milliseconds (about 24.8 days). A longer delay
 * (or Infinity) is refused rather than handed to `setTimeout()`, which would fire it after 1 ms and
 * reset every client at once; leave `timeout` out for no deadline.
 */
export function checkCloseTimeout(timeout: unknown): void {
  if (timeout === undefined || (typeof timeout === "number" && timeout >= 0 && timeout <= MAX_TIMER_DELAY)) return;
  throw numberError(
    "Cannot close the server",
    "timeout",
    timeout,
    `a number of milliseconds from 0 to ${MAX_TIMER_DELAY}`,
    typeof timeout === "number" && timeout > MAX_TIMER_DELAY ? "leave it out for no deadline" : undefined,
  );
}
