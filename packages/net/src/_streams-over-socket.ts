import type { Socket } from "node:net";
import { createStreams } from "@asyncstreams/protocol";
import type { Streams, WriteBufferLimits } from "@asyncstreams/protocol";
import type { StreamReader } from "@asyncstreams/reader";
import { SocketTransport } from "./socket-transport.js";
import { diagnostics } from "./_diagnostics.js";
import type { NetConnectMessage } from "./diagnostics-channels.js";

/** Settings for {@linkcode streamsOverSocket}. */
export interface StreamsOverSocketOptions {
  reader: StreamReader;
  noDelay?: boolean | undefined;
  writeBufferLimits?: Partial<WriteBufferLimits> | undefined;
  extraInfo?: Record<string, unknown> | undefined;
  /** The host connected to: the default name a later `startTls()` checks the certificate against. */
  hostname?: string | undefined;
}

/** Wraps a connected socket in a transport and returns its reader and writer (client side). */
export function streamsOverSocket(socket: Socket, options: StreamsOverSocketOptions): Streams {
  socket.allowHalfOpen = true; // asyncio keeps the write side open after the peer's FIN
  if (options.noDelay !== false && typeof socket.setNoDelay === "function") socket.setNoDelay(true);
  const transport = new SocketTransport(socket, {
    writeBufferLimits: options.writeBufferLimits,
    extraInfo: options.extraInfo,
    hostname: options.hostname,
  });
  const streams = createStreams(transport, { reader: options.reader });
  if (diagnostics.connect.hasSubscribers) {
    const message: NetConnectMessage = { transport, reader: streams.reader, writer: streams.writer };
    diagnostics.connect.publish(message);
  }
  return streams;
}
