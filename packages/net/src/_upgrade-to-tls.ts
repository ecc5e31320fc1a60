import { isIP } from "node:net";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { TLSSocket, checkServerIdentity, connect as tlsConnect, createSecureContext } from "node:tls";
import type { ConnectionOptions, SecureContext } from "node:tls";
import type { StartTlsOptions } from "@asyncstreams/writer";
import { TlsError } from "./tls-error.js";
import { sessionPeerCertificate } from "./_session-peer-certificate.js";
import { ReplayingSocket } from "./_replaying-socket.js";
import { checkStartTlsOptions } from "./check-start-tls-options.js";

/** asyncio's `ssl_handshake_timeout` default: 60 s. */
export const DEFAULT_HANDSHAKE_TIMEOUT = 60_000;

/**
 * The option key (a registered symbol, so that no user option can collide with it and no package
 * has to export it) under which the TLS package's server passes when the handshake's time began:
 * the accept, which may precede the upgrade by a burst's worth of set-ups.
 */
export const HANDSHAKE_STARTED_AT: unique symbol = Symbol.for("asyncstreams.tls.handshakeStartedAt");

/** Which end of the connection upgrades, and the name a client checks the certificate against. */
export interface UpgradeSide {
  serverSide: boolean;
  /** The host the connection was opened to, the default `serverName`. */
  hostname: string | undefined;
}

/** An upgrade whose options were checked, and whose secure context was made, before the socket is touched. */
export interface PreparedUpgrade {
  readonly serverSide: boolean;
  readonly handshakeTimeout: number;
  readonly signal: AbortSignal | undefined;
  /** The name a client checks the certificate against (`undefined` on a server). */
  readonly name: string | undefined;
  /** Node's options, without the ones this package renames or handles itself. */
  readonly tlsOptions: Record<string, unknown>;
  readonly context: SecureContext;
  /** When the handshake's time began (`HANDSHAKE_STARTED_AT`), if given. */
  readonly startedAt: number | undefined;
}

/**
 * Checks `options` and makes the secure context (a bad key or certificate throws here), so that
 * a refused call leaves the plain connection as it was (asyncio raises before touching it too).
 */
export function prepareUpgrade(options: StartTlsOptions, side: UpgradeSide): PreparedUpgrade {
  checkStartTlsOptions(options, { serverSide: side.serverSide, hostKnown: side.hostname !== undefined });
  const {
    handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT,
    shutdownTimeout: _shutdown,
    signal,
    serverName,
    alpnProtocols,
    ...tlsOptions
  } = options;
  const alpn = Array.isArray(alpnProtocols) ? { ALPNProtocols: alpnProtocols as string[] } : {};
  const nodeOptions: Record<string, unknown> = { ...tlsOptions, ...alpn };
  // One context per server (the tls package passes it), made once: a key parse and tens of KiB each.
  const context = (tlsOptions["secureContext"] as SecureContext | undefined) ?? createSecureContext(nodeOptions);
  const startedAt: unknown = Reflect.get(options, HANDSHAKE_STARTED_AT);
  return {
    serverSide: side.serverSide,
    handshakeTimeout,
    signal,
    name: side.serverSide ? undefined : typeof serverName === "string" ? serverName : side.hostname,
    tlsOptions: nodeOptions,
    context,
    startedAt: typeof startedAt === "number" ? startedAt : undefined,
  };
}

/**
 * Runs a TLS handshake over an established plain socket and resolves to the TLS socket.
 *
 * `leftover` holds bytes that were read from `raw` but not consumed: they are fed to TLS first, as
 * ciphertext, so nothing received in plaintext before the upgrade can come out as TLS plaintext
 * (gh-142352, CVE-2011-0411). On failure, timeout or abort the sockets are destroyed.
 */
export async function upgradeToTls(
  raw: Socket,
  leftover: readonly Uint8Array[],
  upgrade: PreparedUpgrade,
): Promise<TLSSocket> {
  const { handshakeTimeout, signal, tlsOptions, context } = upgrade;
  signal?.throwIfAborted();
  const deadline = (upgrade.startedAt ?? performance.now()) + handshakeTimeout;
  const remaining = (): number => Math.max(1, deadline - performance.now());
  if (upgrade.serverSide && leftover.length === 0) {
    // A server's TLS socket costs tens of KiB and its teardown most of the work of a timeout: a
    // client that never sends its ClientHello (a storm of stalled connections) should cost neither.
    // Node's TLS socket reads what the plain socket already holds first.
    await firstBytes(raw, remaining(), handshakeTimeout, signal);
  }
  // With nothing left over, TLS wraps the socket's handle directly (fast); otherwise a stream that
  // replays the leftover bytes before the socket's own.
  const carrier: Duplex = leftover.length === 0 ? raw : new ReplayingSocket(raw, leftover);
  let secure: TLSSocket;
  if (upgrade.serverSide) {
    // tls.createServer()'s default: a requested client certificate must verify. A bare TLSSocket
    // defaults to false and never checks the result; checkClientCertificate() does, as tls.Server.
    const rejectUnauthorized = tlsOptions["rejectUnauthorized"] !== false;
    secure = new TLSSocket(carrier, {
      ...(tlsOptions as object),
      isServer: true,
      secureContext: context,
      rejectUnauthorized,
    });
  } else {
    const name = upgrade.name as string; // prepareUpgrade() required one
    const connection: ConnectionOptions = {
      ...withSessionFor(name, tlsOptions),
      // tls.connect() makes the same context from the same options when none is given.
      secureContext: context,
      socket: carrier,
      host: name,
      // SNI may not carry an IP address (RFC 6066); the certificate is still checked against it.
      ...(isIP(name) === 0 ? { servername: name } : {}),
    };
    secure = tlsConnect(connection);
  }
  await handshakeStep(
    { socket: secure, event: upgrade.serverSide ? "secure" : "secureConnect" },
    remaining(),
    handshakeTimeout,
    signal,
  );
  if (upgrade.serverSide && tlsOptions["requestCert"] === true)
    checkClientCertificate(secure, tlsOptions["rejectUnauthorized"] !== false);
  return secure;
}

/**
 * What tls.Server does once a handshake that requested a client certificate completes: OpenSSL
 * accepts any certificate (Node verifies in JavaScript), so the result is read here, `authorized`
 * and `authorizationError` are set, and an unverified client is refused unless `rejectUnauthorized`
 * is `false`.
 */
function checkClientCertificate(secure: TLSSocket, rejectUnauthorized: boolean): void {
  // Node's own server reads the same internal verifyError(); no public API exposes it.
  const handle = (secure as unknown as { _handle?: { verifyError?(): Error | null } | null })._handle;
  const verifyError =
    typeof handle?.verifyError === "function"
      ? handle.verifyError()
      : new TlsError(
          "ERR_ASYNCSTREAMS_TLS_CERT_UNVERIFIED",
          "Cannot start TLS: the client certificate cannot be verified on this runtime",
        );
  if (verifyError === null || verifyError === undefined) {
    secure.authorized = true;
    return;
  }
  // Node stores the code string here, whatever @types/node says.
  (secure as { authorizationError: unknown }).authorizationError =
    (verifyError as { code?: string }).code ?? verifyError.message;
  if (!rejectUnauthorized) return;
  secure.destroy();
  throw toTlsError(verifyError);
}

/**
 * Drops `options.session` unless the certificate it recorded is valid for `name`: Node skips the
 * name check when a session resumes, so a session saved for one host must never be offered to
 * another (the CVE-2020-8172 class). Without it the handshake is a full one, which checks the name.
 */
function withSessionFor(name: string, options: ConnectionOptions): ConnectionOptions {
  const session = options.session;
  if (session === undefined || options.rejectUnauthorized === false) return options;
  const certificate = sessionPeerCertificate(session);
  const check = options.checkServerIdentity ?? checkServerIdentity;
  if (certificate !== undefined && check(name, certificate.toLegacyObject()) === undefined) return options;
  const { session: _dropped, ...rest } = options;
  return rest;
}

/** The error of a handshake that took longer than `timeout` milliseconds. */
function handshakeTimeoutError(timeout: number): TlsError {
  return new TlsError(
    "ERR_ASYNCSTREAMS_TLS_HANDSHAKE_TIMEOUT",
    `Cannot start TLS: SSL handshake is taking longer than ${timeout / 1000} seconds: aborting the connection`,
  );
}

/** The error of a connection that ended before its handshake completed. */
function closedDuringHandshake(): TlsError {
  return new TlsError("ECONNRESET", "Cannot start TLS: the connection closed during the handshake");
}

/** What the handshake waits for: `event` on `socket`, done when `isDone()` says so (default: at once). */
interface HandshakeStep {
  socket: Socket;
  event: string;
  isDone?: () => boolean;
}

/**
 * Waits for one step of the handshake, failing on error, end, timeout or abort (and destroying the
 * socket). `timeout` is what is left of `handshakeTimeout` (named in the error).
 */
function handshakeStep(
  step: HandshakeStep,
  timeout: number,
  handshakeTimeout: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const { socket, event, isDone = () => true } = step;
  return new Promise<void>((resolve, reject) => {
    const fail = (error: unknown): void => {
      cleanUp();
      // Node may still emit an error on the destroyed socket (tls.connect() fails its own way on
      // 'end'): it must not go unhandled.
      socket.on("error", () => undefined);
      socket.destroy();
      reject(error);
    };
    const onEvent = (): void => {
      if (!isDone()) return;
      cleanUp();
      resolve();
    };
    const onError = (error: Error): void => fail(toTlsError(error));
    // 'end' too: the socket is half-open (allowHalfOpen), so a peer's FIN alone never emits 'close'
    // and a server would otherwise wait out the whole handshake timeout.
    const onClose = (): void => fail(closedDuringHandshake());
    const onAbort = (): void => fail(signal!.reason);
    const timer = setTimeout(() => fail(handshakeTimeoutError(handshakeTimeout)), timeout);
    const cleanUp = (): void => {
      clearTimeout(timer);
      socket.off(event, onEvent);
      socket.off("error", onError);
      socket.off("close", onClose);
      socket.off("end", onClose);
      signal?.removeEventListener("abort", onAbort);
    };
    socket.on(event, onEvent);
    socket.once("error", onError);
    socket.once("close", onClose);
    socket.once("end", onClose);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Waits until the plain socket holds the peer's first bytes: they stay buffered in it, paused, for
 * the TLS socket to read first. The end of the stream fails the wait ('end', as in the handshake).
 */
async function firstBytes(
  raw: Socket,
  timeout: number,
  handshakeTimeout: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  await handshakeStep(
    { socket: raw, event: "readable", isDone: () => raw.readableLength > 0 },
    timeout,
    handshakeTimeout,
    signal,
  );
  raw.pause();
}

/** Wraps a Node TLS or socket error in a {@linkcode TlsError} that keeps its code. */
export function toTlsError(error: unknown, action = "Cannot start TLS"): unknown {
  if (!(error instanceof Error) || error instanceof TlsError) return error;
  const code = (error as { code?: unknown }).code;
  return new TlsError(
    typeof code === "string" ? code : "ERR_ASYNCSTREAMS_TLS",
    `${action}: ${describeTlsFailure(error, code)}`,
    { cause: error },
  );
}

/** Verification failures that the right CA fixes. */
const UNTRUSTED_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
]);

/** Node's message, plus what to do for the failures users meet first (Node's says only what failed). */
function describeTlsFailure(error: Error, code: unknown): string {
  if (typeof code === "string" && UNTRUSTED_CODES.has(code)) {
    return `${error.message}; pass the CA that signed the peer's certificate as tls.ca (rejectUnauthorized: false turns checking off: tests only)`;
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    // Node's text ends in the certificate's list, which is empty for a certificate without names.
    const { host, cert } = error as { host?: unknown; cert?: { subjectaltname?: unknown; subject?: { CN?: unknown } } };
    const listed =
      typeof cert?.subjectaltname === "string" && cert.subjectaltname !== ""
        ? cert.subjectaltname
        : typeof cert?.subject?.CN === "string"
          ? `CN=${cert.subject.CN}`
          : "";
    const names = listed === "" ? "no host name or address" : listed;
    return `the certificate is not valid for ${String(host)}: it names ${names}; connect to a name it lists, or set tls.serverName to one of them`;
  }
  return error.message;
}
