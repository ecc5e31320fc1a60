/** The largest QUIC varint, the protocol's own limit for an application error code. */
const VARINT_MAX = (1n << 62n) - 1n;

/**
 * A QUIC application error code as a bigint: QUIC sends it as a variable-length integer, so it is
 * an integer from 0 to 2^62 - 1. A safe-integer number is taken as that bigint.
 *
 * @param raw The code the caller gave.
 * @param action The failed action, the start of the message (`Cannot reset the QUIC stream`).
 * @param stack Where the runtime's stack takes fewer codes: its name and largest code. Both stacks
 *   take codes as JS numbers, so above 2^53 - 1 a code would reach the peer altered, and near 2^62
 *   quiche panics; they refuse such a code instead.
 * @returns The code as a bigint.
 * @throws {RangeError} When `raw` is not such an integer.
 */
export function toApplicationCode(raw: unknown, action: string, stack?: { name: string; maxCode: bigint }): bigint {
  const code = typeof raw === "number" && Number.isSafeInteger(raw) ? BigInt(raw) : raw;
  if (typeof code !== "bigint" || code < 0n || code > VARINT_MAX) {
    throw new RangeError(`${action}: code must be an integer from 0 to 2^62 - 1, not ${String(raw)}`);
  }
  if (stack !== undefined && code > stack.maxCode) {
    const max = stack.maxCode === BigInt(Number.MAX_SAFE_INTEGER) ? "2^53 - 1" : String(stack.maxCode);
    throw new RangeError(`${action}: code must be an integer from 0 to ${max} on ${stack.name}, not ${String(raw)}`);
  }
  return code;
}
