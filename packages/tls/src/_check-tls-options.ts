import type { TlsOptions } from "./tls-options.js";
import type { TlsTimeouts } from "./tls-timeouts.js";
import { checkTimeouts } from "./_check-timeouts.js";

/**
 * Every name `TlsOptions` has, at run time. The type below fails to compile when Node's
 * declarations gain an option this list lacks, so the two cannot drift apart.
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
] as const satisfies readonly (keyof TlsOptions)[];

/** Compile-time proof that the list covers the type: this is `true` only when nothing is missing. */
type Missing = Exclude<keyof TlsOptions, (typeof TLS_OPTION_NAMES)[number]>;
const COMPLETE: [Missing] extends [never] ? true : Missing = true;
void COMPLETE;

const KNOWN = new Set<string>(TLS_OPTION_NAMES);

/** Node's spellings of renamed options, and options that belong beside `tls`, not inside it. */
const MOVED: Readonly<Record<string, string>> = {
  servername: 'Node\'s "servername" is spelled "serverName" here',
  ALPNProtocols: 'Node\'s "ALPNProtocols" is spelled "alpnProtocols" here',
  server_hostname: 'asyncio\'s "server_hostname" is "serverName" here',
  handshakeTimeout: "handshakeTimeout goes beside tls, not inside it: { tls: {...}, handshakeTimeout }",
  shutdownTimeout: "shutdownTimeout goes beside tls, not inside it: { tls: {...}, shutdownTimeout }",
};

/** The options a TLS connector takes out before net's function sees the rest (for net's messages). */
export const CONNECTION_NAMES: readonly string[] = ["tls", "handshakeTimeout", "shutdownTimeout"];

/** The options a TLS server takes out before net's function sees the rest. */
export const SERVER_NAMES: readonly string[] = [...CONNECTION_NAMES, "onHandshakeError"];

/**
 * Checks the names in a `tls` options object.
 *
 * @param action The failed action, such as `"Cannot open a TLS connection"`.
 * @param tls What the caller passed as `tls`.
 * @throws {TypeError} When `tls` is not an object or holds a name `TlsOptions` does not have.
 */
export function checkTlsOptions(action: string, tls: unknown): void {
  if (typeof tls !== "object" || tls === null)
    throw new TypeError(`${action}: tls should be an object of TLS options, got ${tls === null ? "null" : typeof tls}`);
  for (const [name, value] of Object.entries(tls)) {
    if (value === undefined || KNOWN.has(name)) continue;
    const lower = name.toLowerCase();
    const hint =
      MOVED[name] ??
      TLS_OPTION_NAMES.find((known) => known.toLowerCase() === lower)?.replace(
        /.*/,
        (known) => `did you mean "${known}"?`,
      );
    throw new TypeError(
      `${action}: unknown TLS option "${name}"; ${hint ?? "see TlsOptions for the names (Node's tls options, with serverName and alpnProtocols renamed)"}`,
    );
  }
}

/**
 * The checks every TLS connector and server makes before any network activity: `ssl` (asyncio's
 * name) points to `tls`, the `tls` names are known, the timeouts are in range, and a server has
 * something to present (a TLS server without a certificate would start, then fail every client
 * with an OpenSSL alert while saying nothing itself).
 *
 * @param action The failed action, such as `"Cannot start a TLS server"`.
 * @param options The whole options object.
 * @param server Whether this starts a server.
 */
export function checkTlsCall(
  action: string,
  options: { readonly tls?: unknown; readonly ssl?: unknown } & TlsTimeouts,
  server: boolean,
): void {
  if (typeof options !== "object" || options === null) throw new TypeError(`${action}: options should be an object`);
  if (options.ssl !== undefined)
    throw new TypeError(
      `${action}: unknown option "ssl"; asyncio's ssl= is tls here: { tls: { ca, serverName, ... } }`,
    );
  checkTimeouts(action, options);
  if (options.tls === undefined && !server) return;
  checkTlsOptions(action, options.tls);
  if (!server) return;
  const tls = options.tls as TlsOptions;
  const hasKeyPair = tls.key !== undefined && tls.cert !== undefined;
  if (
    hasKeyPair ||
    tls.pfx !== undefined ||
    tls.SNICallback !== undefined ||
    tls.secureContext !== undefined ||
    tls.pskCallback !== undefined
  )
    return;
  const missing = tls.key !== undefined ? "cert" : tls.cert !== undefined ? "key" : "key and cert";
  throw new TypeError(
    `${action}: tls has no ${missing}; pass the server's key and cert (or pfx, or an SNICallback), or every client's handshake fails`,
  );
}
