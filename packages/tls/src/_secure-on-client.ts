import { createSecureContext } from "node:tls";
import type { SecureContextOptions } from "node:tls";
import type { ClientConnectedCallback } from "@asyncstreams/protocol";
import type { StartTlsOptions } from "@asyncstreams/writer";
import { renameAction } from "./_start-tls-or-close.js";

/**
 * Receives a failed server-side handshake: `error` is a `TlsError` (for example with code
 * `ERR_ASYNCSTREAMS_TLS_HANDSHAKE_TIMEOUT`) and `peername` the client's address.
 */
export type HandshakeErrorHandler = (error: unknown, context: { message: string; peername: unknown }) => void;

/**
 * Wraps a client callback so that each connection first completes a TLS handshake as the server.
 * A failed handshake has already failed the connection; it is reported to `onHandshakeError` and
 * the callback is not called.
 */
export function secureOnClient(
  onClient: ClientConnectedCallback,
  options: StartTlsOptions,
  onHandshakeError: HandshakeErrorHandler | undefined,
): ClientConnectedCallback {
  // One secure context for every connection of the server, as Node's own tls.Server keeps.
  const secureContext = options["secureContext"] ?? createSecureContext(options as SecureContextOptions);
  const prepared: StartTlsOptions = { ...options, secureContext };
  return async (reader, writer) => {
    try {
      await writer.startTls(prepared);
    } catch (error) {
      onHandshakeError?.(renameAction(error, "Cannot accept a TLS connection"), { message: "TLS handshake failed", peername: writer.getExtraInfo("peername") });
      return;
    }
    await onClient(reader, writer);
  };
}
