import { createSecureContext } from "node:tls";
import type { SecureContextOptions } from "node:tls";
import type { ClientConnectedCallback } from "@asyncstreams/protocol";
import type { StartTlsOptions } from "@asyncstreams/writer";
import type { TlsOptions } from "./tls-options.js";
import { renameAction } from "./_start-tls-or-close.js";
import { checkTlsOptions } from "./_check-tls-options.js";

/** The key net's upgrade reads the handshake's start time from (a registered symbol, not an export). */
const HANDSHAKE_STARTED_AT = Symbol.for("asyncstreams.tls.handshakeStartedAt");

/** asyncio's `ssl_handshake_timeout` default, as the net package applies it: 60 s. */
const DEFAULT_HANDSHAKE_TIMEOUT = 60_000;

/**
 * Receives a failed server-side handshake: `error` is a `TlsError` (for example with code
 * `ERR_ASYNCSTREAMS_TLS_HANDSHAKE_TIMEOUT`) and `peername` the client's address.
 */
export type HandshakeErrorHandler = (error: unknown, context: { message: string; peername: unknown }) => void;

/** A server's TLS side: the client callback that upgrades first, and the swap of its TLS options. */
export interface SecureServing {
  onClient: ClientConnectedCallback;
  /** New connections use `tls` from now on; a bad key or certificate throws and changes nothing. */
  setTlsOptions(tls: TlsOptions): void;
}

/** The options every handshake of the server uses, with one secure context made up front. */
function prepare(options: StartTlsOptions): StartTlsOptions {
  // One secure context for every connection of the server, as Node's own tls.Server keeps.
  const secureContext = options["secureContext"] ?? createSecureContext(options as SecureContextOptions);
  return { ...options, secureContext };
}

/**
 * Wraps a client callback so that each connection first completes a TLS handshake as the server.
 * A failed handshake has already failed the connection; it is reported to `onHandshakeError` and
 * the callback is not called.
 */
export function secureOnClient(
  onClient: ClientConnectedCallback,
  options: StartTlsOptions,
  onHandshakeError: HandshakeErrorHandler | undefined,
): SecureServing {
  const { handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT, shutdownTimeout } = options;
  let prepared = prepare(options);
  return {
    onClient: async (reader, writer) => {
      // The server may reach this callback a while after the accept (it accepts a whole burst before
      // serving any of it): the handshake timeout counts from the accept (see net's _upgrade-to-tls).
      const accepted = writer.getExtraInfo("acceptedAt");
      try {
        await writer.startTls({ ...prepared, handshakeTimeout, [HANDSHAKE_STARTED_AT]: accepted });
      } catch (error) {
        onHandshakeError?.(renameAction(error, "Cannot accept a TLS connection"), {
          message: "TLS handshake failed",
          peername: writer.getExtraInfo("peername"),
        });
        return;
      }
      await onClient(reader, writer);
    },
    setTlsOptions(tls) {
      const action = "Cannot set the TLS options";
      for (const name of ["handshakeTimeout", "shutdownTimeout"]) {
        if (typeof tls === "object" && tls !== null && Reflect.get(tls, name) !== undefined)
          throw new TypeError(
            `${action}: ${name} cannot be changed on a running server; it is set beside tls when the server starts`,
          );
      }
      // The checks startServer() makes: a server without a certificate would fail every handshake.
      checkTlsOptions(action, tls, {}, { serverSide: true });
      prepared = prepare({ ...tls, handshakeTimeout, shutdownTimeout });
    },
  };
}
