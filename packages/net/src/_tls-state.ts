import type { TLSSocket } from "node:tls";
import { TlsError } from "./tls-error.js";

/** The TLS in force on a connection: the options it was made or upgraded with. */
export interface TlsState {
  /** What `getExtraInfo("sslcontext")` returns. */
  readonly options: object;
  /** How long `close()` waits for the peer's close_notify before aborting, in milliseconds. */
  readonly shutdownTimeout: number;
}

/** asyncio's `ssl_shutdown_timeout` default: 30 s. */
const DEFAULT_SHUTDOWN_TIMEOUT = 30_000;

/** The TLS state of a connection made or upgraded with `options`. */
export function tlsState(options: object, shutdownTimeout: number | undefined): TlsState {
  return { options, shutdownTimeout: shutdownTimeout ?? DEFAULT_SHUTDOWN_TIMEOUT };
}

/** The extra-info keys a TLS connection adds, asyncio's names where it has them. */
const TLS_KEYS: Readonly<Record<string, (secure: TLSSocket, tls: TlsState) => unknown>> = {
  sslcontext: (_secure, tls) => withoutSecrets(tls.options),
  sslObject: (secure) => secure,
  peercert: (secure) => secure.getPeerCertificate(),
  cipher: (secure) => secure.getCipher(),
  protocol: (secure) => secure.getProtocol(),
  alpnProtocol: (secure) => secure.alpnProtocol,
};

/** Options that never leave through `getExtraInfo()`: a logged connection would leak its private key. */
const SECRETS: ReadonlySet<string> = new Set(["key", "pfx", "passphrase"]);

/**
 * The options in force without the private key material: asyncio's `sslcontext` is an `SSLContext`,
 * from which the key cannot be read back either. A copy per read: it is read rarely (at EOF, after
 * an upgrade), and the connection keeps no second object.
 */
function withoutSecrets(options: object): object {
  return Object.fromEntries(Object.entries(options).filter(([name]) => !SECRETS.has(name)));
}

/**
 * `getExtraInfo(name)` for a TLS key of a connection that uses TLS.
 *
 * @returns `{ value }` for a TLS key, `undefined` for any other key (the transport's own then apply).
 */
export function tlsExtraInfo(secure: TLSSocket, tls: TlsState, name: string): { value: unknown } | undefined {
  const read = Object.hasOwn(TLS_KEYS, name) ? TLS_KEYS[name] : undefined;
  return read === undefined ? undefined : { value: read(secure, tls) };
}

/**
 * Ends a TLS connection: `end()` sends close_notify after the buffered data. A peer that never
 * reads must not keep the connection (and `waitClosed()`) forever: after `shutdownTimeout` the
 * socket is destroyed and `onTimeout` gets the error to fail the connection with.
 */
export function shutDownTls(secure: TLSSocket, tls: TlsState, onTimeout: (error: TlsError) => void): void {
  const timer = setTimeout(() => {
    onTimeout(
      new TlsError(
        "ERR_ASYNCSTREAMS_TLS_SHUTDOWN_TIMEOUT",
        `Cannot close TLS: SSL shutdown timed out after ${tls.shutdownTimeout / 1000} seconds`,
      ),
    );
    secure.destroy();
  }, tls.shutdownTimeout);
  timer.unref();
  secure.once("close", () => clearTimeout(timer));
  secure.end(() => secure.destroy());
}
