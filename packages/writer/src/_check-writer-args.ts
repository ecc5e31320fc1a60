import { checkOptions } from "./_check-options.js";

const ACTION = "Cannot make a StreamWriter";
const TRANSPORT_METHODS = ["write", "writeLines", "writeEof", "canWriteEof", "close", "isClosing", "getExtraInfo"];
const OPTIONS = ["protocol", "reader"] as const;

/**
 * Checks `new StreamWriter()`'s arguments: a protocol without flow control would fail only later,
 * inside `drain()`, far from the mistake, and a misspelled option would be ignored.
 *
 * @throws {TypeError} When `transport` lacks a method the writer calls, `options` is not an object
 *   or names an unknown option, `protocol` lacks `drainHelper()` or `closeWaiter()`, or `reader`
 *   (when given) lacks `exception()`.
 */
export function checkWriterArgs(transport: unknown, options: unknown): void {
  const missing = TRANSPORT_METHODS.find(
    (name) => typeof (transport as Record<string, unknown> | null)?.[name] !== "function",
  );
  if (missing !== undefined)
    throw new TypeError(`${ACTION}: transport should be a Transport, but it has no ${missing}() method`);
  checkOptions(ACTION, options, OPTIONS);
  const { protocol, reader } = options as { protocol?: Record<string, unknown> | null; reader?: unknown };
  if (typeof protocol?.drainHelper !== "function" || typeof protocol.closeWaiter !== "function")
    throw new TypeError(
      `${ACTION}: protocol should have drainHelper() and closeWaiter(), as a FlowControl-based protocol does (createStreams() makes one)`,
    );
  if (reader !== undefined && reader !== null && typeof (reader as { exception?: unknown }).exception !== "function")
    throw new TypeError(`${ACTION}: reader should be the connection's StreamReader (it has no exception() method)`);
}
