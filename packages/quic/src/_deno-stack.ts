// The Deno stack: Deno's built-in QUIC (quinn + rustls), `--unstable-net`. Loaded only on Deno.
// Deno's streams have no error codes: `writable.abort()` ends the stream like a FIN, so a reset
// is best effort here, and a peer's reset reaches us as an error without its code.
import type {
  QuicStack,
  StackAddress,
  StackConnection,
  StackConnectOptions,
  StackListenOptions,
  StackServer,
  StackTransportOptions,
} from "./_stack.js";
import { closeNotice } from "./_close-notice.js";
import { toResetError } from "./_to-reset-error.js";
import { checkKeyPair } from "./_check-key-pair.js";

/** The part of `Deno`'s QUIC API this adapter uses (its types are not in this build). */
interface DenoNetAddr {
  hostname: string;
  port: number;
}
interface DenoQuicCloseInfo {
  closeCode: number;
  reason: string;
}
type DenoReceiveStream = ReadableStream<Uint8Array> & { readonly id: bigint };
type DenoSendStream = WritableStream<Uint8Array> & { readonly id: bigint };
interface DenoBidirectionalStream {
  readonly readable: DenoReceiveStream;
  readonly writable: DenoSendStream;
}
interface DenoQuicConn {
  close(info?: DenoQuicCloseInfo): void;
  createBidirectionalStream(): Promise<DenoBidirectionalStream>;
  createUnidirectionalStream(): Promise<DenoSendStream>;
  readonly endpoint: DenoQuicEndpoint;
  readonly remoteAddr: DenoNetAddr;
  readonly protocol: string | undefined;
  readonly serverName: string | undefined;
  readonly closed: Promise<DenoQuicCloseInfo>;
  readonly incomingBidirectionalStreams: ReadableStream<DenoBidirectionalStream>;
  readonly incomingUnidirectionalStreams: ReadableStream<DenoReceiveStream>;
}
interface DenoQuicIncoming {
  accept(): Promise<DenoQuicConn>;
  refuse(): void;
}
interface DenoQuicListener extends AsyncIterable<DenoQuicIncoming> {
  stop(): void;
}
interface DenoQuicEndpoint {
  readonly addr: DenoNetAddr;
  listen(options: Record<string, unknown>): DenoQuicListener;
  close(info?: DenoQuicCloseInfo): void;
}
/** What `globalThis.Deno` offers with `--unstable-net`. */
export interface DenoQuicApi {
  QuicEndpoint: new (options?: { hostname?: string; port?: number }) => DenoQuicEndpoint;
  connectQuic(options: Record<string, unknown>): Promise<DenoQuicConn>;
}

const ignore = (): void => undefined;

function addressOf(addr: DenoNetAddr): StackAddress {
  return { address: addr.hostname, family: addr.hostname.includes(":") ? "IPv6" : "IPv4", port: addr.port };
}

function transportOptions(options: StackTransportOptions): Record<string, unknown> {
  return {
    alpnProtocols: [...options.alpnProtocols],
    ...(options.idleTimeout === 0 ? {} : { maxIdleTimeout: options.idleTimeout }),
    ...(options.keepAliveInterval === 0 ? {} : { keepAliveInterval: options.keepAliveInterval }),
    maxConcurrentBidirectionalStreams: options.maxStreams,
    maxConcurrentUnidirectionalStreams: options.maxStreams,
  };
}

const noReset = (): void => undefined; // Deno has no RESET_STREAM with a code: abort() is a FIN

/** Reads `source` to its end, handing each item over; stops quietly when the source fails. */
function drainInto<T>(source: ReadableStream<T>, each: (item: T) => void): void {
  void (async () => {
    const reader = source.getReader();
    for (;;) {
      const next = await reader.read();
      if (next.done) return;
      each(next.value);
    }
  })().catch(ignore);
}

function wrapConnection(conn: DenoQuicConn, local: StackAddress | undefined): StackConnection {
  const notice = closeNotice();
  const closed = conn.closed.then(
    (close) => notice.settle({ code: BigInt(close.closeCode), reason: close.reason, remote: true, isApp: true }),
    (error: unknown) => notice.settle({ code: 0n, reason: "", remote: undefined, isApp: false, error }),
  );
  return {
    alpnProtocol: conn.protocol,
    serverName: conn.serverName,
    local,
    remote: addressOf(conn.remoteAddr),
    peerCertificate: () => undefined, // Deno does not expose it
    openStream: async (unidirectional) => {
      if (unidirectional) {
        const writable = await conn.createUnidirectionalStream();
        return { id: writable.id, readable: null, writable, reset: noReset };
      }
      const stream = await conn.createBidirectionalStream();
      return { id: stream.readable.id, readable: stream.readable, writable: stream.writable, reset: noReset };
    },
    onStream: (listener) => {
      drainInto(conn.incomingBidirectionalStreams, (stream) =>
        listener({ id: stream.readable.id, readable: stream.readable, writable: stream.writable, reset: noReset }),
      );
      drainInto(conn.incomingUnidirectionalStreams, (readable) =>
        listener({ id: readable.id, readable, writable: null, reset: noReset }),
      );
    },
    close: (code, reason) => {
      notice.settle({ code, reason, remote: false, isApp: true });
      conn.close({ closeCode: Number(code), reason });
      return closed.then(ignore);
    },
    onClosing: notice.onClosing,
    closed,
    toResetError,
    // Deno takes `closeCode` as a JS number: above 2^53 - 1 it would arrive altered.
    maxCode: BigInt(Number.MAX_SAFE_INTEGER),
  };
}

function deno(): DenoQuicApi {
  const api = (globalThis as { Deno?: Partial<DenoQuicApi> }).Deno;
  if (typeof api?.connectQuic !== "function" || typeof api.QuicEndpoint !== "function") {
    throw new TypeError("Cannot use QUIC on Deno: run with --unstable-net (Deno.connectQuic is missing)");
  }
  return api as DenoQuicApi;
}

async function connect(options: StackConnectOptions): Promise<StackConnection> {
  const api = deno();
  const endpoint = new api.QuicEndpoint({ hostname: options.host.includes(":") ? "::" : "0.0.0.0", port: 0 });
  // Closing our own endpoint is the only way to stop Deno's handshake early.
  const stop = (): void => endpoint.close({ closeCode: 0, reason: "" });
  options.signal.addEventListener("abort", stop, { once: true });
  try {
    const conn = await api.connectQuic({
      ...transportOptions(options),
      hostname: options.host,
      port: options.port,
      endpoint,
      ...(options.serverName === undefined ? {} : { serverName: options.serverName }),
      ...(options.ca === undefined ? {} : { caCerts: options.ca }),
    });
    const connection = wrapConnection(conn, addressOf(endpoint.addr));
    void connection.closed.then(stop);
    return connection;
  } catch (error) {
    stop();
    throw error;
  } finally {
    options.signal.removeEventListener("abort", stop);
  }
}

function listen(
  options: StackListenOptions,
  onConnection: (connection: StackConnection) => void,
): Promise<StackServer> {
  const api = deno();
  checkKeyPair(options.key, options.cert);
  const endpoint = new api.QuicEndpoint({ hostname: options.host, port: options.port });
  let listener: ReturnType<typeof endpoint.listen>;
  try {
    listener = endpoint.listen({ ...transportOptions(options), key: options.key, cert: options.cert });
  } catch (error) {
    endpoint.close({ closeCode: 0, reason: "" }); // ends what it holds; quinn frees its port at GC
    throw error;
  }
  const local = addressOf(endpoint.addr);
  void (async () => {
    for await (const incoming of listener) {
      // A failed handshake is the client's problem: the server goes on accepting.
      incoming.accept().then((conn) => onConnection(wrapConnection(conn, local)), ignore);
    }
  })().catch(ignore);
  return Promise.resolve({
    address: local,
    stopAccepting: () => listener.stop(),
    release: () => {
      endpoint.close({ closeCode: 0, reason: "" });
      return Promise.resolve();
    },
  });
}

/** The Deno stack. */
export const denoStack: QuicStack = { name: "Deno", connect, listen };
