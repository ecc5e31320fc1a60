/**
 * The key @asyncstreams/net reads, a registered symbol, so that neither package exports it and no
 * user option can collide with it (see `TLS_CALLER` in net's `_check-options.ts`).
 */
const TLS_CALLER: unique symbol = Symbol.for("asyncstreams.net.tlsCaller");

/**
 * The options handed to net's function, marked with this package's call: net then reports an
 * unknown option as "Cannot start a TLS server: ...", lists the options this call accepts (`tls`,
 * the timeouts ...) and, for asyncio's TLS names, says where they go here instead of pointing to
 * this very package.
 *
 * @param plain The options left after this package took its own out.
 * @param action The failed action for messages, such as `"Cannot start a TLS server"`.
 * @param names The names this package took out.
 * @returns `plain`, copied, with the mark.
 */
export function asTlsCall<T extends object>(plain: T, action: string, names: readonly string[]): T {
  return { ...plain, [TLS_CALLER]: { action, names } };
}
