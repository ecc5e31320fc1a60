import type { ConnectionOptions, TlsOptions as NodeServerTlsOptions } from "node:tls";
import { MAX_TIMER_DELAY } from "./_max-timer-delay.js";

/**
 * Every TLS option name an upgrade passes on to Node (Node's `tls.connect()` and
 * `tls.createServer()` options, with `servername` and `ALPNProtocols` spelled `serverName` and
 * `alpnProtocols`). The type below fails to compile when Node's declarations gain an option this
 * list lacks, so the two cannot drift apart.
 */
const TLS_OPTION_NAMES = [
  "serverName",
  "alpnProtocols",
  "key",
  "cert",
  "ca",
  "pfx",
  "passphrase",
  "crl",
  "dhparam",
  "ecdhCurve",
  "ciphers",
  "sigalgs",
  "honorCipherOrder",
  "minVersion",
  "maxVersion",
  "secureOptions",
  "secureProtocol",
  "sessionIdContext",
  "ticketKeys",
  "sessionTimeout",
  "clientCertEngine",
  "privateKeyEngine",
  "privateKeyIdentifier",
  "allowPartialTrustChain",
  "secureContext",
  "enableTrace",
  "requestCert",
  "rejectUnauthorized",
  "SNICallback",
  "ALPNCallback",
  "checkServerIdentity",
  "session",
  "minDHSize",
  "pskCallback",
  "pskIdentityHint",
] as const satisfies readonly (keyof ConnectionOptions | keyof NodeServerTlsOptions | "serverName" | "alpnProtocols")[];

/**
 * Node's options that the connection sets itself (host, port, socket, timeouts, socket flags), or
 * that are renamed here: never TLS settings. The tls package's `TlsOptions` omits the same names.
 */
type NotTlsSettings =
  | "servername"
  | "ALPNProtocols"
  | "host"
  | "port"
  | "path"
  | "socket"
  | "lookup"
  | "timeout"
  | "handshakeTimeout"
  | "allowHalfOpen"
  | "pauseOnConnect"
  | "noDelay"
  | "keepAlive"
  | "keepAliveInitialDelay"
  | "highWaterMark";

/** Compile-time proof that the list covers Node's options: `true` only when nothing is missing. */
type Missing = Exclude<
  keyof ConnectionOptions | keyof NodeServerTlsOptions,
  NotTlsSettings | (typeof TLS_OPTION_NAMES)[number]
>;
const COMPLETE: [Missing] extends [never] ? true : Missing = true;
void COMPLETE;

/** The names `startTls()` takes beside the TLS settings. */
const START_TLS_NAMES = ["handshakeTimeout", "shutdownTimeout", "signal"] as const;

const KNOWN = new Set<string>([...TLS_OPTION_NAMES, ...START_TLS_NAMES]);

/** Node's and asyncio's spellings, and shapes that belong to another call. */
const MOVED: Readonly<Record<string, string>> = {
  servername: 'Node\'s "servername" is spelled "serverName" here',
  ALPNProtocols: 'Node\'s "ALPNProtocols" is spelled "alpnProtocols" here',
  server_hostname: 'asyncio\'s "server_hostname" is "serverName" here',
  ssl_handshake_timeout: 'asyncio\'s "ssl_handshake_timeout" is "handshakeTimeout" here (milliseconds)',
  ssl_shutdown_timeout: 'asyncio\'s "ssl_shutdown_timeout" is "shutdownTimeout" here (milliseconds)',
  tls: "pass the TLS options themselves, not nested under tls: { ca, serverName, ... }",
  ssl: "pass the TLS options themselves, not nested under ssl: { ca, serverName, ... }",
};

/** Where the options checked by {@linkcode checkStartTlsOptions} are used. */
export interface StartTlsCheckContext {
  /** The failed action the messages start with. Default `"Cannot start TLS"`. */
  action?: string | undefined;
  /**
   * Whether this end is the TLS server: it then needs something to present (`key` and `cert`,
   * `pfx`, `SNICallback`, `secureContext` or `pskCallback`).
   */
  serverSide: boolean;
  /**
   * Whether the connection has a host to check the server's certificate against; a client
   * without one (a Unix socket, an adopted socket) needs `serverName`. Default `true`.
   */
  hostKnown?: boolean | undefined;
  /** What the messages call the TLS settings, such as `"tls"`. Default `"the TLS options"`. */
  within?: string | undefined;
}

/**
 * Checks `startTls()` options as `SocketTransport.startTls()` does before it touches the
 * connection: every name is one the upgrade uses (an ignored TLS option, such as a misspelled
 * `requestCert`, could silently weaken the connection), the timeouts are positive numbers of
 * milliseconds up to 2^31-1 (what `setTimeout()` can wait), `signal` is an `AbortSignal`,
 * `serverName` is a non-empty string, and the side has what it needs.
 *
 * @param options What would be passed to `writer.startTls()`.
 * @param context Which side upgrades, and the action for the messages.
 * @throws {TypeError} When a name is unknown, a value has the wrong type, `serverName` is empty
 *   or missing where the host is unknown, or a server has no certificate.
 * @throws {RangeError} When a timeout is not in range.
 *
 * @example
 * ```ts
 * import { checkStartTlsOptions } from "@asyncstreams/net";
 *
 * checkStartTlsOptions({ ca: "-----BEGIN CERTIFICATE-----...", serverName: "localhost" }, { serverSide: false });
 * try {
 *   checkStartTlsOptions({ key: "k", cert: "c", requestcert: true }, { serverSide: true });
 * } catch (error) {
 *   // Cannot start TLS: unknown TLS option "requestcert"; did you mean "requestCert"?
 *   console.log(error instanceof TypeError); // true
 * }
 * ```
 */
export function checkStartTlsOptions(options: unknown, context: StartTlsCheckContext): void {
  const { action = "Cannot start TLS", serverSide, hostKnown = true, within } = context;
  if (typeof options !== "object" || options === null)
    throw new TypeError(`${action}: options should be an object, got ${options === null ? "null" : typeof options}`);
  for (const [name, value] of Object.entries(options)) {
    if (value !== undefined && !KNOWN.has(name)) throw unknownName(action, name);
  }
  const values = options as Record<string, unknown>;
  checkTimeout(action, "handshakeTimeout", values["handshakeTimeout"]);
  checkTimeout(action, "shutdownTimeout", values["shutdownTimeout"]);
  const { signal, serverName, alpnProtocols } = values;
  if (signal !== undefined && !isAbortSignal(signal))
    throw new TypeError(`${action}: signal should be an AbortSignal, got ${describe(signal)}`);
  if (
    alpnProtocols !== undefined &&
    !(Array.isArray(alpnProtocols) && alpnProtocols.every((p) => typeof p === "string"))
  )
    throw new TypeError(`${action}: alpnProtocols should be an array of strings, got ${describe(alpnProtocols)}`);
  if (serverName !== undefined && typeof serverName !== "string")
    throw new TypeError(`${action}: serverName should be a string, got ${describe(serverName)}`);
  if (serverName === "")
    // Node would check an empty name as "localhost".
    throw new TypeError(
      `${action}: serverName should be the host name to check the server's certificate against, got ""; ${hostKnown ? "omit it to check the host the connection was opened to" : "pass the name the certificate should have"}`,
    );
  if (serverSide)
    checkServerHasCertificate(
      within === undefined ? `${action}: the TLS options have` : `${action}: ${within} has`,
      values,
    );
  else if (serverName === undefined && !hostKnown)
    throw new TypeError(
      `${action}: serverName is required when the connection's host is unknown (a Unix or adopted socket); pass the name to check the server's certificate against`,
    );
}

/** The error for an option name the upgrade does not use, with a hint where one helps. */
function unknownName(action: string, name: string): TypeError {
  const lower = name.toLowerCase();
  const near = [...KNOWN].find((known) => known.toLowerCase() === lower);
  const hint =
    MOVED[name] ??
    (near === undefined
      ? "see TlsOptions for the names (Node's tls options, with serverName and alpnProtocols renamed), plus handshakeTimeout, shutdownTimeout and signal"
      : `did you mean "${near}"?`);
  return new TypeError(`${action}: unknown TLS option "${name}"; ${hint}`);
}

/** asyncio's rule, a positive number (ValueError otherwise), capped at what `setTimeout()` can wait. */
function checkTimeout(action: string, name: string, value: unknown): void {
  if (value === undefined || (typeof value === "number" && value > 0 && value <= MAX_TIMER_DELAY)) return;
  // Deliberately differs from asyncio, which accepts inf: Infinity is refused, as by every TLS call here.
  const shown =
    typeof value === "string" ? `"${value}" (string)` : typeof value === "number" ? String(value) : describe(value);
  const error = typeof value === "number" ? RangeError : TypeError;
  throw new error(
    `${action}: ${name} should be a positive number of milliseconds up to ${MAX_TIMER_DELAY}, got ${shown}`,
  );
}

/** A server needs a certificate (or PSK): without one it would fail every handshake with an alert. */
function checkServerHasCertificate(subject: string, values: Record<string, unknown>): void {
  const { key, cert } = values;
  if (
    (key !== undefined && cert !== undefined) ||
    values["pfx"] !== undefined ||
    values["SNICallback"] !== undefined ||
    values["secureContext"] !== undefined ||
    values["pskCallback"] !== undefined
  )
    return;
  const missing = key !== undefined ? "cert" : cert !== undefined ? "key" : "key and cert";
  throw new TypeError(
    `${subject} no ${missing}; pass the server's key and cert (or pfx, or an SNICallback), or every client's handshake fails`,
  );
}

function isAbortSignal(value: unknown): boolean {
  return typeof value === "object" && value !== null && typeof (value as AbortSignal).throwIfAborted === "function";
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "an array";
  return `a value of type ${typeof value}`;
}
