import { linkSync, lstatSync, renameSync, statSync, unlinkSync } from "node:fs";
import { createServer } from "node:net";
import type { Server as NetServer, Socket } from "node:net";
import type { ClientConnectedCallback, WriteBufferLimits } from "@asyncstreams/protocol";
import { StreamReader } from "@asyncstreams/reader";
import { DEFAULT_BACKLOG } from "./default-backlog.js";
import { checkMaxConnections } from "./_check-max-connections.js";
import { listen } from "./_listen.js";
import { adoptedTarget, openListener } from "./_listen-targets.js";
import type { ListenTarget } from "./_listen-targets.js";
import { Server } from "./server.js";
import { OPTION_NAMES, checkOptions } from "./_check-options.js";
import type { ServerErrorHandler, ServerInit } from "./server.js";

/**
 * Options for {@linkcode startUnixServer}.
 */
export interface StartUnixServerOptions {
  /**
   * The socket's path (a leading `"\0"` names an abstract socket on Linux). Required unless `socket` or
   * `fd` is given.
   */
  path?: string | undefined;
  /**
   * asyncio's `sock=`: a listening Unix socket to adopt instead of `path` (a `net.Server`, or a
   * `net.Socket` owning the handle).
   */
  socket?: NetServer | Socket | undefined;
  /** A listening descriptor to adopt (systemd socket activation passes 3 and up). */
  fd?: number | undefined;
  /** Remove the socket file on `close()` if it is still the one this server made. Default `true`. */
  cleanupSocket?: boolean | undefined;
  /** Each connection's reader limit. Default 64 KiB. */
  limit?: number | undefined;
  /** The listen backlog. Default {@linkcode DEFAULT_BACKLOG} (4,096, capped by the kernel). */
  backlog?: number | undefined;
  /** Start accepting before `startUnixServer()` returns. Default `true`. */
  startServing?: boolean | undefined;
  /** Aborts while binding. */
  signal?: AbortSignal | undefined;
  /** Called when a client callback throws or rejects, or accepting fails. Default `console.error`. */
  onError?: ServerErrorHandler | undefined;
  /** Write-buffer water marks of accepted connections. */
  writeBufferLimits?: Partial<WriteBufferLimits> | undefined;
  /**
   * The most connections served at once; one more is closed as soon as it is accepted, before it
   * reaches `onClient` (the client sees the connection end). Default: no limit.
   */
  maxConnections?: number | undefined;
}

/**
 * asyncio's `start_unix_server()` (3.13): listens on a Unix-domain socket and calls
 * `onClient(reader, writer)` for each connection.
 *
 * A stale socket file at `path` is removed first (only if it is a socket). On `close()` the file is
 * removed only if it is still the one this server bound (same inode): a file someone replaced is
 * left alone, and `cleanupSocket: false` keeps it.
 *
 * Cancel safety: aborting `signal` while binding closes every listener bound so far and rejects with
 * `signal.reason`; once the server is returned the signal no longer applies (stop it with `close()`, or
 * serve with `serveForever({ signal })`).
 *
 * @param onClient Called with each connection's reader and writer.
 * @param options `path` and per-connection settings.
 * @returns The listening server; `addresses()` is `[path]`.
 * @throws {SocketError} When the path cannot be bound (`EADDRINUSE`, `EACCES`, ...).
 *
 * @example
 * ```ts
 * // @example-no-run: listens on a fixed path in /tmp
 * import { startUnixServer } from "@asyncstreams/net";
 *
 * const server = await startUnixServer(async (reader, writer) => {
 *   writer.write(await reader.readLine());
 *   writer.close();
 * }, { path: "/tmp/echo.sock" });
 * ```
 */
export async function startUnixServer(
  onClient: ClientConnectedCallback,
  options: StartUnixServerOptions,
): Promise<Server> {
  if (typeof onClient !== "function") throw new TypeError("Cannot start a Unix server: onClient must be a function");
  checkOptions("Cannot start a Unix server", options, OPTION_NAMES.startUnixServer);
  void new StreamReader({ limit: options.limit }); // a bad limit fails before binding
  checkMaxConnections(options.maxConnections);
  const adopted = adoptedTarget("Cannot start a Unix server", options);
  if (adopted !== undefined) return adoptUnixListener(onClient, options, adopted);
  const { path } = options;
  if (typeof path !== "string" || path === "") throw new TypeError("Cannot start a Unix server: no path was specified");
  const abstract = path.startsWith("\0");
  if (!abstract) removeStaleSocket(path);
  const listener = createServer({ allowHalfOpen: true, pauseOnConnect: true }); // nothing read before startServing()
  await listen(listener, { path, backlog: options.backlog ?? DEFAULT_BACKLOG }, options.signal);
  const inode = abstract ? undefined : inodeOf(path);
  return serveUnix(listener, onClient, options, path, (listeners) =>
    closeKeepingForeignFile(
      listeners,
      path,
      inode === undefined || options.cleanupSocket === false ? undefined : inode,
    ),
  );
}

/** Serves on an adopted listening socket: its file, if any, belongs to whoever made it. */
async function adoptUnixListener(
  onClient: ClientConnectedCallback,
  options: StartUnixServerOptions,
  target: ListenTarget,
): Promise<Server> {
  const listener = await openListener(target, false, options.signal);
  const address = listener.address();
  return serveUnix(listener, onClient, options, typeof address === "string" ? address : "", undefined);
}

/** The server over a listening Unix socket, serving at once unless `startServing: false`. */
async function serveUnix(
  listener: NetServer,
  onClient: ClientConnectedCallback,
  options: StartUnixServerOptions,
  path: string,
  closeListeners: ServerInit["closeListeners"],
): Promise<Server> {
  const server = new Server({
    listeners: [listener],
    onClient,
    onError: options.onError,
    limit: options.limit,
    noDelay: false,
    writeBufferLimits: options.writeBufferLimits,
    maxConnections: options.maxConnections,
    // Node cannot tell an accepted Unix socket's addresses: asyncio reports the path as sockname
    // and '' for the (unnamed) client as peername.
    extraInfo: { peername: "", sockname: path },
    closeListeners,
  });
  if (options.startServing !== false) await server.startServing();
  return server;
}

function removeStaleSocket(path: string): void {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {
    // Nothing there, or not ours to remove: listen() reports what matters.
  }
}

function inodeOf(path: string): number | undefined {
  try {
    return statSync(path).ino;
  } catch {
    return undefined;
  }
}

/**
 * Closes the listeners, removing the socket file only when it still has inode `ownInode`.
 * Node (libuv) unlinks a Unix server's path on close unconditionally, so a file that must survive
 * is hard-linked aside first and renamed back (atomically) once the listener is closed.
 */
function closeKeepingForeignFile(listeners: readonly NetServer[], path: string, ownInode: number | undefined): void {
  const current = path.startsWith("\0") ? undefined : inodeOf(path);
  const keep = current !== undefined && current !== ownInode;
  const aside = `${path}.${process.pid}.${Date.now()}.keep`;
  let linked = false;
  if (keep) {
    try {
      linkSync(path, aside);
      linked = true;
    } catch {
      // Cannot keep it (read-only directory, ...): Node's unlink happens as it would anyway.
    }
  }
  for (const listener of listeners) listener.close();
  if (linked) renameSync(aside, path);
}
