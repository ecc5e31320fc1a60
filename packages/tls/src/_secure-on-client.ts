import { createSecureContext } from "node:tls";
import type { SecureContextOptions } from "node:tls";
import type { ClientConnectedCallback, Transport } from "@asyncstreams/protocol";
import type { StartTlsOptions } from "@asyncstreams/writer";

/** asyncio's `ssl_handshake_timeout` default, as the net package applies it: 60 s. */
const DEFAULT_HANDSHAKE_TIMEOUT = 60_000;

/**
 * Receives a failed server-side handshake: `error` is a `TlsError` (for example with code
 * `ERR_TLS_HANDSHAKE_TIMEOUT`) and `peername` the client's address.
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
  const handshakeTimeout = options.handshakeTimeout ?? DEFAULT_HANDSHAKE_TIMEOUT;
  return async (reader, writer) => {
    // The server serves each turn's accepted connections together: setting up every TLS socket
    // before the first handshake starts would make the first clients wait for the last. So stop the
    // socket from reading (the listener pauses on connect: the ClientHello waits in the kernel, for
    // TLS to read), let every callback of the turn run, and count the timeout from the accept.
    const accepted = writer.getExtraInfo("acceptedAt");
    const acceptedAt = typeof accepted === "number" ? accepted : performance.now();
    // The server's transports are SocketTransports: the full Transport, reading side included.
    const transport = writer.transport as unknown as Transport;
    transport.pauseReading();
    await new Promise((resolve) => setImmediate(resolve));
    try {
      const remaining = Math.max(1, handshakeTimeout - (performance.now() - acceptedAt));
      await writer.startTls({ ...prepared, handshakeTimeout: remaining });
      transport.resumeReading();
    } catch (error) {
      onHandshakeError?.(error, { message: "TLS handshake failed", peername: writer.getExtraInfo("peername") });
      return;
    }
    await onClient(reader, writer);
  };
}
