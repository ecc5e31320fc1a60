/**
 * The option names each connector and server of this package accepts: one list per function, so
 * a new option is one more name here. Anything else is a `TypeError` naming it, because an option
 * that is silently ignored can be dangerous (`{ tls: {...} }` here would connect in plaintext).
 */
export const OPTION_NAMES: Readonly<Record<"openConnection" | "startServer" | "openUnixConnection" | "startUnixServer", readonly string[]>> = {
  openConnection: [
    "host", "port", "socket", "limit", "signal", "localAddress", "localPort", "family", "keepAlive", "keepAliveInitialDelay",
    "noDelay", "happyEyeballs", "happyEyeballsDelay", "interleave", "allErrors", "writeBufferLimits",
  ],
  startServer: [
    "host", "port", "socket", "fd", "family", "limit", "backlog", "maxConnections", "startServing", "signal", "onError", "noDelay", "keepAlive",
    "reusePort", "ipv6Only", "writeBufferLimits",
  ],
  openUnixConnection: ["path", "socket", "limit", "signal", "writeBufferLimits"],
  startUnixServer: ["path", "socket", "fd", "cleanupSocket", "limit", "backlog", "maxConnections", "startServing", "signal", "onError", "writeBufferLimits"],
};

/** asyncio options Node cannot express, or spells differently: what to do instead. */
const ASYNCIO_HINTS: Readonly<Record<string, string>> = {
  flags: "Node cannot pass getaddrinfo() flags; resolve the host yourself (node:dns) and pass the address as host",
  proto: "Node cannot choose the socket protocol; TCP is the only one here",
  reuseAddress: "Node always sets SO_REUSEADDR on listening sockets (asyncio's reuse_address default on Unix)",
  reuse_address: "Node always sets SO_REUSEADDR on listening sockets (asyncio's reuse_address default on Unix)",
  sock: 'asyncio\'s sock= is socket here (or fd for a file descriptor)',
  happy_eyeballs_delay: "it is happyEyeballsDelay here, in milliseconds",
  all_errors: "it is allErrors here",
  start_serving: "it is startServing here",
  local_addr: "it is localAddress and localPort here",
};

/** asyncio's and Node's TLS switches: on this package they would be ignored, so say where TLS lives. */
const TLS_NAMES = new Set(["tls", "ssl", "sslContext", "secureContext", "ssl_handshake_timeout", "ssl_shutdown_timeout", "serverHostname", "server_hostname"]);

/**
 * Checks that `options` is an object whose every name (with a defined value) is in `known`.
 *
 * @param action The failed action for the message, such as `"Cannot open a connection"`.
 * @param options What the caller passed.
 * @param known The accepted names.
 * @throws {TypeError} Naming the first unknown option, with a hint where one helps.
 */
export function checkOptions(action: string, options: unknown, known: readonly string[]): void {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${action}: options should be an object, got ${options === null ? "null" : typeof options}`);
  }
  for (const [name, value] of Object.entries(options)) {
    if (value !== undefined && !known.includes(name)) throw new TypeError(`${action}: unknown option "${name}"; ${hintFor(name, known)}`);
  }
}

/** What to do about an unknown option: where TLS lives, a name that differs only in case, or the list. */
export function hintFor(name: string, known: readonly string[]): string {
  const asyncio = ASYNCIO_HINTS[name];
  if (asyncio !== undefined) return asyncio;
  if (TLS_NAMES.has(name)) return "this package never encrypts: for TLS import the same function from @asyncstreams/tls and pass tls: { ca, serverName, ... }";
  const lower = name.toLowerCase().replaceAll("_", "");
  const near = known.find((candidate) => candidate.toLowerCase() === lower);
  if (near !== undefined) return `did you mean "${near}"?`;
  return `the options are ${known.join(", ")}`;
}
