import { checkDuration, checkOptions } from "./_check-options.js";
import type { KeepAliveOptions } from "./keep-alive-options.js";

/** Timers that may hold a Node process open get `unref()`; elsewhere they have none. */
function unref(timer: ReturnType<typeof setTimeout>): void {
  (timer as { unref?: () => void }).unref?.();
}

/** Validates `keepAlive` as given to a public function. */
export function checkKeepAlive(keepAlive: KeepAliveOptions | undefined, action: string): void {
  if (keepAlive === undefined) return;
  checkOptions(keepAlive, ["interval", "timeout"], `${action}: keepAlive`);
  if (keepAlive.interval === undefined) throw new TypeError(`${action}: keepAlive.interval is required`);
  checkDuration(keepAlive.interval, "keepAlive.interval", action);
  checkDuration(keepAlive.timeout, "keepAlive.timeout", action);
}

/**
 * Pings every `interval` ms; calls `onTimeout` once when a pong does not come back within
 * `timeout` ms. `pong()` is what the socket's pong event calls; `suspend()` and `resume()` follow
 * the socket's own pause, during which no pong can be read.
 */
export class KeepAlive {
  readonly #timeout: number;
  readonly #ticker: ReturnType<typeof setInterval>;
  #deadline: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #suspended = false;

  constructor(options: KeepAliveOptions, ping: () => void, onTimeout: (timeout: number) => void) {
    this.#timeout = options.timeout ?? options.interval;
    this.#ticker = setInterval(() => {
      if (this.#deadline !== undefined || this.#suspended) return; // waiting for the last pong, or paused
      ping();
      this.#deadline = setTimeout(() => {
        this.stop();
        onTimeout(this.#timeout);
      }, this.#timeout);
      unref(this.#deadline);
    }, options.interval);
    unref(this.#ticker);
  }

  /** A pong arrived: the peer is alive. */
  pong(): void {
    if (this.#deadline !== undefined) clearTimeout(this.#deadline);
    this.#deadline = undefined;
  }

  /**
   * The socket is paused for back-pressure: a pong would wait unread behind the data, so a missing
   * one proves nothing. No pings and no deadline until `resume()`.
   */
  suspend(): void {
    this.#suspended = true;
    if (this.#deadline !== undefined) clearTimeout(this.#deadline);
    this.#deadline = undefined;
  }

  /** The socket reads again: the next tick pings, with a fresh deadline. */
  resume(): void {
    this.#suspended = false;
  }

  /** No more pings (the connection is closing or lost). Idempotent. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#ticker);
    if (this.#deadline !== undefined) clearTimeout(this.#deadline);
  }
}
