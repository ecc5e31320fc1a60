import { checkStartTlsOptions } from "@asyncstreams/net";
import type { TlsTimeouts } from "./tls-timeouts.js";

/** Options that go beside `tls`, not inside it: net's check would accept them inside. */
const BESIDE: Readonly<Record<string, string>> = {
  handshakeTimeout: "handshakeTimeout goes beside tls, not inside it: { tls: {...}, handshakeTimeout }",
  shutdownTimeout: "shutdownTimeout goes beside tls, not inside it: { tls: {...}, shutdownTimeout }",
  signal: "signal goes beside tls, not inside it: { tls: {...}, signal }",
};

/** The options a TLS connector takes out before net's function sees the rest (for net's messages). */
export const CONNECTION_NAMES: readonly string[] = ["tls", "handshakeTimeout", "shutdownTimeout"];

/** The options a TLS server takes out before net's function sees the rest. */
export const SERVER_NAMES: readonly string[] = [...CONNECTION_NAMES, "onHandshakeError"];

/** Where the TLS settings are used: which side, and whether a client has a host to check. */
export interface TlsUse {
  serverSide: boolean;
  /** Whether a client has a host to check the certificate against without `serverName`. Default `true`. */
  hostKnown?: boolean;
}

/**
 * Checks a `tls` options object and the timeouts beside it, with net's `checkStartTlsOptions()`
 * (the checks `writer.startTls()` makes), before any network activity: the names are known, the
 * timeouts are in range, a client has a name to check, and a server has something to present (a
 * TLS server without a certificate would start, then fail every client with an OpenSSL alert
 * while saying nothing itself).
 *
 * @param action The failed action, such as `"Cannot start a TLS server"`.
 * @param tls What the caller passed as `tls`.
 * @param timeouts The timeouts given beside `tls`.
 * @param use Which side uses the settings.
 * @throws {TypeError} When `tls` is not an object, holds a name `TlsOptions` lacks, or lacks what the side needs.
 * @throws {RangeError} When a timeout is out of range.
 */
export function checkTlsOptions(action: string, tls: unknown, timeouts: TlsTimeouts, use: TlsUse): void {
  if (typeof tls !== "object" || tls === null)
    throw new TypeError(`${action}: tls should be an object of TLS options, got ${tls === null ? "null" : typeof tls}`);
  for (const [name, hint] of Object.entries(BESIDE)) {
    if ((tls as Record<string, unknown>)[name] !== undefined)
      throw new TypeError(`${action}: unknown TLS option "${name}"; ${hint}`);
  }
  const { handshakeTimeout, shutdownTimeout } = timeouts;
  checkStartTlsOptions({ ...tls, handshakeTimeout, shutdownTimeout }, { action, within: "tls", ...use });
}

/**
 * The checks every TLS connector and server makes before any network activity: `ssl` (asyncio's
 * name) points to `tls`, then {@linkcode checkTlsOptions}.
 *
 * @param action The failed action, such as `"Cannot start a TLS server"`.
 * @param options The whole options object.
 * @param use Which side this call is.
 */
export function checkTlsCall(
  action: string,
  options: { readonly tls?: unknown; readonly ssl?: unknown } & TlsTimeouts,
  use: TlsUse,
): void {
  if (typeof options !== "object" || options === null) throw new TypeError(`${action}: options should be an object`);
  if (options.ssl !== undefined)
    throw new TypeError(
      `${action}: unknown option "ssl"; asyncio's ssl= is tls here: { tls: { ca, serverName, ... } }`,
    );
  // A client's tls is optional; a server's is not (net's check then says "got undefined").
  checkTlsOptions(action, options.tls === undefined && !use.serverSide ? {} : options.tls, options, use);
}
