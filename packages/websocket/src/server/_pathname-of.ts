/**
 * The path of an upgrade request's URL, normalised as `new URL()` does, or `undefined` when the
 * request line's target is not a URL (`GET //[ HTTP/1.1`): a client can send anything there.
 */
export function pathnameOf(target: string | undefined): string | undefined {
  try {
    return new URL(target ?? "/", "http://localhost").pathname;
  } catch {
    return undefined;
  }
}
