/**
 * asyncio's `writelines()` for a transport's `writeLines()`: every chunk is checked before any is
 * written, so a list with one bad chunk writes nothing; then each is written in order with `write`.
 * Every transport of this project implements `writeLines()` with it.
 *
 * @param write The transport's own `write()`.
 * @param chunks The chunks, in order (any iterable; it is read once).
 * @throws {TypeError} When a chunk is not a `Uint8Array`; nothing is written then.
 *
 * @example
 * ```ts
 * import { writeLinesTo } from "@asyncstreams/protocol";
 *
 * const sent: string[] = [];
 * const write = (chunk: Uint8Array): void => void sent.push(new TextDecoder().decode(chunk));
 * writeLinesTo(write, [new TextEncoder().encode("a\n"), new TextEncoder().encode("b\n")]);
 * try {
 *   writeLinesTo(write, [new TextEncoder().encode("c\n"), "d\n" as unknown as Uint8Array]);
 * } catch (error) {
 *   console.log((error as Error).name); // "TypeError"
 * }
 * console.log(sent); // [ 'a\n', 'b\n' ]
 * ```
 */
export function writeLinesTo(write: (chunk: Uint8Array) => void, chunks: Iterable<Uint8Array>): void {
  const list = Array.from(chunks);
  if (!list.every((chunk) => chunk instanceof Uint8Array)) {
    throw new TypeError("Cannot write lines: each chunk must be a Uint8Array");
  }
  for (const chunk of list) write(chunk);
}
