// The Node stack: @matrixai/quic (quiche + BoringSSL). Loaded only on Node, by `_load-stack.ts`.
import { isIP } from "node:net";
import { QUICClient, QUICServer, events, errors } from "@matrixai/quic";
import type { QUICConnection, QUICStream } from "@matrixai/quic";
import Logger, { LogLevel } from "@matrixai/logger";
import { ConnectionResetError } from "@asyncstreams/protocol";
import { deferEarlyStreams } from "./_defer-early-streams.js";
import { largeStreamCodes } from "./_large-stream-codes.js";
import type {
  QuicStack,
  StackAddress,
  StackCloseInfo,
  StackConnection,
  StackConnectOptions,
  StackListenOptions,
  StackServer,
  StackStream,
  StackTransportOptions,
} from "./_stack.js";
import { closeNotice } from "./_close-notice.js";
import { toResetError } from "./_to-reset-error.js";
import { checkKeyPair } from "./_check-key-pair.js";

deferEarlyStreams();
const exactCode = largeStreamCodes();

const decoder = new TextDecoder();

/** Its default logger prints INFO lines for every connection and stream: keep it quiet. */
const silent = new Logger("@asyncstreams/quic", LogLevel.SILENT);

/** A stream reset's code, carried through matrixai's `reasonToCode` (quiche takes a JS number). */
function reasonToCode(_type: "read" | "write", reason?: unknown): number {
  const code = reason instanceof ConnectionResetError ? reason.applicationCode : undefined;
  return code === undefined ? 0 : Number(code);
}

/** The peer's RESET_STREAM or STOP_SENDING: the readable or writable errors with this. */
function codeToReason(type: "read" | "write", raw: number): ConnectionResetError {
  const what = type === "read" ? "reset the stream" : "stopped reading the stream (STOP_SENDING)";
  // A number here loses codes above 2^53 - 1: `exactCode` has the peer's own.
  const code = exactCode(raw);
  return new ConnectionResetError(`Connection reset by peer: the peer ${what} with code ${code}`, {
    applicationCode: code,
  });
}

function addressOf(host: string, port: number): StackAddress {
  // matrixai reports IPv4 hosts of a dual-stack socket as ::ffff:a.b.c.d.
  const address = host.startsWith("::ffff:") && isIP(host.slice(7)) === 4 ? host.slice(7) : host;
  return { address, family: isIP(address) === 6 ? "IPv6" : "IPv4", port };
}

function config(options: StackTransportOptions): Record<string, unknown> {
  return {
    applicationProtos: [...options.alpnProtocols],
    maxIdleTimeout: options.idleTimeout,
    keepAliveIntervalTime: options.keepAliveInterval === 0 ? undefined : options.keepAliveInterval,
    initialMaxStreamsBidi: options.maxStreams,
    initialMaxStreamsUni: options.maxStreams,
  };
}

function wrapStream(stream: QUICStream): StackStream {
  const uni = stream.type === "uni";
  return {
    id: BigInt(stream.streamId),
    // Node's stream/web classes are the global ones; only their TypeScript types differ.
    readable: uni && stream.initiated === "local" ? null : (stream.readable as unknown as ReadableStream<Uint8Array>),
    writable: uni && stream.initiated === "peer" ? null : stream.writable,
    reset: (code) => stream.cancel(new ConnectionResetError(undefined, { applicationCode: code })),
  };
}

/** What an error event of the connection says about its end. */
function closeInfoOf(error: unknown): StackCloseInfo {
  const data = (error as { data?: { isApp?: boolean; errorCode?: number; reason?: Uint8Array } }).data;
  const remote =
    error instanceof errors.ErrorQUICConnectionPeer
      ? true
      : error instanceof errors.ErrorQUICConnectionLocal
        ? false
        : undefined;
  return {
    code: BigInt(data?.errorCode ?? 0),
    reason: data?.reason === undefined ? "" : decoder.decode(data.reason),
    remote,
    isApp: data?.isApp ?? false,
    error: remote === undefined ? error : undefined,
  };
}

/** quiche's own connection, which matrixai keeps in a protected field. */
interface Quiche {
  applicationProto(): Uint8Array;
  serverName(): string | null;
  close(app: boolean, code: number, reason: Uint8Array): void;
}

/**
 * Closes with CONNECTION_CLOSE first. matrixai's stop() resets every open stream (RESET_STREAM
 * code 0) before it closes the connection, so the peer would see stream resets instead of the
 * close and its code; once quiche is closing, those resets are never sent. Then the same error
 * event stop() would have sent starts matrixai's own shutdown (the client stops its socket on it;
 * without it, `QUICClient.destroy()` would wait forever and the UDP socket would stay open).
 */
async function closeFirst(
  connection: QUICConnection,
  code: bigint,
  reason: string,
  stop: () => Promise<void>,
): Promise<void> {
  try {
    const quiche = (connection as unknown as { conn: Quiche }).conn;
    quiche.close(true, Number(code), new TextEncoder().encode(reason));
    await (connection as unknown as { send(): Promise<void> }).send();
    const data = { isApp: true, errorCode: Number(code), reason: new TextEncoder().encode(reason) };
    const error = new errors.ErrorQUICConnectionLocal(`Locally closed with application code ${code}`, { data });
    connection.dispatchEvent(new events.EventQUICConnectionError({ detail: error }));
  } catch {
    // Already closing or closed: stop() below finishes the job.
  }
  await stop();
}

function wrapConnection(
  connection: QUICConnection,
  stop: (code: bigint, reason: string) => Promise<void>,
): StackConnection {
  const quiche = (connection as unknown as { conn: Quiche }).conn;
  const alpn = quiche.applicationProto();
  const notice = closeNotice();
  connection.addEventListener(events.EventQUICConnectionError.name, (event) =>
    notice.settle(closeInfoOf((event as events.EventQUICConnectionError).detail)),
  );
  const closed = connection.closedP.then(
    () => notice.info ?? { code: 0n, reason: "", remote: undefined, isApp: false },
    (error: unknown) => ({ code: 0n, reason: "", remote: undefined, isApp: false, error }),
  );
  return {
    alpnProtocol: alpn.length === 0 ? undefined : decoder.decode(alpn),
    serverName: quiche.serverName() ?? undefined,
    local: addressOf(connection.localHost, connection.localPort),
    remote: addressOf(connection.remoteHost, connection.remotePort),
    peerCertificate: () => connection.getRemoteCertsChain()[0],
    openStream: (unidirectional) =>
      Promise.resolve().then(() => wrapStream(connection.newStream(unidirectional ? "uni" : "bidi"))),
    onStream: (listener) => {
      connection.addEventListener(events.EventQUICConnectionStream.name, (event) =>
        listener(wrapStream((event as events.EventQUICConnectionStream).detail)),
      );
    },
    close: (code, reason) => {
      notice.settle({ code, reason, remote: false, isApp: true });
      return stop(code, reason);
    },
    onClosing: notice.onClosing,
    closed,
    toResetError,
    // quiche takes codes as JS numbers: above 2^53 - 1 they arrive altered, near 2^62 quiche panics.
    maxCode: BigInt(Number.MAX_SAFE_INTEGER),
  };
}

/** A cached HMAC key for the server's retry tokens: matrixai asks for sign and verify ops. */
function hmacOps(raw: ArrayBuffer): {
  sign(key: ArrayBuffer, data: ArrayBuffer): Promise<ArrayBuffer>;
  verify(key: ArrayBuffer, data: ArrayBuffer, sig: ArrayBuffer): Promise<boolean>;
} {
  const algorithm = { name: "HMAC", hash: "SHA-256" };
  const key = crypto.subtle.importKey("raw", raw, algorithm, false, ["sign", "verify"]);
  return {
    sign: async (_key, data) => crypto.subtle.sign("HMAC", await key, data),
    verify: async (_key, data, sig) => crypto.subtle.verify("HMAC", await key, sig, data),
  };
}

const clientCrypto = {
  ops: {
    randomBytes: (data: ArrayBuffer): Promise<void> => {
      crypto.getRandomValues(new Uint8Array(data));
      return Promise.resolve();
    },
  },
};

async function connect(options: StackConnectOptions): Promise<StackConnection> {
  if (options.serverName === undefined && isIP(options.host) !== 0) {
    // quiche checks only DNS names: without one the handshake would fail even when the
    // certificate lists the IP address.
    throw new TypeError(
      `Cannot open a QUIC connection to ${options.host}: on Node, tls.serverName must name the server when host is an IP address`,
    );
  }
  const client = await QUICClient.createQUICClient(
    {
      host: options.host,
      port: options.port,
      serverName: options.serverName ?? options.host,
      crypto: clientCrypto,
      logger: silent,
      reasonToCode,
      codeToReason,
      config: {
        ...config(options),
        verifyPeer: options.verify,
        ...(options.ca === undefined ? {} : { ca: options.ca }),
      },
    },
    { signal: options.signal },
  );
  return wrapConnection(client.connection, (code, reason) =>
    closeFirst(client.connection, code, reason, () => client.destroy({ force: true })),
  );
}

async function listen(
  options: StackListenOptions,
  onConnection: (connection: StackConnection) => void,
): Promise<StackServer> {
  checkKeyPair(options.key, options.cert);
  const raw = crypto.getRandomValues(new Uint8Array(32)).buffer;
  const server = new QUICServer({
    crypto: { key: raw, ops: hmacOps(raw) },
    config: { ...config(options), key: options.key, cert: options.cert },
    logger: silent,
    reasonToCode,
    codeToReason,
  });
  let accepting = true;
  server.addEventListener(events.EventQUICServerConnection.name, (event) => {
    const connection = (event as events.EventQUICServerConnection).detail;
    const stop = (code: bigint, reason: string): Promise<void> =>
      closeFirst(connection, code, reason, () => connection.stop({ force: true }));
    if (!accepting) {
      void stop(0n, "server closed").catch(() => undefined);
      return;
    }
    onConnection(wrapConnection(connection, stop));
  });
  await server.start({ host: options.host, port: options.port });
  return {
    address: addressOf(server.host, server.port),
    stopAccepting: () => {
      accepting = false;
    },
    release: () => server.stop({ force: true }),
  };
}

/** The Node stack. */
export const matrixaiStack: QuicStack = { name: "@matrixai/quic", connect, listen };
