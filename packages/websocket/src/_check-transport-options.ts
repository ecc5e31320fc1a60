import { checkObject, checkOptions, checkPositiveInteger, checkWriteBufferLimits } from "./_check-options.js";
import { checkKeepAlive } from "./_keep-alive.js";
import type { WebSocketTransportOptions } from "./web-socket-transport-options.js";

const OPTIONS = ["writeBufferLimits", "maxReadBuffer", "keepAlive", "extraInfo", "url"] as const;

/** Throws for an unknown option of `WebSocketTransport`'s, or one of the wrong type or range. */
export function checkTransportOptions(options: WebSocketTransportOptions, action: string): void {
  checkOptions(options, OPTIONS, action);
  checkPositiveInteger(options.maxReadBuffer, "maxReadBuffer", action);
  checkKeepAlive(options.keepAlive, action);
  checkWriteBufferLimits(options.writeBufferLimits, action);
  checkObject(options.extraInfo, "extraInfo", action);
  if (options.url !== undefined && typeof options.url !== "string")
    throw new TypeError(`${action}: url must be a string, not ${typeof options.url}`);
}
