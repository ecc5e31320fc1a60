import type { Socket } from "node:net";
import type { Streams, WriteBufferLimits } from "@asyncstreams/protocol";
import { StreamReader } from "@asyncstreams/reader";
import { nodeByteSearch } from "./node-byte-search.js";
import { connectSocket } from "./_connect-socket.js";
import { streamsOverSocket } from "./_streams-over-socket.js";
import { OPTION_NAMES, checkOptions } from "./_check-options.js";

/**
 * Options for {@linkcode openUnixConnection}.
 */
export interface OpenUnixConnectionOptions {
  /** The socket's path (a leading `"\0"` names an abstract socket on Linux). Required unless `socket` is given. */
  path?: string | undefined;
  /** asyncio's `sock=`: an already connected Unix socket to adopt instead of connecting. */
  socket?: Socket | undefined;
  /** The reader's limit. Default 64 KiB. */
  limit?: number | undefined;
  /** Aborts the connection attempt. */
  signal?: AbortSignal | undefined;
  /** Write-buffer water marks (asyncio defaults: 64 KiB high, `high / 4` low). */
  writeBufferLimits?: Partial<WriteBufferLimits> | undefined;
}

/**
 * asyncio's `open_unix_connection()`: connects to a Unix-domain stream socket and returns the
 * connection's reader and writer, half-open capable as over TCP.
 *
 * Cancel safety: aborting `signal` while connecting destroys the socket (no descriptor is left open) and
 * rejects with `signal.reason`; once the streams are returned the signal no longer applies (reads take
 * their own).
 *
 * @param options `path`, the reader's `limit` and `signal`.
 * @returns The reader and the writer; `getExtraInfo("peername")` is the path.
 * @throws {RangeError} When `limit` is not greater than 0.
 * @throws {SocketError} When the connection fails (`ENOENT`, `ECONNREFUSED`, ...).
 *
 * @example
 * ```ts
 * // @example-no-run: needs a server on /run/app.sock
 * import { openUnixConnection } from "@asyncstreams/net";
 *
 * const { reader, writer } = await openUnixConnection({ path: "/run/app.sock" });
 * ```
 */
export async function openUnixConnection(options: OpenUnixConnectionOptions): Promise<Streams> {
  checkOptions("Cannot open a Unix connection", options, OPTION_NAMES.openUnixConnection);
  const reader = new StreamReader({ limit: options.limit, search: nodeByteSearch });
  const { path, socket: adopted } = options;
  if (adopted !== undefined) {
    if (path !== undefined)
      throw new TypeError("Cannot open a Unix connection: path and socket can not be specified at the same time");
    options.signal?.throwIfAborted();
    return streamsOverSocket(adopted, {
      reader,
      noDelay: false,
      writeBufferLimits: options.writeBufferLimits,
      extraInfo: { peername: adopted.remoteAddress ?? "", sockname: "" },
    });
  }
  if (typeof path !== "string" || path === "")
    throw new TypeError("Cannot open a Unix connection: no path was specified");
  const socket = await connectSocket({ path }, options.signal, path);
  return streamsOverSocket(socket, {
    reader,
    noDelay: false,
    writeBufferLimits: options.writeBufferLimits,
    extraInfo: { peername: path, sockname: "" },
  });
}
