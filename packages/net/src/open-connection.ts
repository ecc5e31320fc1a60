import type { Socket } from "node:net";
import type { Streams, WriteBufferLimits } from "@asyncstreams/protocol";
import { StreamReader } from "@asyncstreams/reader";
import { nodeByteSearch } from "./node-byte-search.js";
import { connectSocket } from "./_connect-socket.js";
import { streamsOverSocket } from "./_streams-over-socket.js";
import { OPTION_NAMES, checkOptions } from "./_check-options.js";
import { numberError } from "./_number-error.js";

/**
 * Options for {@linkcode openConnection}.
 */
export interface OpenConnectionOptions {
  /** The host to connect to. Default `"localhost"`. */
  host?: string | undefined;
  /** The port to connect to. Required unless `socket` is given. */
  port?: number | undefined;
  /** An already connected socket to adopt instead of connecting (asyncio's `sock=`). */
  socket?: Socket | undefined;
  /** The reader's limit. Default 64 KiB. */
  limit?: number | undefined;
  /** Aborts the connection attempt; the socket is destroyed and the promise rejects with the reason. */
  signal?: AbortSignal | undefined;
  /** The local address to connect from. */
  localAddress?: string | undefined;
  /** The local port to connect from. */
  localPort?: number | undefined;
  /** The address family: 4, 6, or 0 for either. */
  family?: 0 | 4 | 6 | undefined;
  /** Enables TCP keep-alive. */
  keepAlive?: boolean | undefined;
  /** Milliseconds before the first keep-alive probe. */
  keepAliveInitialDelay?: number | undefined;
  /** Disables Nagle's algorithm (TCP_NODELAY), as asyncio does. Default `true`. */
  noDelay?: boolean | undefined;
  /** Happy Eyeballs (RFC 8305): try IPv6 and IPv4 addresses in parallel. Node's default applies when unset. */
  happyEyeballs?: boolean | undefined;
  /**
   * Milliseconds to wait for one attempt before starting the next under Happy Eyeballs (asyncio's
   * `happy_eyeballs_delay`, in seconds there; RFC 8305 recommends 250 ms). Setting it turns Happy
   * Eyeballs on, as in asyncio. Fractions are rounded up, and Node waits at least 10 ms.
   */
  happyEyeballsDelay?: number | undefined;
  /**
   * asyncio's `interleave`: how many addresses of the first family to try before switching. Node
   * alternates families one address at a time, so only `1` (asyncio's default with Happy
   * Eyeballs) is accepted; anything else is a `RangeError`.
   */
  interleave?: 1 | undefined;
  /**
   * asyncio's `all_errors`: when every attempt fails, reject with an `AggregateError` holding each
   * attempt's `SocketError` (asyncio: an `ExceptionGroup`) instead of one `SocketError`.
   */
  allErrors?: boolean | undefined;
  /** Write-buffer water marks (asyncio defaults: 64 KiB high, `high / 4` low). */
  writeBufferLimits?: Partial<WriteBufferLimits> | undefined;
}

/**
 * asyncio's `open_connection()`: connects over TCP and returns the connection's reader and writer.
 *
 * The connection is half-open capable: after the peer's FIN, `reader` reaches EOF and `writer` can
 * still write (Node's own default would close it). TCP_NODELAY is on by default, as in asyncio.
 *
 * Cancel safety: aborting `signal` while connecting destroys the socket (no descriptor is left open) and
 * rejects with `signal.reason`; once the streams are returned the signal no longer applies (reads take
 * their own). With `socket`, an already aborted signal rejects before the socket is used; it stays the
 * caller's.
 *
 * @param options Where to connect, the reader's `limit`, `signal`, and socket settings.
 * @returns The reader and the writer.
 * @throws {RangeError} When `limit` is not greater than 0 (before any network activity).
 * @throws {TypeError} When both or neither of `port` and `socket` are given, or an option name is
 *   unknown (`tls` and `ssl` included: this package never encrypts, see `@asyncstreams/tls`).
 * @throws {SocketError} When the connection fails: `code` is the system code (`ECONNREFUSED`, ...).
 * @throws `signal.reason` when the signal aborts the attempt.
 *
 * @example
 * ```ts
 * // @example-no-run: needs a line server on 127.0.0.1:8888
 * import { openConnection } from "@asyncstreams/net";
 *
 * const { reader, writer } = await openConnection({ host: "127.0.0.1", port: 8888 });
 * writer.write(new TextEncoder().encode("PING\n"));
 * await writer.drain();
 * console.log(new TextDecoder().decode(await reader.readLine()));
 * writer.close();
 * await writer.waitClosed();
 * ```
 */
export async function openConnection(options: OpenConnectionOptions): Promise<Streams> {
  checkOptions("Cannot open a connection", options, OPTION_NAMES.openConnection);
  const reader = new StreamReader({ limit: options.limit, search: nodeByteSearch });
  const { host = "localhost", port, socket, signal } = options;
  if (socket !== undefined) {
    if (port !== undefined || options.host !== undefined) {
      throw new TypeError("Cannot open a connection: host/port and socket can not be specified at the same time");
    }
    signal?.throwIfAborted();
    return streamsOverSocket(socket, {
      reader,
      noDelay: options.noDelay,
      writeBufferLimits: options.writeBufferLimits,
    });
  }
  if (port === undefined)
    throw new TypeError("Cannot open a connection: host and port was not specified and no socket specified");
  const happyEyeballs = happyEyeballsOptions(options);
  const connected = await connectSocket(
    {
      host,
      port,
      localAddress: options.localAddress,
      localPort: options.localPort,
      family: options.family,
      keepAlive: options.keepAlive,
      keepAliveInitialDelay: options.keepAliveInitialDelay,
      ...happyEyeballs,
    },
    signal,
    `${host}:${port}`,
    options.allErrors === true,
  );
  return streamsOverSocket(connected, {
    reader,
    noDelay: options.noDelay,
    writeBufferLimits: options.writeBufferLimits,
    hostname: host,
  });
}

/** Node's Happy Eyeballs options from asyncio's three, checked before any network activity. */
function happyEyeballsOptions(options: OpenConnectionOptions): {
  autoSelectFamily?: boolean;
  autoSelectFamilyAttemptTimeout?: number;
} {
  const { happyEyeballs, happyEyeballsDelay: delay, interleave } = options;
  if (delay !== undefined && !(typeof delay === "number" && delay > 0 && delay < 2 ** 31)) {
    const wanted = "a positive number of milliseconds (asyncio recommends 250)";
    throw numberError("Cannot open a connection", "happyEyeballsDelay", delay, wanted);
  }
  if (interleave !== undefined && interleave !== 1) {
    const hint = "Node's Happy Eyeballs alternates address families one address at a time";
    throw numberError("Cannot open a connection", "interleave", interleave, "1", hint);
  }
  // asyncio: giving a delay (or interleave) turns Happy Eyeballs on unless it was turned off.
  const on = happyEyeballs ?? (delay !== undefined || interleave !== undefined ? true : undefined);
  return {
    ...(on === undefined ? {} : { autoSelectFamily: on }),
    // Node wants a whole number of milliseconds (a RangeError otherwise): round a fraction up.
    ...(delay === undefined ? {} : { autoSelectFamilyAttemptTimeout: Math.ceil(delay) }),
  };
}
