import { ByteBuffer } from "@asyncstreams/buffer";
import { IncompleteReadError } from "./incomplete-read-error.js";
import { InvalidStateError } from "./invalid-state-error.js";
import { LimitOverrunError } from "./limit-overrun-error.js";
import type { OverflowPolicy } from "./overflow-policy.js";
import type { ReadOptions } from "./read-options.js";
import { ReadInProgressError } from "./read-in-progress-error.js";
import type { ReadingTransport } from "./reading-transport.js";
import type { StreamReaderOptions } from "./stream-reader-options.js";
import { describeReader } from "./_format.js";
import { toSeparators } from "./_separators.js";
import { keepShapes, shapesKept } from "./_keep-shapes.js";
import { ReadPauser } from "./_read-pauser.js";
import { checkReaderOptions } from "./_check-reader-options.js";
import { numberError } from "./_check-number.js";
import { readOptionsError } from "./_check-read-options.js";
import { DataWaiter, WAIT_AGAIN } from "./_data-waiter.js";
import { LineScanner } from "./_line-scanner.js";

const NEWLINE = 0x0a;
const LINE_SEPARATORS: readonly Uint8Array[] = [new Uint8Array([NEWLINE])];

/**
 * asyncio's `StreamReader`: an awaitable byte stream fed by a transport, read by one reader at a
 * time with `read()`, `readLine()`, `readExactly()` and `readUntil()`, or line by line with
 * `for await`.
 *
 * Semantics follow CPython 3.13/3.14 `asyncio.streams` exactly (limit checks, `consumed` values,
 * what is kept or discarded, back-pressure above `2 × limit`), with these differences:
 * - every read takes `{ signal }`: an aborted read rejects with `signal.reason` and consumes nothing;
 * - `readLine()` over the limit throws `LimitOverrunError` where asyncio raises `ValueError`;
 * - results that lie inside one fed chunk are zero-copy views of it (see `ByteBuffer`);
 * - `read(-1)` keeps the bytes buffered until EOF, so a failed or aborted `read(-1)` loses nothing;
 * - the `overflow` option can skip over-long lines or return them in pieces (`OverflowPolicy`).
 *
 * @example
 * ```ts
 * import { StreamReader } from "@asyncstreams/reader";
 *
 * const reader = new StreamReader();
 * reader.feedData(new TextEncoder().encode("line1\nline2\nrest"));
 * reader.feedEof();
 * for await (const line of reader) console.log(new TextDecoder().decode(line));
 * // "line1\n", "line2\n", "rest"
 * ```
 */
export class StreamReader implements AsyncIterable<Uint8Array> {
  readonly #limit: number;
  readonly #buffer: ByteBuffer;
  #eof = false;
  readonly #waiter = new DataWaiter();
  /** The read the pending wait belongs to, for the message of a second read's ReadInProgressError. */
  #waitingMethod = "";
  #exception: unknown = undefined;
  readonly #pauser: ReadPauser;
  /** Bytes fed since the reader was made. */
  #received = 0;
  readonly #overflow: OverflowPolicy;
  /** The slow path's separator search, with the overflow policies and their state across reads. */
  readonly #scanner: LineScanner;

  /**
   * @param options `limit`, `overflow` and `search`: see {@linkcode StreamReaderOptions}.
   * @throws {RangeError} When `limit` is not greater than 0, or `overflow` is not a policy.
   */
  constructor(options: StreamReaderOptions = {}) {
    const { limit, overflow } = checkReaderOptions(options);
    this.#limit = limit;
    this.#pauser = new ReadPauser(limit);
    this.#overflow = overflow;
    this.#buffer = new ByteBuffer({ search: options.search });
    this.#scanner = new LineScanner(this.#buffer, limit, this.#pauser);
    // The first reader keeps the hidden classes, and the optimized code built on them, alive (see
    // keepShapes()); done here rather than at import, so importing the package does no work.
    if (!shapesKept) keepShapes(makeShapeKeeper);
  }

  /** The line and chunk length limit this reader was created with. */
  get limit(): number {
    return this.#limit;
  }

  /** Bytes buffered and not yet read. */
  get bufferedLength(): number {
    return this.#buffer.length;
  }

  /** Bytes fed since the reader was made: it grows whenever data arrives (see `readDeadline()`). */
  get bytesReceived(): number {
    return this.#received;
  }

  /** Bytes read or discarded since the reader was made (`bytesReceived - bufferedLength`). */
  get bytesConsumed(): number {
    return this.#received - this.#buffer.length;
  }

  /** Over-long lines or chunks skipped so far under the `"skip"` overflow policy. */
  get skippedCount(): number {
    return this.#scanner.skippedCount;
  }

  /** Whether this reader has paused its transport because more than `2 × limit` bytes are buffered. */
  get isPausing(): boolean {
    return this.#pauser.paused;
  }

  /**
   * The error set by {@linkcode StreamReader.setException}, or `undefined` when none.
   *
   * @example
   * ```ts
   * import { StreamReader } from "@asyncstreams/reader";
   *
   * const reader = new StreamReader();
   * console.log(reader.exception()); // undefined
   * reader.setException(new Error("connection lost"));
   * console.log((reader.exception() as Error).message); // "connection lost"
   * ```
   */
  exception(): unknown {
    return this.#exception;
  }

  /**
   * Makes every later read throw `error` (the same object each time), and wakes a waiting read
   * with it. Buffered bytes stay buffered but are no longer returned. Does not set EOF.
   *
   * @param error The error to throw from reads.
   *
   * @example
   * ```ts
   * import { StreamReader } from "@asyncstreams/reader";
   *
   * const reader = new StreamReader();
   * reader.feedData(new TextEncoder().encode("no newline yet"));
   * const line = reader.readLine(); // waits for "\n"
   * reader.setException(new Error("connection reset"));
   * const error = await line.catch((reason: unknown) => reason);
   * console.log((error as Error).message); // "connection reset"
   * console.log(error === reader.exception(), reader.bufferedLength); // true 14: kept, but never returned
   * ```
   */
  setException(error: unknown): void {
    this.#exception = error;
    this.#waiter.fail(error);
  }

  /**
   * Gives the reader the transport to pause when more than `2 × limit` bytes are buffered and to
   * resume at or below `limit`.
   *
   * @param transport The transport feeding this reader.
   * @throws {InvalidStateError} When a transport was already set.
   *
   * @example
   * ```ts
   * import { StreamReader } from "@asyncstreams/reader";
   *
   * const reader = new StreamReader({ limit: 4 });
   * const calls: string[] = [];
   * reader.setTransport({ pauseReading: () => calls.push("pause"), resumeReading: () => calls.push("resume") });
   * reader.feedData(new Uint8Array(9)); // more than 2 × limit buffered: pause
   * console.log(reader.isPausing); // true
   * await reader.readExactly(5); // 4 left, at or below the limit: resume
   * console.log(calls); // ["pause", "resume"]
   * ```
   */
  setTransport(transport: ReadingTransport): void {
    this.#pauser.set(transport);
  }

  /**
   * Appends received bytes and wakes a waiting read. Empty chunks are ignored.
   *
   * @example
   * ```ts
   * import { StreamReader } from "@asyncstreams/reader";
   *
   * const reader = new StreamReader();
   * const line = reader.readLine(); // waits for data
   * reader.feedData(new TextEncoder().encode("hel"));
   * reader.feedData(new TextEncoder().encode("lo\nmore"));
   * console.log(new TextDecoder().decode(await line)); // "hello\n"
   * ```
   *
   * @param chunk The bytes; the reader owns them from now on: do not modify `chunk` afterwards.
   * @throws {TypeError} When `chunk` is not a `Uint8Array`.
   * @throws {InvalidStateError} After `feedEof()`.
   */
  feedData(chunk: Uint8Array): void {
    if (!(chunk instanceof Uint8Array)) throw new TypeError("Cannot feed data: the chunk must be a Uint8Array");
    if (this.#eof) throw new InvalidStateError("Cannot feed data: feedEof() was already called");
    if (chunk.length === 0) return;
    this.#buffer.append(chunk);
    this.#received += chunk.length;
    // Paused before the wake-up, which may take a line at once (#lineOnWake): asyncio pauses here and
    // resumes when the waiting read takes it, and so does this.
    this.#pauser.pauseIfFull(this.#buffer.length);
    this.#waiter.wake();
  }

  /**
   * Marks the end of the stream and wakes a waiting read.
   *
   * @example
   * ```ts
   * import { StreamReader } from "@asyncstreams/reader";
   *
   * const reader = new StreamReader();
   * reader.feedData(new TextEncoder().encode("last line"));
   * reader.feedEof();
   * console.log(new TextDecoder().decode(await reader.readLine())); // "last line"
   * console.log(await reader.readLine()); // Uint8Array []: EOF
   * ```
   */
  feedEof(): void {
    this.#eof = true;
    this.#waiter.wake();
  }

  /**
   * Tells whether the stream has ended and every byte was read.
   *
   * @returns `true` after `feedEof()` once the buffer is empty.
   *
   * @example
   * ```ts
   * import { StreamReader } from "@asyncstreams/reader";
   *
   * const reader = new StreamReader();
   * reader.feedData(new Uint8Array([1]));
   * reader.feedEof();
   * console.log(reader.atEof()); // false: one byte is still buffered
   * await reader.read();
   * console.log(reader.atEof()); // true
   * ```
   */
  atEof(): boolean {
    return this.#eof && this.#buffer.length === 0;
  }

  /**
   * Reads up to `n` bytes: as soon as at least one byte is available, whatever is buffered up to
   * `n`. `n < 0` (the default) reads until EOF. `n === 0` returns an empty array at once. Not
   * bounded by `limit`. At EOF with nothing buffered, returns an empty array.
   *
   * Cancel safety: aborting `signal` rejects with `signal.reason` and consumes nothing: every buffered
   * byte stays for the next read, which may start at once. `read(-1)` keeps everything buffered until
   * EOF, so an abort before EOF loses nothing either (asyncio's `read(-1)` would lose the blocks it had
   * collected).
   *
   * @param n The most bytes to return (`Infinity`: whatever is buffered), or a negative integer
   *   for everything until EOF.
   * @param options `signal` aborts the read.
   * @returns The bytes read.
   * @throws {RangeError} When `n` is not an integer or `Infinity` (`1.5`, `NaN`, beyond
   *   `Number.MAX_SAFE_INTEGER`); nothing is consumed.
   * @throws {TypeError} When `n` is not a number.
   * @throws The stored exception (see `setException`), or `signal.reason`.
   *
   * @example
   * ```ts
   * import { StreamReader } from "@asyncstreams/reader";
   *
   * const reader = new StreamReader();
   * const text = new TextDecoder();
   * reader.feedData(new TextEncoder().encode("chunk1"));
   * console.log(text.decode(await reader.read(4))); // "chun"
   * console.log(text.decode(await reader.read(100))); // "k1": what is buffered, up to 100 bytes
   * reader.feedData(new TextEncoder().encode("the rest"));
   * reader.feedEof();
   * console.log(text.decode(await reader.read())); // "the rest": everything until EOF
   * ```
   */
  read(n = -1, options?: ReadOptions): Promise<Uint8Array> {
    if (n > 0 && this.#buffer.length > 0 && Number.isSafeInteger(n) && this.#canRead(options))
      return Promise.resolve(this.#take(n));
    return this.#readSlow(n, options);
  }

  /**
   * Reads one line, up to and including `\n`. At EOF returns the partial last line (maybe empty).
   *
   * Cancel safety: aborting `signal` rejects with `signal.reason` and consumes nothing: every buffered
   * byte stays for the next read, which may start at once. One exception, under the `"skip"` overflow
   * policy: the part of an over-long line discarded before the abort is gone, and the next `"skip"` read
   * goes on discarding through the end of that line (a read with another policy reads the rest as it is).
   *
   * @param options `signal` aborts the read.
   * @returns The line.
   * @throws {LimitOverrunError} When the line is longer than `limit` and the overflow policy is
   *   `"error"`: the line (if its `\n` was found) or everything buffered (if not) is discarded
   *   first, exactly as asyncio does. See {@linkcode OverflowPolicy} for the others.
   * @throws The stored exception (see `setException`), or `signal.reason`.
   *
   * @example
   * ```ts
   * import { StreamReader } from "@asyncstreams/reader";
   *
   * const reader = new StreamReader();
   * reader.feedData(new TextEncoder().encode("PING\r\nPA"));
   * console.log(new TextDecoder().decode(await reader.readLine())); // "PING\r\n"
   * const error = await reader.readLine({ signal: AbortSignal.timeout(10) }).catch((reason: unknown) => reason);
   * console.log((error as Error).name); // "TimeoutError"
   * console.log(reader.bufferedLength); // 2: the aborted read consumed nothing
   * ```
   */
  readLine(options?: ReadOptions): Promise<Uint8Array> {
    if (this.#canRead(options)) {
      const line = this.#lineNow();
      if (line !== undefined) return Promise.resolve(line);
      // The empty line at EOF, without the IncompleteReadError the general path throws and catches:
      // every connection ends this way, and an error's stack trace is its largest cost.
      if (this.#eof && this.#buffer.length === 0) return Promise.resolve(this.#buffer.takeAll());
      // An idle connection waiting for its next line: one promise, no suspended async frames (they
      // cost memory per connection); the retry starts from scratch with nothing buffered before.
      if (this.#buffer.length === 0 && !this.#eof && options?.signal === undefined && options?.overflow === undefined) {
        return this.#waitForLine();
      }
    }
    return this.#readLineSlow(options);
  }

  /**
   * Reads the complete lines already buffered at once, as `readLine()` returns them: one await per
   * batch instead of one per line. Waits for at least one; at EOF returns the partial last line,
   * then `[]`. A line over the limit ends a batch; the next call treats it as `readLine()` does.
   *
   * Cancel safety: as `readLine()`'s: an abort consumes nothing, except what the `"skip"` policy had
   * already discarded of an over-long line.
   *
   * @example
   * ```ts
   * import { StreamReader } from "@asyncstreams/reader";
   *
   * const reader = new StreamReader();
   * reader.feedData(new TextEncoder().encode("a\nb\nc"));
   * reader.feedEof();
   * for (let lines = await reader.readLines(); lines.length > 0; lines = await reader.readLines()) {
   *   console.log(lines.length); // 2, 1
   * }
   * ```
   *
   * @param options `signal` aborts the read; `overflow` as for `readLine()`.
   * @returns The lines, in order; empty only at EOF.
   * @throws As `readLine()` does.
   */
  readLines(options?: ReadOptions): Promise<Uint8Array[]> {
    if (this.#canRead(options)) {
      const lines = this.#takeLines([]);
      if (lines.length > 0) return Promise.resolve(lines);
    }
    return this.readLine(options).then((line) =>
      line.length === 0 ? [] : this.#exception === undefined ? this.#takeLines([line]) : [line],
    );
  }

  /**
   * Reads exactly `n` bytes. Not bounded by `limit`: a paused transport is resumed while waiting.
   *
   * Cancel safety: aborting `signal` rejects with `signal.reason` and consumes nothing: every buffered
   * byte stays for the next read, which may start at once. Bytes that arrived while it waited stay
   * buffered too, so a retry with the same `n` gets them.
   *
   * @example
   * ```ts
   * import { StreamReader } from "@asyncstreams/reader";
   *
   * const reader = new StreamReader();
   * reader.feedData(new Uint8Array([0, 0, 0, 5]));
   * reader.feedData(new TextEncoder().encode("hello, and more"));
   * const header = await reader.readExactly(4); // a length-prefixed frame
   * const length = new DataView(header.buffer, header.byteOffset, 4).getUint32(0);
   * console.log(new TextDecoder().decode(await reader.readExactly(length))); // "hello"
   * ```
   *
   * @param n How many bytes to read.
   * @param options `signal` aborts the read.
   * @returns Exactly `n` bytes.
   * @throws {RangeError} When `n` is negative, not an integer, or beyond `Number.MAX_SAFE_INTEGER`.
   * @throws {TypeError} When `n` is not a number (`"5"` included).
   * @throws {IncompleteReadError} When the stream ends first; `partial` holds what was buffered,
   *   which is removed from the reader.
   * @throws The stored exception (see `setException`), or `signal.reason`.
   */
  readExactly(n: number, options?: ReadOptions): Promise<Uint8Array> {
    if (n > 0 && this.#buffer.length >= n && Number.isSafeInteger(n) && this.#canRead(options)) {
      return Promise.resolve(this.#take(n));
    }
    return this.#readExactlySlow(n, options);
  }

  /**
   * Returns up to `n` of the buffered bytes without consuming them, first waiting for data when
   * nothing is buffered, as Python's `BufferedReader.peek()` does (asyncio's reader has no peek).
   * For a parser that must see what comes next before deciding, such as `TextReader` telling CR
   * from CRLF.
   *
   * Cancel safety: a peek consumes nothing, so an aborted peek loses no byte, and aborting `signal`
   * frees the reader at once: the next read may start immediately. A waiting peek that is abandoned
   * without aborting its signal (raced against a timer, say) still holds the reader's one pending wait
   * until data, EOF or `setException()` settles it: a read that has to wait meanwhile throws
   * `ReadInProgressError`.
   *
   * @param n The most bytes to return.
   * @param options `signal` aborts the wait.
   * @returns A copy of the first `n` buffered bytes (fewer when fewer are buffered); empty at EOF.
   * @throws {RangeError} When `n` is negative.
   * @throws {TypeError} When `n` is not an integer.
   * @throws The stored exception (see `setException`), or `signal.reason`.
   *
   * @example
   * ```ts
   * import { StreamReader } from "@asyncstreams/reader";
   *
   * const reader = new StreamReader();
   * reader.feedData(new TextEncoder().encode("\r\nnext"));
   * console.log(await reader.peek(1)); // Uint8Array [13]: still buffered
   * console.log(reader.bufferedLength); // 6
   * ```
   */
  async peek(n: number, options?: ReadOptions): Promise<Uint8Array> {
    if (!Number.isInteger(n)) throw new TypeError(`Cannot peek ${String(n)} bytes: n must be an integer`);
    if (n < 0) throw new RangeError(`Cannot peek ${n} bytes: n can not be less than zero`);
    const signal = this.#signalOf("Cannot peek", options);
    this.#checkReadable(signal);
    while (n > 0 && this.#buffer.length === 0 && !this.#eof) await this.#waitForData("peek", signal);
    return this.#buffer.peek(Math.min(n, this.#buffer.length));
  }

  /**
   * Reads up to and including a separator. With an array of separators, the match that ends
   * earliest wins, and on a tie the shortest separator (asyncio 3.13's tuple form). Without a
   * separator reads through `"\n"`, as asyncio's `readuntil()` does (unlike `readLine()`, the
   * stream ending first is an `IncompleteReadError`).
   *
   * Cancel safety: aborting `signal` rejects with `signal.reason` and consumes nothing: every buffered
   * byte stays for the next read, which may start at once. One exception, under the `"skip"` overflow
   * policy: the part of an over-long line discarded before the abort is gone, and the next `"skip"` read
   * goes on discarding through the end of that line (a read with another policy reads the rest as it is).
   *
   * @example
   * ```ts
   * import { StreamReader } from "@asyncstreams/reader";
   *
   * const reader = new StreamReader();
   * reader.feedData(new TextEncoder().encode("HTTP/1.1 200 OK\r\nServer: x\r\n\r\nbody"));
   * const head = await reader.readUntil(new TextEncoder().encode("\r\n\r\n"));
   * console.log(head.length, reader.bufferedLength); // 30 4
   * ```
   *
   * @param separator One separator, or an array of them; each at least one byte long. Default `"\n"`.
   * @param options `signal` aborts the read.
   * @returns The bytes up to and including the separator.
   * @throws {RangeError} When the array is empty or a separator is empty.
   * @throws {LimitOverrunError} When more than `limit` bytes precede the separator, or more than
   *   `limit` bytes were searched without finding it, and the overflow policy is `"error"`; the
   *   bytes stay buffered. See {@linkcode OverflowPolicy} for the others.
   * @throws {IncompleteReadError} When the stream ends first; `partial` holds everything buffered,
   *   which is removed from the reader.
   * @throws The stored exception (see `setException`), or `signal.reason`.
   */
  readUntil(
    separator: Uint8Array | readonly Uint8Array[] = LINE_SEPARATORS[0]!,
    options?: ReadOptions,
  ): Promise<Uint8Array> {
    if (separator instanceof Uint8Array && separator.length > 0 && this.#canRead(options)) {
      const chunk = this.#throughNow(separator);
      if (chunk !== undefined) return Promise.resolve(chunk);
    }
    return this.#readUntilChecked(separator, options);
  }

  /**
   * Iterates over lines, like `async for line in reader`: stops at EOF; the last line may lack
   * `\n`. A limit overrun or a stored exception ends the loop by throwing.
   *
   * @returns An iterator of lines.
   */
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    const done: IteratorReturnResult<undefined> = { done: true, value: undefined };
    return {
      next: () => this.readLine().then((line) => (line.length === 0 ? done : { done: false, value: line })),
    };
  }

  /**
   * Removes and returns every buffered byte at once, for a transport that upgrades in place: on
   * STARTTLS the bytes that arrived after the upgrade command belong to the TLS layer (as
   * ciphertext) and must never be returned as plaintext (gh-142352, CVE-2011-0411). A read that is
   * waiting keeps waiting for what the new transport delivers.
   *
   * @returns The bytes, owned by the caller; empty when nothing is buffered.
   *
   * @example
   * ```ts
   * import { StreamReader } from "@asyncstreams/reader";
   *
   * const reader = new StreamReader();
   * reader.feedData(new Uint8Array([...new TextEncoder().encode("220 go ahead\r\n"), 0x16, 0x03, 0x01]));
   * console.log(new TextDecoder().decode(await reader.readLine())); // "220 go ahead\r\n"
   * console.log(reader.takeBuffered()); // Uint8Array [22, 3, 1]: a TLS record, for the TLS layer
   * console.log(reader.bufferedLength); // 0
   * ```
   */
  takeBuffered(): Uint8Array {
    return this.#take(this.#buffer.length);
  }

  /**
   * Replaces the transport to pause and resume, after an in-place upgrade such as STARTTLS (asyncio
   * `main`, gh-152431: the reader must not go on pausing the old transport). A pause still in force
   * on the old transport is carried over: the new one is paused too.
   *
   * @param transport The transport now feeding this reader.
   *
   * @example
   * ```ts
   * import { StreamReader } from "@asyncstreams/reader";
   *
   * const reader = new StreamReader({ limit: 4 });
   * const log: string[] = [];
   * reader.setTransport({ pauseReading: () => log.push("tcp pause"), resumeReading: () => log.push("tcp resume") });
   * reader.feedData(new Uint8Array(9));
   * const tls = { pauseReading: () => log.push("tls pause"), resumeReading: () => log.push("tls resume") };
   * reader.replaceTransport(tls); // a pause in force carries over
   * await reader.read(9);
   * console.log(log); // ["tcp pause", "tls pause", "tls resume"]
   * ```
   */
  replaceTransport(transport: ReadingTransport): void {
    this.#pauser.replace(transport);
  }

  /**
   * A copy of the bytes buffered and not yet read: for tests and debugging.
   *
   * @returns A fresh copy.
   *
   * @example
   * ```ts
   * import { StreamReader } from "@asyncstreams/reader";
   *
   * const reader = new StreamReader();
   * reader.feedData(new Uint8Array([1, 2]));
   * reader.feedData(new Uint8Array([3]));
   * console.log(reader.bufferedBytes()); // Uint8Array [1, 2, 3]
   * console.log(reader.bufferedLength); // 3: nothing was consumed
   * ```
   */
  bufferedBytes(): Uint8Array {
    return this.#buffer.peek();
  }

  /**
   * asyncio's `repr()`: `<StreamReader 4 bytes eof limit=123 ...>`.
   *
   * @returns A short description of the reader's state.
   */
  toString(): string {
    const { length } = this.#buffer;
    return describeReader({
      length,
      eof: this.#eof,
      limit: this.#limit,
      waiting: this.#waiter.pending,
      exception: this.#exception,
      pauser: this.#pauser,
    });
  }

  /**
   * An idle `readLine()`: waits with no async frame, and takes the line inside the wake-up, so the
   * caller resumes one turn after the data came (asyncio's task resumes one loop step after it).
   */
  #waitForLine(): Promise<Uint8Array> {
    if (this.#waiter.pending) return Promise.reject(new ReadInProgressError("readLine", this.#waitingMethod));
    this.#pauser.resume();
    this.#waitingMethod = "readLine";
    return this.#waiter.waitFor(StreamReader.#lineOnWake, this);
  }

  /**
   * `#waitForLine()`'s retry, run by `feedData()` / `feedEof()`: a line within the limit, or the
   * empty line at EOF, is returned now. Nothing that differs from what asyncio's `readline()` would
   * see one step later: more bytes fed before then only extend the buffer behind the first line,
   * and the transport was paused before this runs, as asyncio pauses it before the task resumes.
   * Everything else (an overrun, a partial line at EOF) takes the general path after a turn, when
   * all bytes fed in this one are in.
   */
  static #lineOnWake(reader: StreamReader): Uint8Array | Promise<Uint8Array> | typeof WAIT_AGAIN {
    const buffer = reader.#buffer;
    if (reader.#canRead(undefined)) {
      const line = reader.#lineNow();
      if (line !== undefined) return line;
      if (reader.#eof && buffer.length === 0) return buffer.takeAll();
      if (!reader.#eof && buffer.length <= reader.#limit) {
        // No newline yet: wait on, with the transport resumed as any wait does.
        reader.#pauser.resume();
        return WAIT_AGAIN;
      }
    }
    return Promise.resolve(reader).then(readLineOf);
  }

  /** A buffered line within the limit, taken now (see `#throughNow`). */
  #lineNow(): Uint8Array | undefined {
    return this.#throughNow(NEWLINE);
  }

  /**
   * The fast path of `readLine()` and `readUntil()`: everything through `separator` (a byte, or a
   * sequence) when it is buffered and starts within the limit, taken now; otherwise `undefined`
   * and nothing consumed (the slow path then applies the overflow policy). The first chunk is tried
   * alone, with no copy, before the whole buffer.
   */
  #throughNow(separator: number | Uint8Array): Uint8Array | undefined {
    const chunk = this.#buffer.takeThrough(separator, this.#limit);
    if (chunk !== undefined) {
      this.#maybeResumeTransport();
      return chunk;
    }
    const single = typeof separator === "number";
    const index = single ? this.#buffer.indexOfByte(separator) : this.#buffer.indexOf(separator);
    return index !== -1 && index <= this.#limit ? this.#take(index + (single ? 1 : separator.length)) : undefined;
  }

  /** Whether a read may complete synchronously: no stored exception, valid options, no aborted signal. */
  #canRead(options: ReadOptions | undefined): boolean {
    return (
      this.#exception === undefined &&
      !this.#scanner.skipping &&
      (options === undefined || (readOptionsError("", options) === undefined && options.signal?.aborted !== true))
    );
  }

  /**
   * The signal of a read's options, once they are checked: the slow paths' first step.
   *
   * @throws {TypeError | RangeError} As `readOptionsError()` says.
   */
  #signalOf(action: string, options: ReadOptions | undefined): AbortSignal | undefined {
    if (options === undefined) return undefined;
    const error = readOptionsError(action, options);
    if (error !== undefined) throw error;
    return options.signal;
  }

  /** Appends every line that lies whole in the first chunk and fits the limit. */
  #takeLines(lines: Uint8Array[]): Uint8Array[] {
    for (let line; (line = this.#buffer.takeThrough(NEWLINE, this.#limit)) !== undefined; ) lines.push(line);
    this.#maybeResumeTransport();
    return lines;
  }

  /** Removes `n` bytes from the front and resumes the transport if the buffer fell low enough. */
  #take(n: number): Uint8Array {
    this.#scanner.skipping = false; // the caller now holds the bytes that followed the skipped part
    const data = this.#buffer.take(n);
    this.#maybeResumeTransport();
    return data;
  }

  #maybeResumeTransport(): void {
    this.#pauser.resumeIfLow(this.#buffer.length);
  }

  /** Throws `signal.reason` or the stored exception: the checks every read makes first. */
  #checkReadable(signal: AbortSignal | undefined): void {
    if (signal?.aborted === true) throw signal.reason;
    if (this.#exception !== undefined) throw this.#exception;
  }

  /**
   * Waits for `feedData()`, `feedEof()`, `setException()` or an abort. Resumes a paused transport
   * first: waiting while paused would deadlock (`readExactly(n > 2 × limit)` needs this).
   */
  #waitForData(method: string, signal: AbortSignal | undefined): Promise<void> {
    if (this.#waiter.pending) return Promise.reject(new ReadInProgressError(method, this.#waitingMethod));
    // setException() in the same turn as the feedData() that woke this read found no waiter to
    // reject: waiting again would hang. CPython's read(-1) raises here (its read(limit) checks the
    // exception); its readexactly(), readline() and readuntil() hang, and we raise there too.
    if (this.#exception !== undefined) return Promise.reject(this.#exception);
    // The signal may have fired between a wake-up and this loop turn, with no listener attached.
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    this.#pauser.resume();
    this.#waitingMethod = method;
    return this.#waiter.wait(signal);
  }

  async #readSlow(n: number, options: ReadOptions | undefined): Promise<Uint8Array> {
    if (!(Number.isSafeInteger(n) || n === Infinity))
      throw numberError("Cannot read", "n", n, "an integer (negative: until EOF) or Infinity");
    const signal = this.#signalOf("Cannot read", options);
    this.#checkReadable(signal);
    if (n === 0) return new Uint8Array(0);
    if (n < 0) {
      // Deliberate difference: asyncio collects limit-sized blocks and loses them on error; we keep
      // everything buffered until EOF (waiting resumes the transport, so this cannot deadlock).
      while (!this.#eof) await this.#waitForData("read", signal);
      return this.#take(this.#buffer.length);
    }
    if (this.#buffer.length === 0 && !this.#eof) await this.#waitForData("read", signal);
    return this.#take(n);
  }

  async #readExactlySlow(n: number, options: ReadOptions | undefined): Promise<Uint8Array> {
    if (n < 0 && Number.isSafeInteger(n))
      throw new RangeError(`Cannot read exactly ${n} bytes: readexactly size can not be less than zero`);
    if (!(Number.isSafeInteger(n) && n >= 0))
      throw numberError("Cannot read exactly", "n", n, "a non-negative integer");
    const signal = this.#signalOf("Cannot read exactly", options);
    this.#checkReadable(signal);
    if (n === 0) return new Uint8Array(0);
    while (this.#buffer.length < n) {
      if (this.#eof) throw new IncompleteReadError(this.#buffer.takeAll(), n);
      await this.#waitForData("readExactly", signal);
    }
    return this.#take(n);
  }

  async #readUntilChecked(
    separator: Uint8Array | readonly Uint8Array[],
    options: ReadOptions | undefined,
  ): Promise<Uint8Array> {
    const signal = this.#signalOf("Cannot read until a separator", options);
    return this.#readUntil(toSeparators(separator), signal, options?.overflow ?? this.#overflow, "readUntil");
  }

  async #readLineSlow(options: ReadOptions | undefined): Promise<Uint8Array> {
    const signal = this.#signalOf("Cannot read a line", options);
    const policy = options?.overflow ?? this.#overflow;
    try {
      return await this.#readUntil(LINE_SEPARATORS, signal, policy, "readLine");
    } catch (error) {
      // An abort reason passes through as it is, whatever its class: an aborted read consumes nothing.
      if (signal?.aborted === true && error === signal.reason) throw error;
      if (error instanceof IncompleteReadError) return error.partial;
      if (error instanceof LimitOverrunError) {
        // asyncio: drop the over-long line with its newline when it was found, else everything.
        this.#scanner.discard(
          this.#buffer.startsWith(LINE_SEPARATORS[0]!, error.consumed) ? error.consumed + 1 : this.#buffer.length,
        );
      }
      throw error;
    }
  }

  /** asyncio's `readuntil()` loop, with the overflow policy; `separators` are validated and sorted by length. */
  async #readUntil(
    separators: readonly Uint8Array[],
    signal: AbortSignal | undefined,
    overflow: OverflowPolicy,
    method: string,
  ): Promise<Uint8Array> {
    this.#checkReadable(signal);
    const scanner = this.#scanner;
    // A read refused for another one waiting must change nothing, and a "skip" scan discards as it
    // goes, with state that belongs to the waiting read: refused before it scans.
    if (this.#waiter.pending && (overflow === "skip" || scanner.skipping))
      throw new ReadInProgressError(method, this.#waitingMethod);
    scanner.start(overflow);
    for (let from = 0; ; ) {
      const scanned = scanner.scan(separators, overflow, this.#received, from);
      if (scanned > 0) return this.#take(scanned);
      from = -1 - scanned;
      // EOF is checked after the scan: the last chunk may have completed a separator.
      if (this.#eof) {
        scanner.end();
        throw new IncompleteReadError(this.#buffer.takeAll(), null);
      }
      await this.#waitForData(method, signal);
    }
  }
}

/** `reader.readLine()`, as a shared function for a promise's `then`. */
function readLineOf(reader: StreamReader): Promise<Uint8Array> {
  return reader.readLine();
}

/** The reader that keepShapes() runs and keeps: `limit` 4, the shape it was tuned for. */
function makeShapeKeeper(): StreamReader {
  return new StreamReader({ limit: 4 });
}
