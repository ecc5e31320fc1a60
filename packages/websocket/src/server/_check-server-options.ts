import { checkBoolean, checkObject, checkOptions } from "../_check-options.js";

const DEFLATE_OPTIONS = [
  "serverNoContextTakeover",
  "clientNoContextTakeover",
  "serverMaxWindowBits",
  "clientMaxWindowBits",
  "zlibDeflateOptions",
  "zlibInflateOptions",
  "threshold",
  "concurrencyLimit",
] as const;

/** Throws unless `path` is undefined or a string starting with `/` (a request's path always does). */
export function checkPath(path: unknown, action: string): void {
  if (path === undefined) return;
  if (typeof path !== "string") throw new TypeError(`${action}: path must be a string, not ${typeof path}`);
  if (!path.startsWith("/")) {
    // Without the slash no request would ever match: every upgrade would be refused with 404.
    throw new TypeError(`${action}: path must start with "/" (as "/${path}"), not ${JSON.stringify(path)}`);
  }
}

/**
 * Throws unless `value` is undefined, a boolean, or the object `ws` takes: checked at start, where
 * `ws` would find a bad window size only while negotiating, failing every connection.
 */
export function checkPerMessageDeflate(value: unknown, action: string): void {
  if (value === undefined || typeof value === "boolean") return;
  const name = "perMessageDeflate";
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`${action}: ${name} must be true, false or an object of ws's permessage-deflate options`);
  }
  checkOptions(value, DEFLATE_OPTIONS, `${action}: ${name}`);
  const options = value as Record<(typeof DEFLATE_OPTIONS)[number], unknown>;
  checkBoolean(options.serverNoContextTakeover, `${name}.serverNoContextTakeover`, action);
  checkBoolean(options.clientNoContextTakeover, `${name}.clientNoContextTakeover`, action);
  for (const bits of ["serverMaxWindowBits", "clientMaxWindowBits"] as const) {
    const given = options[bits];
    if (given === undefined) continue;
    if (typeof given !== "number")
      throw new TypeError(`${action}: ${name}.${bits} must be an integer from 8 to 15, not ${typeof given}`);
    const message = `${action}: ${name}.${bits} must be an integer from 8 to 15, not ${given}`;
    if (!Number.isInteger(given) || given < 8 || given > 15) throw new RangeError(message);
  }
  checkObject(options.zlibDeflateOptions, `${name}.zlibDeflateOptions`, action);
  checkObject(options.zlibInflateOptions, `${name}.zlibInflateOptions`, action);
  for (const [count, least] of [
    ["threshold", 0],
    ["concurrencyLimit", 1],
  ] as const) {
    const given = options[count];
    if (given === undefined) continue;
    if (typeof given !== "number")
      throw new TypeError(`${action}: ${name}.${count} must be an integer >= ${least}, not ${typeof given}`);
    if (!Number.isSafeInteger(given) || given < least)
      throw new RangeError(`${action}: ${name}.${count} must be an integer >= ${least}, not ${given}`);
  }
}
