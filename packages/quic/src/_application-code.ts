/**
 * A QUIC application error code as a bigint: QUIC sends it as a variable-length integer, so it is
 * an integer from 0 to 2^62 - 1. A safe-integer number is taken as that bigint.
 *
 * @param raw The code the caller gave.
 * @param action The failed action, the start of the message (`Cannot reset the QUIC stream`).
 * @returns The code as a bigint.
 * @throws {RangeError} When `raw` is not such an integer.
 */
export function toApplicationCode(raw: unknown, action: string): bigint {
  const code = typeof raw === "number" && Number.isSafeInteger(raw) ? BigInt(raw) : raw;
  if (typeof code !== "bigint" || code < 0n || code >= 1n << 62n) {
    throw new RangeError(`${action}: code must be an integer from 0 to 2^62 - 1, not ${String(raw)}`);
  }
  return code;
}
