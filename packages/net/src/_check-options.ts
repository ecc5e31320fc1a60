import { checkOptionValues } from "./_check-option-values.js";

/** The options every server takes, TCP or Unix, in the order the lists name them. */
const SERVER_OPTIONS = ["limit", "backlog", "maxConnections", "startServing", "signal", "onError"] as const;

/**
 * The option names each connector and server of this package accepts: one list per function, so
 * a new option is one more name here. Anything else is a `TypeError` naming it, because an option
 * that is silently ignored can be dangerous (`{ tls: {...} }` here would connect in plaintext).
 */
export const OPTION_NAMES: Readonly<
  Record<"openConnection" | "startServer" | "openUnixConnection" | "startUnixServer", readonly string[]>
> = {
  openConnection: [
    "host",
    "port",
    "socket",
    "limit",
    "signal",
    "localAddress",
    "localPort",
    "family",
    "keepAlive",
    "keepAliveInitialDelay",
    "noDelay",
    "happyEyeballs",
    "happyEyeballsDelay",
    "interleave",
    "allErrors",
    "writeBufferLimits",
  ],
  startServer: [
    "host",
    "port",
    "socket",
    "fd",
    "family",
    ...SERVER_OPTIONS,
    "noDelay",
    "keepAlive",
    "reusePort",
    "ipv6Only",
    "writeBufferLimits",
  ],
  openUnixConnection: ["path", "socket", "limit", "signal", "writeBufferLimits"],
  startUnixServer: ["path", "socket", "fd", "cleanupSocket", ...SERVER_OPTIONS, "writeBufferLimits"],
};

/** asyncio options Node cannot express, or spells differently: what to do instead. */
const ASYNCIO_HINTS: Readonly<Record<string, string>> = {
  flags: "Node cannot pass getaddrinfo() flags; resolve the host yourself (node:dns) and pass the address as host",
  proto: "Node cannot choose the socket protocol; TCP is the only one here",
  reuseAddress: "Node always sets SO_REUSEADDR on listening sockets (asyncio's reuse_address default on Unix)",
  reuse_address: "Node always sets SO_REUSEADDR on listening sockets (asyncio's reuse_address default on Unix)",
  sock: "asyncio's sock= is socket here (or fd for a file descriptor)",
  happy_eyeballs_delay: "it is happyEyeballsDelay here, in milliseconds",
  all_errors: "it is allErrors here",
  start_serving: "it is startServing here",
  local_addr: "it is localAddress and localPort here",
};

/** asyncio's and Node's TLS switches: on this package they would be ignored, so say where TLS lives. */
const TLS_NAMES = new Set([
  "tls",
  "ssl",
  "sslContext",
  "secureContext",
  "ssl_handshake_timeout",
  "ssl_shutdown_timeout",
  "serverHostname",
  "server_hostname",
]);

/** The same names, called through @asyncstreams/tls: where each one goes there. */
const TLS_HINTS: Readonly<Record<string, string>> = {
  sslContext: "pass TLS settings inside tls: { ca, cert, key, ... } (or a Node secureContext as tls.secureContext)",
  secureContext: "it goes inside tls: { secureContext }",
  ssl_handshake_timeout: "it is handshakeTimeout here, in milliseconds",
  ssl_shutdown_timeout: "it is shutdownTimeout here, in milliseconds",
  serverHostname: "it is tls.serverName here",
  server_hostname: "it is tls.serverName here",
};

/**
 * The key (a registered symbol, so that no user option can collide with it and no package has to
 * export it) under which @asyncstreams/tls passes who is calling: its action for the message and
 * the names it took out of the options before delegating here, so that an unknown option is
 * reported as the user's call and the list of options is the one that call accepts.
 */
const TLS_CALLER: unique symbol = Symbol.for("asyncstreams.net.tlsCaller");

/** What @asyncstreams/tls passes under {@linkcode TLS_CALLER}. */
interface TlsCaller {
  action: string;
  names: readonly string[];
}

/**
 * Checks that `options` is an object whose every name (with a defined value) is in `known`.
 *
 * @param action The failed action for the message, such as `"Cannot open a connection"`.
 * @param options What the caller passed.
 * @param known The accepted names.
 * @throws {TypeError} Naming the first unknown option, with a hint where one helps; or a shared
 *   option's value of the wrong type (see `checkOptionValues()`).
 * @throws {RangeError} For a shared option's number out of range.
 */
export function checkOptions(action: string, options: unknown, known: readonly string[]): void {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${action}: options should be an object, got ${options === null ? "null" : typeof options}`);
  }
  const caller = Reflect.get(options, TLS_CALLER) as TlsCaller | undefined;
  const names = caller === undefined ? known : [...known, ...caller.names];
  for (const [name, value] of Object.entries(options)) {
    if (value !== undefined && !names.includes(name)) {
      const hint = hintFor(name, names, caller !== undefined);
      throw new TypeError(`${caller?.action ?? action}: unknown option "${name}"; ${hint}`);
    }
  }
  checkOptionValues(caller?.action ?? action, options as Record<string, unknown>);
}

/**
 * What to do about an unknown option: where TLS lives (or, called through @asyncstreams/tls, where
 * the TLS setting goes there), a name that differs only in case, or the list.
 */
export function hintFor(name: string, known: readonly string[], overTls = false): string {
  const asyncio = ASYNCIO_HINTS[name];
  if (asyncio !== undefined) return asyncio;
  if (overTls && TLS_HINTS[name] !== undefined) return TLS_HINTS[name];
  if (TLS_NAMES.has(name))
    return "this package never encrypts: for TLS import the same function from @asyncstreams/tls and pass tls: { ca, serverName, ... }";
  const lower = name.toLowerCase().replaceAll("_", "");
  const near = known.find((candidate) => candidate.toLowerCase() === lower);
  if (near !== undefined) return `did you mean "${near}"?`;
  return `the options are ${known.join(", ")}`;
}
