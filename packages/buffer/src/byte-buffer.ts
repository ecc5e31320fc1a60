import type { ByteBufferOptions } from "./byte-buffer-options.js";
import type { ByteSearch } from "./byte-search.js";
import type { SeparatorMatch } from "./separator-match.js";
import { COMPACT_AFTER, EMPTY, NO_CHUNKS, copyFront } from "./_byte-buffer-chunks.js";
import { findFirst, findIn, matchesAcross } from "./_byte-buffer-search.js";
import { checkByte, checkChunk, checkSeparator } from "./_check-bytes.js";
import { checkCount } from "./_check-number.js";
import { checkBufferOptions } from "./_check-options.js";

/**
 * A first-in, first-out byte buffer built for stream readers.
 *
 * - `append()` keeps each chunk as it is: nothing is concatenated, so appending is O(1).
 * - `indexOf()` and `findFirst()` search across chunk boundaries and resume from a cursor, so a
 *   reader that searches again from where the last search stopped never re-walks the chunk list:
 *   total work over any sequence of appends and resumed searches is linear in the bytes seen.
 * - `take()` removes bytes from the front. A result that lies inside one appended chunk is a
 *   zero-copy view of that chunk (a plain `Uint8Array`, even if the chunk was a subclass such as
 *   Node's `Buffer`); a result that spans chunks is one fresh copy.
 *
 * Ownership: `append(chunk)` takes ownership of `chunk`; the caller must not modify it afterwards.
 * The buffer never writes into a chunk, and every byte is handed out by `take()` exactly once, so
 * a returned view never changes under its holder and two results never share bytes. A view keeps
 * its whole underlying chunk (`view.buffer`) alive while it is referenced: call `.slice()` on a
 * result that will be kept for long if memory matters more than the copy. `peek()` always copies.
 *
 * @example
 * ```ts
 * import { ByteBuffer } from "@asyncstreams/buffer";
 *
 * const buffer = new ByteBuffer();
 * buffer.append(new TextEncoder().encode("GET / HTTP/1.1\r"));
 * buffer.append(new TextEncoder().encode("\nHost: example\r\n"));
 * const end = buffer.indexOf(new TextEncoder().encode("\r\n"));
 * console.log(new TextDecoder().decode(buffer.take(end + 2))); // "GET / HTTP/1.1\r\n"
 * console.log(buffer.length); // 15
 * ```
 */
export class ByteBuffer {
  /** The chunks, never an empty list of its own: `NO_CHUNKS` when nothing is buffered. */
  #chunks: Uint8Array[] = NO_CHUNKS;
  /** Index in `#chunks` of the first chunk that still holds live bytes. */
  #head = 0;
  /** Bytes of `#chunks[#head]` already taken. */
  #headOffset = 0;
  #length = 0;
  /** Search cursor: a chunk index and the buffer position of that chunk's first live byte. */
  #cursorIndex = 0;
  #cursorStart = 0;
  /** The chunk whose `buffer` and `byteOffset` are cached below: those getters are slow to call. */
  #viewChunk: Uint8Array | null = null;
  #viewBuffer: ArrayBufferLike = EMPTY.buffer;
  #viewBase = 0;
  readonly #search: ByteSearch;

  /**
   * @param options `search`: the in-chunk search primitive; defaults to {@linkcode portableByteSearch}.
   */
  constructor(options: ByteBufferOptions = {}) {
    this.#search = checkBufferOptions(options);
  }

  /** The number of bytes buffered. */
  get length(): number {
    return this.#length;
  }

  /**
   * Appends a chunk without copying it. Empty chunks are ignored.
   *
   * @param chunk Bytes to append; the buffer owns them from now on and never modifies them.
   * @throws {TypeError} When `chunk` is not a `Uint8Array`.
   *
   * @example
   * ```ts
   * import { ByteBuffer } from "@asyncstreams/buffer";
   *
   * const buffer = new ByteBuffer();
   * buffer.append(new Uint8Array([1, 2]));
   * buffer.append(new Uint8Array(0)); // empty: ignored
   * buffer.append(new Uint8Array([3]));
   * console.log(buffer.length); // 3
   * console.log(buffer.takeAll()); // Uint8Array [1, 2, 3]
   * ```
   */
  append(chunk: Uint8Array): void {
    if (!(chunk instanceof Uint8Array)) checkChunk(chunk);
    if (chunk.length === 0) return;
    const chunks = this.#chunks;
    if (chunks === NO_CHUNKS) this.#chunks = [chunk];
    else chunks.push(chunk);
    this.#length += chunk.length;
  }

  /**
   * Finds the first occurrence of one byte value.
   *
   * @param byte The value to find, an integer from 0 to 255.
   * @param fromIndex The buffer position to start at: a non-negative integer.
   * @returns The position of the byte, or -1.
   * @throws {RangeError} When `byte` is not an integer from 0 to 255 or `fromIndex` is not a
   *   non-negative integer (a negative start is refused rather than read as "from the end").
   * @throws {TypeError} When either is not a number.
   *
   * @example
   * ```ts
   * import { ByteBuffer } from "@asyncstreams/buffer";
   *
   * const buffer = new ByteBuffer();
   * buffer.append(new TextEncoder().encode("a=1\nb=2\n"));
   * console.log(buffer.indexOfByte(0x0a)); // 3
   * console.log(buffer.indexOfByte(0x0a, 4)); // 7
   * console.log(buffer.indexOfByte(0x00)); // -1
   * ```
   */
  indexOfByte(byte: number, fromIndex = 0): number {
    if (!(Number.isInteger(byte) && byte >= 0 && byte <= 255)) checkByte(byte);
    if (!(Number.isSafeInteger(fromIndex) && fromIndex >= 0))
      checkCount("Cannot search the buffer", "fromIndex", fromIndex, false);
    return fromIndex >= this.#length ? -1 : this.#find(byte, fromIndex);
  }

  /**
   * Finds the first occurrence of a byte sequence, including one that straddles chunks.
   *
   * Work is proportional to the bytes after `fromIndex` (times the separator length at worst).
   *
   * @param separator The bytes to find; must not be empty.
   * @param fromIndex The buffer position to start at: a non-negative integer.
   * @returns The position where the match starts, or -1.
   * @throws {RangeError} When `separator` is empty or `fromIndex` is not a non-negative integer.
   * @throws {TypeError} When `separator` is not a `Uint8Array` or `fromIndex` not a number.
   *
   * @example
   * ```ts
   * import { ByteBuffer } from "@asyncstreams/buffer";
   *
   * const buffer = new ByteBuffer();
   * buffer.append(new TextEncoder().encode("Host: a\r"));
   * buffer.append(new TextEncoder().encode("\n\r\nbody"));
   * const crlf = new TextEncoder().encode("\r\n");
   * console.log(buffer.indexOf(crlf)); // 7: the match straddles the two chunks
   * console.log(buffer.indexOf(crlf, 8)); // 9
   * console.log(buffer.indexOf(new TextEncoder().encode("\r\n\r\n"))); // 7
   * ```
   */
  indexOf(separator: Uint8Array, fromIndex = 0): number {
    if (!(separator instanceof Uint8Array) || separator.length === 0) checkSeparator(separator);
    const size = separator.length;
    if (size === 1) return this.indexOfByte(separator[0]!, fromIndex);
    if (!(Number.isSafeInteger(fromIndex) && fromIndex >= 0))
      checkCount("Cannot search the buffer", "fromIndex", fromIndex, false);
    return fromIndex + size > this.#length ? -1 : this.#find(separator, fromIndex);
  }

  /**
   * Finds the match that ends earliest among several separators, asyncio 3.13's rule for
   * `readuntil((sep1, sep2, ...))`: the earliest match end wins, and on a tie the separator that
   * comes first in `separators` wins (pass them sorted by length for "shortest wins").
   *
   * @param separators Non-empty separators, each at least one byte long.
   * @param fromIndex The buffer position to start at: a non-negative integer.
   * @returns The winning match, or `undefined` when no separator occurs.
   * @throws {RangeError} When a separator is empty or `fromIndex` is not a non-negative integer.
   * @throws {TypeError} When a separator is not a `Uint8Array` or `fromIndex` not a number.
   *
   * @example
   * ```ts
   * import { ByteBuffer } from "@asyncstreams/buffer";
   *
   * const buffer = new ByteBuffer();
   * buffer.append(new TextEncoder().encode("line one\r\nline two\n"));
   * // "\r\n" and "\n" end at the same byte: the one listed first wins the tie.
   * const separators = [new TextEncoder().encode("\r\n"), new TextEncoder().encode("\n")];
   * console.log(buffer.findFirst(separators)); // { start: 8, end: 10, index: 0 }
   * console.log(buffer.findFirst(separators, 10)); // { start: 18, end: 19, index: 1 }
   * console.log(buffer.findFirst([new TextEncoder().encode(";")])); // undefined
   * ```
   */
  findFirst(separators: readonly Uint8Array[], fromIndex = 0): SeparatorMatch | undefined {
    if (!(Number.isSafeInteger(fromIndex) && fromIndex >= 0))
      checkCount("Cannot search the buffer", "fromIndex", fromIndex, false);
    return findFirst(this, separators, fromIndex);
  }

  /**
   * Tells whether `separator` occurs at `position`.
   *
   * @param separator The bytes to compare.
   * @param position The buffer position to compare at: a non-negative integer.
   * @returns `true` when every byte of `separator` is buffered there.
   * @throws {RangeError} When `position` is not a non-negative integer.
   * @throws {TypeError} When `separator` is not a `Uint8Array` or `position` not a number.
   *
   * @example
   * ```ts
   * import { ByteBuffer } from "@asyncstreams/buffer";
   *
   * const buffer = new ByteBuffer();
   * buffer.append(new TextEncoder().encode("HTTP/1.1 200 OK\r\n"));
   * console.log(buffer.startsWith(new TextEncoder().encode("HTTP/"))); // true
   * console.log(buffer.startsWith(new TextEncoder().encode("200"), 9)); // true
   * console.log(buffer.startsWith(new TextEncoder().encode("OK\r\n\r\n"), 13)); // false
   * ```
   */
  startsWith(separator: Uint8Array, position = 0): boolean {
    if (!(separator instanceof Uint8Array)) checkSeparator(separator);
    if (!(Number.isSafeInteger(position) && position >= 0))
      checkCount("Cannot compare the buffer", "position", position, false);
    if (position + separator.length > this.#length) return false;
    if (separator.length === 0) return true;
    // Byte-by-byte comparison at a position known to have room for the whole separator.
    const index = this.#locate(position);
    const offset = position - this.#cursorStart + (index === this.#head ? this.#headOffset : 0);
    return matchesAcross(this.#chunks, separator, index, offset);
  }

  /**
   * Removes `n` bytes from the front and returns them: a view when they lie in one chunk, else
   * one copy. Asking for more than is buffered (`Infinity` included) returns everything buffered.
   *
   * @param n The number of bytes to take: a non-negative integer or `Infinity`.
   * @returns The bytes, owned by the caller.
   * @throws {RangeError} When `n` is negative, not an integer, `NaN` or above
   *   `Number.MAX_SAFE_INTEGER`; nothing is removed.
   * @throws {TypeError} When `n` is not a number; nothing is removed.
   *
   * @example
   * ```ts
   * import { ByteBuffer } from "@asyncstreams/buffer";
   *
   * const buffer = new ByteBuffer();
   * buffer.append(new Uint8Array([1, 2, 3]));
   * buffer.append(new Uint8Array([4, 5]));
   * console.log(buffer.take(2)); // Uint8Array [1, 2]: a view of the first chunk
   * console.log(buffer.take(2)); // Uint8Array [3, 4]: spans two chunks, so one copy
   * console.log(buffer.take(Infinity)); // Uint8Array [5]
   * console.log(buffer.length); // 0
   * ```
   */
  take(n: number): Uint8Array {
    if (!(Number.isSafeInteger(n) && n >= 0)) checkCount("Cannot take bytes", "n", n, true);
    const count = Math.min(n, this.#length);
    if (count === 0) return new Uint8Array(0);
    const chunk = this.#chunks[this.#head]!;
    const offset = this.#headOffset;
    if (count <= chunk.length - offset) return this.#takeFromHead(chunk, offset, count);
    const out = copyFront(new Uint8Array(count), this.#chunks, this.#head, offset);
    this.#drop(count);
    return out;
  }

  /**
   * The fast path of a separator reader: when `separator` (a byte value or a byte sequence) occurs
   * wholly in the first chunk, starting within `maxIndex` bytes of the front, removes and returns
   * everything up to and including it (a view, as `take()`). Otherwise changes nothing and returns
   * `undefined`; it never looks past the first chunk, so a miss is cheap and proves nothing.
   *
   * @param separator The byte value (such as `0x0a`) or non-empty byte sequence ending the result.
   * @param maxIndex The furthest position from the front at which the separator may start: a
   *   non-negative integer, or `Infinity` for no limit.
   * @returns The bytes through the separator, or `undefined`.
   * @throws {RangeError} When `maxIndex` is not a non-negative integer or `Infinity`, or the
   *   separator is an empty array or not a byte value; nothing is removed.
   * @throws {TypeError} When an argument has the wrong type; nothing is removed.
   *
   * @example
   * ```ts
   * import { ByteBuffer } from "@asyncstreams/buffer";
   *
   * const buffer = new ByteBuffer();
   * buffer.append(new TextEncoder().encode("ok\nlong line\n"));
   * const line = buffer.takeThrough(0x0a, Infinity);
   * console.log(new TextDecoder().decode(line)); // "ok\n"
   * console.log(buffer.takeThrough(0x0a, 4)); // undefined: the newline starts 9 bytes in
   * console.log(buffer.length); // 10
   * ```
   */
  takeThrough(separator: number | Uint8Array, maxIndex: number): Uint8Array | undefined {
    if (!(Number.isSafeInteger(maxIndex) && maxIndex >= 0))
      checkCount("Cannot take bytes through a separator", "maxIndex", maxIndex, true);
    if (typeof separator === "number") {
      if (!(Number.isInteger(separator) && separator >= 0 && separator <= 255)) checkByte(separator);
    } else if (!(separator instanceof Uint8Array) || separator.length === 0) {
      checkSeparator(separator);
    }
    const chunk = this.#chunks[this.#head];
    if (chunk === undefined) return undefined;
    const offset = this.#headOffset;
    const found = this.#search(chunk, separator, offset);
    if (found === -1 || found - offset > maxIndex) return undefined;
    const size = typeof separator === "number" ? 1 : separator.length;
    return this.#takeFromHead(chunk, offset, found + size - offset);
  }

  /** Takes `count` bytes that all lie in the head chunk, from `offset`: a view or the chunk itself. */
  #takeFromHead(chunk: Uint8Array, offset: number, count: number): Uint8Array {
    if (offset + count < chunk.length) {
      this.#headOffset = offset + count;
      this.#consumed(count);
      return this.#view(chunk, offset, count);
    }
    this.#dropHead();
    this.#consumed(count);
    return offset === 0 ? chunk : this.#view(chunk, offset, count);
  }

  /**
   * Removes and returns everything buffered.
   *
   * @returns The bytes, owned by the caller.
   *
   * @example
   * ```ts
   * import { ByteBuffer } from "@asyncstreams/buffer";
   *
   * const buffer = new ByteBuffer();
   * buffer.append(new TextEncoder().encode("partial "));
   * buffer.append(new TextEncoder().encode("frame"));
   * console.log(new TextDecoder().decode(buffer.takeAll())); // "partial frame"
   * console.log(buffer.length); // 0
   * ```
   */
  takeAll(): Uint8Array {
    return this.take(this.#length);
  }

  /**
   * Copies bytes from the front without removing them.
   *
   * @param n How many bytes to copy: a non-negative integer or `Infinity`; defaults to all of them.
   * @returns A fresh copy.
   * @throws {RangeError} When `n` is negative, not an integer or `NaN`.
   * @throws {TypeError} When `n` is not a number.
   *
   * @example
   * ```ts
   * import { ByteBuffer } from "@asyncstreams/buffer";
   *
   * const buffer = new ByteBuffer();
   * buffer.append(new Uint8Array([0x16, 0x03, 0x01]));
   * console.log(buffer.peek(1)); // Uint8Array [22]: a TLS record, by its first byte
   * console.log(buffer.peek()); // Uint8Array [22, 3, 1]
   * console.log(buffer.length); // 3
   * ```
   */
  peek(n: number = this.#length): Uint8Array {
    if (!(Number.isSafeInteger(n) && n >= 0)) checkCount("Cannot peek at bytes", "n", n, true);
    return copyFront(new Uint8Array(Math.min(n, this.#length)), this.#chunks, this.#head, this.#headOffset);
  }

  /**
   * Removes `n` bytes from the front without returning them.
   *
   * @param n The number of bytes to drop: a non-negative integer, or `Infinity`; more than is
   *   buffered drops everything.
   * @throws {RangeError} When `n` is negative, not an integer or `NaN`; nothing is removed.
   * @throws {TypeError} When `n` is not a number; nothing is removed.
   *
   * @example
   * ```ts
   * import { ByteBuffer } from "@asyncstreams/buffer";
   *
   * const buffer = new ByteBuffer();
   * buffer.append(new TextEncoder().encode("\uFEFFhello"));
   * buffer.discard(3); // the UTF-8 byte order mark
   * console.log(new TextDecoder().decode(buffer.takeAll())); // "hello"
   * ```
   */
  discard(n: number): void {
    if (!(Number.isSafeInteger(n) && n >= 0)) checkCount("Cannot discard bytes", "n", n, true);
    this.#drop(Math.min(n, this.#length));
  }

  /**
   * Removes everything.
   *
   * @example
   * ```ts
   * import { ByteBuffer } from "@asyncstreams/buffer";
   *
   * const buffer = new ByteBuffer();
   * buffer.append(new Uint8Array([1, 2, 3]));
   * buffer.clear();
   * console.log(buffer.length); // 0
   * console.log(buffer.indexOfByte(1)); // -1
   * ```
   */
  clear(): void {
    this.#chunks = NO_CHUNKS;
    this.#head = 0;
    this.#headOffset = 0;
    this.#length = 0;
    this.#setCursor(0, 0);
    this.#viewChunk = null;
  }

  /** A plain `Uint8Array` over `count` bytes of `chunk` from `offset`, without copying. */
  #view(chunk: Uint8Array, offset: number, count: number): Uint8Array {
    if (this.#viewChunk !== chunk) {
      this.#viewChunk = chunk;
      this.#viewBuffer = chunk.buffer;
      this.#viewBase = chunk.byteOffset;
    }
    return new Uint8Array(this.#viewBuffer, this.#viewBase + offset, count);
  }

  /** Finds `needle` from buffered position `from` on, leaving the cursor where the search stopped. */
  #find(needle: number | Uint8Array, from: number): number {
    const chunks = this.#chunks;
    let index = this.#locate(from);
    let start = this.#cursorStart;
    let base = index === this.#head ? this.#headOffset : 0;
    for (let offset = from - start + base; index < chunks.length; index++) {
      const found = findIn(chunks, this.#search, needle, index, offset, this.#length - start + base);
      if (found !== -1) {
        this.#setCursor(index, start);
        return start + found - base;
      }
      if (index + 1 < chunks.length) start += chunks[index]!.length - base;
      base = 0;
      offset = 0;
    }
    // Park the cursor on the last chunk: the next resumed search starts there, not at the front.
    this.#setCursor(chunks.length - 1, start);
    return -1;
  }

  /** Removes `count` front bytes (no more than are buffered). */
  #drop(count: number): void {
    let remaining = count;
    while (remaining > 0) {
      // Read `#head` afresh each turn: `#dropHead()` may compact the list and renumber it.
      const available = this.#chunks[this.#head]!.length - this.#headOffset;
      if (remaining < available) {
        this.#headOffset += remaining;
        break;
      }
      remaining -= available;
      this.#dropHead();
    }
    this.#consumed(count);
  }

  /**
   * Returns the index of the chunk holding buffer position `position` (which must be buffered),
   * leaving the cursor on it. Walks forward from the cursor when it can, so resumed searches cost
   * nothing extra.
   */
  #locate(position: number): number {
    let index = this.#cursorIndex;
    let start = this.#cursorStart;
    if (index < this.#head || position < start) {
      index = this.#head;
      start = 0;
    }
    for (;;) {
      const size = this.#chunks[index]!.length - (index === this.#head ? this.#headOffset : 0);
      if (position < start + size) break;
      start += size;
      index++;
    }
    this.#setCursor(index, start);
    return index;
  }

  #setCursor(index: number, start: number): void {
    this.#cursorIndex = index;
    this.#cursorStart = start;
  }

  /** Forgets the head chunk (already fully consumed) and compacts the list now and then. */
  #dropHead(): void {
    const chunks = this.#chunks;
    this.#viewChunk = null; // do not keep a consumed chunk alive through the view cache
    this.#head++;
    this.#headOffset = 0;
    if (this.#head === chunks.length) {
      this.#chunks = NO_CHUNKS;
      this.#head = 0;
      this.#setCursor(0, 0);
    } else if (this.#head >= COMPACT_AFTER && this.#head * 2 >= chunks.length) {
      chunks.splice(0, this.#head);
      this.#cursorIndex -= this.#head;
      this.#head = 0;
    } else {
      // Let the consumed chunk be collected even before the list is compacted.
      chunks[this.#head - 1] = EMPTY;
    }
  }

  /** Keeps the length and the search cursor right after `count` front bytes went away. */
  #consumed(count: number): void {
    this.#length -= count;
    if (this.#cursorIndex <= this.#head) this.#setCursor(this.#head, 0);
    else this.#cursorStart -= count;
  }
}
