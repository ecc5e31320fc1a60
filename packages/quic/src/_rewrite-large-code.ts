const STREAM_ERROR = /Stream(Reset|Stopped)\((\d+)\)/;

/**
 * Puts `standIn` in place of a code above 2^53 - 1 in quiche's stream error message
 * (`StreamReset(N)`, `StreamStopped(N)`), so that @matrixai/quic's 16-digit regex matches it (see
 * `_large-stream-codes.ts`).
 *
 * The error is recognised by its shape, not by `instanceof Error`: the native errors come from
 * another realm under a vm-context test runner (Jest, vitest's vmThreads), and the crash this
 * prevents would come back there.
 *
 * @param error What a quiche stream method threw.
 * @param standIn The 16-digit code matrixai will parse instead.
 * @returns The exact code when the message was rewritten; `undefined` when it was left alone.
 */
export function rewriteLargeCode(error: unknown, standIn: number): bigint | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { message } = error as { message?: unknown };
  if (typeof message !== "string") return undefined;
  const match = STREAM_ERROR.exec(message);
  if (match === null) return undefined;
  const code = BigInt(match[2] ?? "0");
  if (code <= BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  (error as { message: string }).message = message.replace(
    match[0],
    `Stream${match[1] ?? "Reset"}(${String(standIn)})`,
  );
  return code;
}
