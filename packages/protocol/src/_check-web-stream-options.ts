import { checkOptionNames } from "./_check-option-names.js";

/** Every option `WebStreamTransport` takes. */
export const WEB_STREAM_TRANSPORT_OPTIONS: readonly string[] = [
  "writeBufferLimits",
  "halfClose",
  "copyChunks",
  "extraInfo",
];

/**
 * Checks the arguments of a `WebStreamTransport` before anything is locked: a stream pair with
 * `getReader()` and `getWriter()`, only known option names, booleans for the flags and an object
 * for `extraInfo`. The water marks are left to `resolveWriteBufferLimits()`, which the base class
 * calls first.
 *
 * @param action What failed, such as `"Cannot make a WebStreamTransport"`.
 * @param pair As the caller passed it.
 * @param options As the caller passed them.
 * @param known Every accepted option name (the transport's, plus any of the caller's own).
 * @throws {TypeError} On a pair that is not two Web streams, an unknown option or a wrong type.
 */
export function checkWebStreamArguments(
  action: string,
  pair: unknown,
  options: unknown,
  known: readonly string[] = WEB_STREAM_TRANSPORT_OPTIONS,
): void {
  if (typeof pair !== "object" || pair === null)
    throw new TypeError(`${action}: pair should be an object with a readable and a writable, got ${describe(pair)}`);
  const { readable, writable } = pair as { readable?: unknown; writable?: unknown };
  if (!hasMethod(readable, "getReader"))
    throw new TypeError(`${action}: readable should be a ReadableStream, got ${describe(readable)}`);
  if (!hasMethod(writable, "getWriter"))
    throw new TypeError(`${action}: writable should be a WritableStream, got ${describe(writable)}`);
  checkOptionNames(action, options, known);
  const { halfClose, copyChunks, extraInfo } = options as Record<string, unknown>;
  checkFlag(action, "halfClose", halfClose);
  checkFlag(action, "copyChunks", copyChunks);
  if (extraInfo !== undefined && (typeof extraInfo !== "object" || extraInfo === null || Array.isArray(extraInfo)))
    throw new TypeError(`${action}: extraInfo should be an object, got ${describe(extraInfo)}`);
}

/** A string flag (`"false"`) would be truthy: only a boolean says what it means. */
function checkFlag(action: string, name: string, value: unknown): void {
  if (value !== undefined && typeof value !== "boolean")
    throw new TypeError(`${action}: ${name} should be a boolean, got ${describe(value)}`);
}

function hasMethod(value: unknown, name: string): boolean {
  return typeof value === "object" && value !== null && typeof Reflect.get(value, name) === "function";
}

/** `"no" (string)`, `5 (number)`, `null`, `an array`, `an object`. */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "function") return "a function";
  switch (typeof value) {
    case "string":
      return `${JSON.stringify(value)} (string)`;
    case "number":
    case "boolean":
    case "bigint":
      return `${String(value)} (${typeof value})`;
    default:
      return typeof value; // undefined, symbol
  }
}
