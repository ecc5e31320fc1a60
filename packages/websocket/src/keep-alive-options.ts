/**
 * Keep-alive pings: every `interval` ms the transport sends a ping, and when no pong comes back
 * within `timeout` ms it drops the connection with a `KeepAliveTimeoutError`. Only a socket that
 * can send pings takes it (`ws`); the WHATWG `WebSocket` cannot, and the option is refused there.
 * While the reader is paused for back-pressure the socket reads nothing, pongs included, so pings
 * and their deadline wait until it reads again.
 *
 * @example
 * ```ts
 * import type { KeepAliveOptions } from "@asyncstreams/websocket";
 *
 * const keepAlive: KeepAliveOptions = { interval: 30_000, timeout: 10_000 };
 * ```
 */
export interface KeepAliveOptions {
  /** Milliseconds between pings. */
  interval: number;
  /** Milliseconds to wait for each pong. Default: `interval`. */
  timeout?: number | undefined;
}
