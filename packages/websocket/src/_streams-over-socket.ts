import type { ByteSearch } from "@asyncstreams/buffer";
import { resolveWriteBufferLimits, type WriteBufferLimits } from "@asyncstreams/protocol";
import { StreamReader } from "@asyncstreams/reader";
import { checkFunction, checkOptions, checkPositiveInteger, checkWriteBufferLimits } from "./_check-options.js";
import { checkKeepAlive } from "./_keep-alive.js";
import type { KeepAliveOptions } from "./keep-alive-options.js";

/** The options `openWebSocketConnection()`, `acceptWebSocket()` and the server share. */
export interface StreamOptions {
  limit?: number | undefined;
  writeBufferLimits?: Partial<WriteBufferLimits> | undefined;
  maxReadBuffer?: number | undefined;
  keepAlive?: KeepAliveOptions | undefined;
  search?: ByteSearch | undefined;
}

export const STREAM_OPTIONS = ["limit", "writeBufferLimits", "maxReadBuffer", "keepAlive", "search"] as const;

/**
 * Checks the options (unknown names are a TypeError) and makes the reader, so that a bad `limit`
 * fails before any network activity.
 */
export function prepareReader(options: StreamOptions, known: readonly string[], action: string): StreamReader {
  checkOptions(options, known, action);
  checkPositiveInteger(options.maxReadBuffer, "maxReadBuffer", action);
  checkKeepAlive(options.keepAlive, action);
  checkWriteBufferLimits(options.writeBufferLimits, action);
  resolveWriteBufferLimits(options.writeBufferLimits); // high >= low, before any connection is made
  checkFunction(options.search, "search", action);
  return new StreamReader({ limit: options.limit, search: options.search });
}
