import { IncompleteReadError } from "./incomplete-read-error.js";
import type { ReadOptions } from "./read-options.js";
import type { StreamReader } from "./stream-reader.js";
import { TextDecodeError } from "./text-decode-error.js";

const LF = 0x0a;
const CR = 0x0d;
const CRLF = new Uint8Array([CR, LF]);
/** `"any"` ends a line at the first CR or LF; a CRLF's LF is taken right after (see `#takeLfAfterCr`). */
const CR_OR_LF: readonly Uint8Array[] = [new Uint8Array([CR]), new Uint8Array([LF])];
/** Encodings whose bytes for CR, LF or ASCII are not those bytes alone: searching bytes would split characters. */
const NOT_ASCII_COMPATIBLE = new Set(["utf-16le", "utf-16be", "iso-2022-jp"]);

/**
 * Options for {@linkcode TextReader}.
 */
export interface TextReaderOptions {
  /**
   * A WHATWG encoding label, as `TextDecoder` takes: `"utf-8"` (the default), `"latin1"`,
   * `"windows-1252"`, `"shift_jis"`, ... It must be ASCII-compatible (UTF-16 and ISO-2022-JP are
   * refused), because line endings and separators are found as bytes.
   */
  encoding?: string | undefined;
  /**
   * `true`: invalid bytes throw a {@linkcode TextDecodeError} carrying them. `false` (the default):
   * they decode to U+FFFD, as `TextDecoder` and Python's `errors="replace"` do.
   */
  fatal?: boolean | undefined;
  /**
   * What ends a line, after Python's `io.TextIOWrapper` `newline` argument:
   * - `"\n"` (the default): LF, and the ending is `"\r\n"` when a CR comes right before it, so
   *   both LF and CRLF lines come out clean. Exact and binary-safe: the reader's own `readLine()`;
   * - `"\r\n"` (Python's `newline="\r\n"`): only CRLF; a bare CR or LF is part of the line;
   * - `"any"` (Python's `newline=None`): LF, CRLF or a bare CR. A line that ends in CR is returned
   *   once the next byte is known (or EOF), so a CRLF split between two chunks is one line ending.
   */
  newline?: "\n" | "\r\n" | "any" | undefined;
  /**
   * Whether `readLine()` keeps the line ending and `readUntil()` the separator. Default `false`
   * (as `node:readline` and `str.splitlines()`). With `newline: "any"` a kept ending is always
   * `"\n"`, as Python translates it; the other modes keep the ending as received.
   */
  keepEnds?: boolean | undefined;
}

/**
 * Reads text from a `StreamReader`: lines as strings in a chosen encoding, with Python's choices
 * of line ending, `readUntil()` with a string separator, and `for await` over lines.
 *
 * It holds no buffer: every call takes whole lines (or whole separated chunks) from the reader
 * with the reader's own `readLine()` or `readUntil()` and decodes each at once, so a multi-byte
 * character split across chunks is never cut, and text and binary reads interleave on the same
 * reader: what a text call did not return is still in the reader. (A class rather than a
 * `textLines()` generator: a protocol needs single reads between its binary ones, not only a loop.)
 *
 * Reads take the reader's `{ signal }` and keep its guarantees (an aborted read consumes nothing);
 * the reader's errors pass through unchanged, `LimitOverrunError` included. With `newline: "\n"`
 * the reader's own `readLine()` is used (asyncio's limit rules, discarding an over-long line);
 * the other modes use `readUntil()`, which keeps an over-long line buffered.
 *
 * Differences from Python's `TextIOWrapper`:
 * - `readLine()` returns `null` at EOF, not `""`: with endings stripped, `""` is an empty line;
 * - the default `newline` is `"\n"` (LF or CRLF), not universal newlines;
 * - with `newline: "any"` a line ending in CR waits for the next byte, as Python's
 *   `IncrementalNewlineDecoder` does: an interactive peer's bare-CR line is returned when its next
 *   byte (or EOF) arrives. The byte is looked at with `reader.peek()` and stays in the reader
 *   unless it is that CRLF's LF. If the read's signal aborts (or the reader fails) during that one
 *   wait, the line is returned rather than lost, and an LF arriving next is still taken as the rest
 *   of its CRLF by the next text read, unless another read took bytes in between (it then gets it);
 * - a BOM is text (U+FEFF), as with Python's `"utf-8"` (not `"utf-8-sig"`).
 *
 * @example
 * ```ts
 * import { StreamReader, TextReader } from "@asyncstreams/reader";
 *
 * const reader = new StreamReader();
 * reader.feedData(new TextEncoder().encode("HELLO caf\u00e9\r\nSIZE 3\r\nabc"));
 * reader.feedEof();
 * const text = new TextReader(reader);
 * console.log(await text.readLine()); // "HELLO café"
 * console.log(await text.readUntil(" ")); // "SIZE"
 * const size = Number(await text.readLine()); // 3
 * console.log(await reader.readExactly(size)); // Uint8Array [97, 98, 99]: binary reads mix in
 * console.log(await text.readLine()); // null: EOF
 * ```
 */
export class TextReader implements AsyncIterable<string> {
  readonly #reader: StreamReader;
  readonly #decoder: TextDecoder;
  readonly #newline: "any" | "\n" | "\r\n";
  readonly #keepEnds: boolean;
  /**
   * `reader.bytesConsumed` right after a line that ended in a bare CR (else -1). While it still
   * matches, no other read took bytes since, so a leading LF is that line's CRLF completed.
   */
  #crEnd = -1;
  /** The last separator given to `readUntil()`, and its bytes. */
  #separator: string | null = null;
  #separatorBytes: Uint8Array = CRLF;

  /**
   * @param reader The reader to take text from; it stays usable for binary reads.
   * @param options `encoding`, `fatal`, `newline` and `keepEnds`.
   * @throws {RangeError} When `encoding` is unknown or not ASCII-compatible, or `newline` is not one
   *   of `"any"`, `"\n"` and `"\r\n"`.
   */
  constructor(reader: StreamReader, options: TextReaderOptions = {}) {
    const { encoding = "utf-8", fatal = false, newline = "\n", keepEnds = false } = options;
    // ignoreBOM keeps a BOM as text: decode() runs once per line, and would strip one from any line.
    this.#decoder = new TextDecoder(encoding, { fatal, ignoreBOM: true });
    if (NOT_ASCII_COMPATIBLE.has(this.#decoder.encoding)) {
      throw new RangeError(`Cannot create a TextReader: encoding ${this.#decoder.encoding} is not ASCII-compatible`);
    }
    if (newline !== "any" && newline !== "\n" && newline !== "\r\n") {
      throw new RangeError(`Cannot create a TextReader: newline should be "any", "\\n" or "\\r\\n", got ${JSON.stringify(newline)}`);
    }
    this.#reader = reader;
    this.#newline = newline;
    this.#keepEnds = keepEnds;
  }

  /** The reader text is taken from. */
  get reader(): StreamReader {
    return this.#reader;
  }

  /** The canonical name of the encoding, for example `"windows-1252"` for the label `"latin1"`. */
  get encoding(): string {
    return this.#decoder.encoding;
  }

  /**
   * Reads one line and decodes it. At EOF the last line may lack its ending; after it, `null`.
   *
   * Cancel safety: as the reader's `readLine()`: aborting `signal` consumes nothing (under the `"skip"`
   * policy, what was already discarded of an over-long line is gone), and the next read may start at
   * once. One exception, with `newline: "any"`: a line ending in CR has already been taken when its
   * read waits for the next byte, so an abort during that wait returns the line instead of rejecting
   * (the next byte stays in the reader; an LF is still taken as the end of that CRLF by the next text read).
   *
   * @param options `signal` aborts the read; it consumes nothing then.
   * @returns The line (without its ending unless `keepEnds`), or `null` at EOF.
   * @throws {TextDecodeError} With `fatal: true`, when the line is not valid in the encoding.
   * @throws The reader's errors, unchanged: `LimitOverrunError`, its stored exception, `signal.reason`.
   *
   * @example
   * ```ts
   * import { StreamReader, TextReader } from "@asyncstreams/reader";
   *
   * const reader = new StreamReader();
   * reader.feedData(new TextEncoder().encode("unix\nwindows\r\nold mac\rlast"));
   * reader.feedEof();
   * const text = new TextReader(reader, { newline: "any" });
   * for (let line = await text.readLine(); line !== null; line = await text.readLine()) console.log(line);
   * // "unix", "windows", "old mac", "last"
   * ```
   */
  async readLine(options?: ReadOptions): Promise<string | null> {
    const newline = this.#newline;
    if (newline === "\n") {
      const line = await this.#reader.readLine(options);
      if (line.length === 0) return null;
      return this.#decode(line, line[line.length - 1] !== LF ? 0 : line[line.length - 2] === CR ? 2 : 1);
    }
    if (newline === "\r\n") {
      const line = await this.#readThrough(CRLF, options);
      if (line.length === 0) return null;
      return this.#decode(line, endsWithCrLf(line) ? 2 : 0);
    }
    for (;;) {
      const skipLf = this.#crEnd === this.#reader.bytesConsumed;
      const line = await this.#readThrough(CR_OR_LF, options);
      this.#crEnd = -1;
      if (line.length === 0) return null;
      const last = line[line.length - 1];
      if (skipLf && line.length === 1 && last === LF) continue; // the LF of a CRLF returned at its CR
      if (last === CR && !(await this.#takeLfAfterCr(options))) this.#crEnd = this.#reader.bytesConsumed;
      const ended = last === CR || last === LF;
      if (!this.#keepEnds) return this.#decode(line, ended ? 1 : 0);
      // Python's newline=None translates every ending to "\n".
      const text = this.#decode(line, ended ? 1 : 0, true);
      return ended ? `${text}\n` : text;
    }
  }

  /**
   * Reads up to and including `separator`, and decodes it.
   *
   * Separators are matched as bytes: in Shift_JIS, Big5 and GBK an ASCII separator from `"@"`
   * (0x40) up can match the second byte of a two-byte character. UTF-8, single-byte encodings and
   * EUC encodings are safe; line endings are safe in every accepted encoding.
   *
   * Cancel safety: as the reader's `readUntil()`: aborting `signal` consumes nothing (under the `"skip"`
   * policy, what was already discarded of an over-long line is gone).
   *
   * @param separator The separator: not empty, and ASCII unless the encoding is UTF-8.
   * @param options `signal` aborts the read; it consumes nothing then.
   * @returns The text up to the separator (with it when `keepEnds`).
   * @throws {RangeError} When `separator` is empty, or not ASCII in an encoding other than UTF-8.
   * @throws {TextDecodeError} With `fatal: true`, when the text is not valid in the encoding.
   * @throws The reader's errors, unchanged: `IncompleteReadError` at EOF (its `partial` holds the
   *   bytes), `LimitOverrunError`, its stored exception, `signal.reason`.
   *
   * @example
   * ```ts
   * import { StreamReader, TextReader } from "@asyncstreams/reader";
   *
   * const reader = new StreamReader();
   * reader.feedData(new TextEncoder().encode("name=Zoë;lang=fr;"));
   * const text = new TextReader(reader);
   * console.log(await text.readUntil(";")); // "name=Zoë"
   * console.log(await text.readUntil("=")); // "lang"
   * console.log(await text.readUntil(";")); // "fr"
   * ```
   */
  async readUntil(separator: string, options?: ReadOptions): Promise<string> {
    const bytes = this.#encodeSeparator(separator);
    for (;;) {
      const skipLf = this.#crEnd === this.#reader.bytesConsumed;
      let chunk = await this.#reader.readUntil(bytes, options);
      this.#crEnd = -1;
      if (skipLf && chunk[0] === LF) {
        chunk = chunk.subarray(1); // the LF of a CRLF whose line readLine() returned at its CR
        if (chunk.length === 0) continue;
      }
      return this.#decode(chunk, bytes.length);
    }
  }

  /**
   * Iterates over the lines as strings until EOF, like `for line in text_file`.
   *
   * @returns An iterator of lines (without endings unless `keepEnds`).
   */
  [Symbol.asyncIterator](): AsyncIterator<string> {
    const done: IteratorReturnResult<undefined> = { done: true, value: undefined };
    return {
      next: () => this.readLine().then((line) => (line === null ? done : { done: false, value: line })),
    };
  }

  /**
   * After a line's CR: takes the LF that follows (a CRLF), first waiting for the next byte when
   * none is buffered. Returns `false` when an abort or a reader error cut the wait short (the line
   * is already taken: it is returned, and the next byte is left for later).
   */
  async #takeLfAfterCr(options: ReadOptions | undefined): Promise<boolean> {
    const reader = this.#reader;
    let next: Uint8Array;
    try {
      next = await reader.peek(1, options);
    } catch {
      return false;
    }
    if (next[0] === LF) await reader.readExactly(1);
    return true;
  }

  /** The reader's `readUntil()`, with the partial last line at EOF returned instead of thrown. */
  async #readThrough(separator: Uint8Array | readonly Uint8Array[], options: ReadOptions | undefined): Promise<Uint8Array> {
    try {
      return await this.#reader.readUntil(separator, options);
    } catch (error) {
      // An abort reason passes through whatever it is, even an IncompleteReadError.
      if (error instanceof IncompleteReadError && !(options?.signal?.aborted === true && error === options.signal.reason)) {
        return error.partial;
      }
      throw error;
    }
  }

  /**
   * Decodes `data` without its last `ending` bytes (all of it when `keepEnds` and not `stripAlways`).
   * Only whole lines or chunks get here, so a character is never split between two calls.
   */
  #decode(data: Uint8Array, ending: number, stripAlways = false): string {
    const end = this.#keepEnds && !stripAlways ? data.length : data.length - ending;
    try {
      return this.#decoder.decode(end === data.length ? data : data.subarray(0, end));
    } catch (error) {
      throw new TextDecodeError(this.#decoder.encoding, data, { cause: error });
    }
  }

  #encodeSeparator(separator: string): Uint8Array {
    if (separator === this.#separator) return this.#separatorBytes; // a loop over one separator encodes it once
    if (typeof separator !== "string" || separator.length === 0) {
      throw new RangeError(`Cannot read until a separator: it should be a non-empty string, got ${JSON.stringify(separator)}`);
    }
    // eslint-disable-next-line no-control-regex -- ASCII is exactly U+0000..U+007F
    if (this.#decoder.encoding !== "utf-8" && !/^[\x00-\x7f]*$/.test(separator)) {
      throw new RangeError(`Cannot read until a separator: ${JSON.stringify(separator)} is not ASCII and the encoding is ${this.#decoder.encoding}`);
    }
    // ASCII text has the same bytes in UTF-8 and in every encoding accepted here.
    const bytes = new TextEncoder().encode(separator);
    this.#separator = separator;
    this.#separatorBytes = bytes;
    return bytes;
  }
}

function endsWithCrLf(line: Uint8Array): boolean {
  return line.length >= 2 && line[line.length - 1] === LF && line[line.length - 2] === CR;
}
