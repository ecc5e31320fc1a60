/**
 * The well-known keys of `getExtraInfo()`, as asyncio names them. Transports fill in what they
 * have; a key a transport does not know returns `undefined`.
 *
 * @example
 * ```ts
 * import type { ExtraInfo } from "@asyncstreams/writer";
 *
 * const peer: ExtraInfo["peername"] = { address: "127.0.0.1", family: "IPv4", port: 8888 };
 * ```
 */
export interface ExtraInfo {
  /** The remote address: `{ address, family, port }` for TCP, a path for Unix sockets. */
  peername: SocketAddress | string;
  /** The local address, in the same shape as `peername`. */
  sockname: SocketAddress | string;
  /** The underlying socket object of the runtime (for example a Node `net.Socket`). */
  socket: unknown;
  /** The TLS context or options once TLS is active; `undefined` on a plain connection. */
  sslcontext: unknown;
  /** The TLS socket or session object once TLS is active. */
  sslObject: unknown;
  /** The peer's certificate once TLS is active. */
  peercert: unknown;
  /** The negotiated cipher once TLS is active. */
  cipher: unknown;
  /** The negotiated TLS protocol version, for example `"TLSv1.3"`. */
  protocol: string;
  /** The protocol chosen by ALPN, if any. */
  alpnProtocol: string | false;
  /** Anything else a transport chooses to expose. */
  [key: string]: unknown;
}

/**
 * A network address, in the shape Node's `server.address()` uses.
 */
export interface SocketAddress {
  /** An IP address, for example `"127.0.0.1"` or `"::1"`. */
  address: string;
  /** `"IPv4"` or `"IPv6"`. */
  family: string;
  /** The port number. */
  port: number;
}
