import { DEFAULT_WRITE_BUFFER_HIGH } from "./default-write-buffer-high.js";
import type { WriteBufferLimits } from "./transport.js";

/**
 * Applies asyncio's rules for `set_write_buffer_limits()`: `high` defaults to 64 KiB (or 4 × `low`
 * when only `low` is given), `low` to `high / 4`, and `high >= low >= 0` must hold.
 * `TransportBase` calls it; a transport that implements `Transport` itself can too.
 *
 * @param limits The marks asked for; either may be left out.
 * @returns Both marks.
 * @throws {RangeError} Unless `high >= low >= 0`, with asyncio's message.
 *
 * @example
 * ```ts
 * import { resolveWriteBufferLimits } from "@asyncstreams/protocol";
 *
 * console.log(resolveWriteBufferLimits({ high: 1024 })); // { high: 1024, low: 256 }
 * console.log(resolveWriteBufferLimits()); // { high: 65536, low: 16384 }
 * ```
 */
export function resolveWriteBufferLimits(limits: Partial<WriteBufferLimits> = {}): WriteBufferLimits {
  const high = limits.high ?? (limits.low === undefined ? DEFAULT_WRITE_BUFFER_HIGH : 4 * limits.low);
  const low = limits.low ?? Math.floor(high / 4);
  if (!(high >= low && low >= 0)) {
    throw new RangeError(`Cannot set write buffer limits: high (${high}) must be >= low (${low}) must be >= 0`);
  }
  return { high, low };
}
