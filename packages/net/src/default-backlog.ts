/**
 * The listen backlog servers use when none is given: 4,096 pending connections, which the kernel caps
 * at its own maximum (`net.core.somaxconn` on Linux: 4,096 since Linux 5.4, 128 before; `kern.ipc.somaxconn`
 * on macOS and the BSDs).
 *
 * A deliberate difference from asyncio, whose default is 100 (Node's is 511). The backlog is only a
 * ceiling: the kernel spends memory on connections actually waiting to be accepted, not on the number.
 * A burst of connects larger than the backlog overflows the accept queue; the kernel then drops SYNs,
 * or completes a connection with a SYN cookie and drops its final ACK, and those clients are accepted
 * only after a retransmission one or more seconds later. Measured on loopback (2 cores): 2,000
 * simultaneous connects to an echo server with a backlog of 100 had a p99 connect-to-echo time of
 * 2.0–2.9 s (Node's 511: 1.2–1.3 s); 1,000 TLS clients that never send a ClientHello were not all even
 * seen by the server, so its `handshakeTimeout` could not close them. Pass `backlog` to choose
 * another value (Go also takes the system's maximum).
 *
 * @example
 * ```ts
 * import { DEFAULT_BACKLOG, startServer } from "@asyncstreams/net";
 *
 * // Half the default, for a server that sheds load early instead.
 * const server = await startServer(() => undefined, { port: 0, backlog: DEFAULT_BACKLOG / 2 });
 * ```
 */
export const DEFAULT_BACKLOG = 4096;
