import { lookup } from "node:dns/promises";
import { Server as NetServer, createServer } from "node:net";
import { DEFAULT_BACKLOG } from "./default-backlog.js";
import type { ListenOptions, Socket } from "node:net";
import { SocketError } from "./socket-error.js";
import { toSocketError } from "./_socket-error-from.js";
import { listen } from "./_listen.js";
import { numberError } from "./_number-error.js";

/**
 * What one listener listens on: an address, an adopted handle or descriptor (asyncio's `sock=`),
 * or a `net.Server` of this process that already listens, taken over as it is.
 */
export type ListenTarget =
  | (ListenOptions & { reusePort?: boolean | undefined })
  | { handle: Socket | { fd: number }; backlog: number }
  | { server: NetServer };

/**
 * The listener for one target: a new `net.Server` bound there, or the adopted one. Either way it
 * accepts half-open connections and reads nothing from them before the server hands them over.
 */
export async function openListener(
  target: ListenTarget,
  keepAlive: boolean,
  signal: AbortSignal | undefined,
): Promise<NetServer> {
  if ("server" in target) {
    // Same-process servers are taken over, not re-listened: their handle is already being polled.
    const adopted = target.server as NetServer & {
      allowHalfOpen: boolean;
      pauseOnConnect: boolean;
      keepAlive: boolean;
    };
    adopted.allowHalfOpen = true;
    adopted.pauseOnConnect = true;
    adopted.keepAlive = keepAlive;
    return adopted;
  }
  const listener = createServer({ allowHalfOpen: true, pauseOnConnect: true, keepAlive });
  try {
    await listen(listener, target, signal);
  } catch (error) {
    listener.close();
    throw error;
  }
  return listener;
}

/** The options of `startServer()` and `startUnixServer()` that say where to listen. */
interface WhereOptions {
  host?: string | readonly string[] | undefined;
  port?: number | undefined;
  path?: string | undefined;
  family?: number | undefined;
  socket?: NetServer | Socket | undefined;
  fd?: number | undefined;
  backlog?: number | undefined;
  reusePort?: boolean | undefined;
  ipv6Only?: boolean | undefined;
}

/**
 * The socket or descriptor to adopt instead of binding (asyncio's `sock=`): systemd socket
 * activation passes descriptor 3 and up, a pre-fork parent passes its listening socket.
 *
 * @returns The target, or `undefined` when neither `socket` nor `fd` is given.
 * @throws {TypeError} When an address is given too, or both `socket` and `fd`.
 * @throws {RangeError} When `fd` is not a non-negative integer.
 */
export function adoptedTarget(action: string, options: WhereOptions): ListenTarget | undefined {
  const { socket, fd } = options;
  if (socket === undefined && fd === undefined) return undefined;
  if (socket !== undefined && fd !== undefined) throw new TypeError(`${action}: pass socket or fd, not both`);
  const where = ["host", "port", "path", "family"].filter((name) => options[name as keyof WhereOptions] !== undefined);
  if (where.length > 0)
    throw new TypeError(
      `${action}: ${where.join(" and ")} and an adopted ${socket === undefined ? "fd" : "socket"} can not be specified at the same time`,
    );
  if (fd !== undefined && !(Number.isSafeInteger(fd) && fd >= 0)) {
    throw numberError(action, "fd", fd, "a non-negative integer (a listening descriptor)");
  }
  if (socket instanceof NetServer) {
    if (!socket.listening)
      throw new TypeError(
        `${action}: the adopted net.Server is not listening; call listen() on it first, or pass host and port`,
      );
    return { server: socket };
  }
  if (socket !== undefined && (typeof socket !== "object" || socket === null || !("_handle" in socket))) {
    throw new TypeError(`${action}: socket should be a listening net.Server or a net.Socket that owns a handle`);
  }
  return { handle: socket ?? { fd: fd! }, backlog: options.backlog ?? DEFAULT_BACKLOG };
}

/**
 * Where each TCP listener of `startServer()` listens: one target per host, or per address of the
 * requested `family` (asyncio's `family=`), or the adopted socket.
 *
 * @throws {RangeError} When `family` is not 0, 4 or 6.
 * @throws {SocketError} When a host has no address of the requested family.
 */
export async function listenTargets(action: string, options: WhereOptions): Promise<ListenTarget[]> {
  const adopted = adoptedTarget(action, options);
  if (adopted !== undefined) return [adopted];
  const family = options.family ?? 0;
  if (family !== 0 && family !== 4 && family !== 6) throw numberError(action, "family", family, "0, 4 or 6");
  const hosts =
    options.host === undefined ? [undefined] : typeof options.host === "string" ? [options.host] : [...options.host];
  let addresses: (string | undefined)[] = hosts;
  if (family !== 0) {
    // asyncio binds every address getaddrinfo() returns for the family; with no host, the wildcard.
    addresses =
      options.host === undefined
        ? [family === 4 ? "0.0.0.0" : "::"]
        : [...new Set((await Promise.all(hosts.map((host) => resolve(action, host!, family)))).flat())];
  }
  // asyncio sets IPV6_V6ONLY on every IPv6 listener it makes for family=AF_INET6.
  const ipv6Only = options.ipv6Only ?? (family === 6 ? true : undefined);
  return addresses.map((host) => ({
    host,
    port: options.port ?? 0,
    backlog: options.backlog ?? DEFAULT_BACKLOG,
    reusePort: options.reusePort,
    ipv6Only,
  }));
}

async function resolve(action: string, host: string, family: 4 | 6): Promise<string[]> {
  let found: { address: string; family: number }[];
  try {
    found = await lookup(host, { family, all: true });
  } catch (error) {
    throw toSocketError(error, `${action}: cannot resolve ${host} to an IPv${family} address`);
  }
  // Node's lookup() returns an address literal as it is, whatever the family asked; getaddrinfo()
  // (asyncio) fails there, and listening on it would ignore `family`.
  const addresses = found.filter((entry) => entry.family === family).map(({ address }) => address);
  if (addresses.length === 0) {
    const other = family === 4 ? 6 : 4;
    const message = `${action}: cannot resolve ${host} to an IPv${family} address: it is an IPv${other} address`;
    throw new SocketError(message, { code: "ENOTFOUND", syscall: "getaddrinfo" });
  }
  return addresses;
}
