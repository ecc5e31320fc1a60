/**
 * A direct, deliberately naive model of asyncio's StreamReader (asyncio-streams.md §8.3–8.6) over
 * a `number[]`, for comparing the real reader against. A read is a step function: it runs once when
 * started and once after every wake-up (each `feed` or `feedEof` while it waits), and returns an
 * outcome or `undefined` to keep waiting, exactly as the coroutine's loop would.
 */
import { IncompleteReadError, LimitOverrunError, type StreamReader } from "@asyncstreams/reader";

export const NOT_FOUND = "Separator is not found, and chunk exceed the limit";
export const FOUND_TOO_LONG = "Separator is found, but chunk is longer than limit";

export type ModelOp =
  | { readonly kind: "read"; readonly n: number }
  | { readonly kind: "readLine" }
  | { readonly kind: "readExactly"; readonly n: number }
  /** `separator` is one separator (a `Uint8Array` for the real reader) or, when `multi`, several. */
  | { readonly kind: "readUntil"; readonly separators: readonly (readonly number[])[]; readonly multi: boolean };

export type Outcome =
  | { readonly ok: true; readonly value: readonly number[] }
  | { readonly ok: false; readonly error: "LimitOverrunError"; readonly message: string; readonly consumed: number }
  | {
      readonly ok: false;
      readonly error: "IncompleteReadError";
      readonly partial: readonly number[];
      readonly expected: number | null;
    }
  | { readonly ok: false; readonly error: "other"; readonly reason: unknown };

export type Step = () => Outcome | undefined;

export class ReaderModel {
  buffer: number[] = [];
  eof = false;
  /** Bytes readLine() dropped after a limit overrun, in order, one entry per drop. */
  readonly discarded: number[][] = [];

  constructor(readonly limit: number) {}

  feed(chunk: readonly number[]): void {
    this.buffer.push(...chunk);
  }

  feedEof(): void {
    this.eof = true;
  }

  start(op: ModelOp): Step {
    switch (op.kind) {
      case "read":
        return () => this.#read(op.n);
      case "readExactly":
        return () => this.#readExactly(op.n);
      case "readUntil":
        return this.#readUntil(op.separators);
      case "readLine":
        return this.#readLine();
    }
  }

  #take(n: number): number[] {
    return this.buffer.splice(0, n);
  }

  #read(n: number): Outcome | undefined {
    if (n === 0) return { ok: true, value: [] };
    // The port keeps read(-1)'s bytes buffered until EOF (asyncio reads limit-sized blocks; the
    // result is the same).
    if (n < 0) return this.eof ? { ok: true, value: this.#take(this.buffer.length) } : undefined;
    if (this.buffer.length === 0 && !this.eof) return undefined;
    return { ok: true, value: this.#take(n) };
  }

  #readExactly(n: number): Outcome | undefined {
    if (n === 0) return { ok: true, value: [] };
    if (this.buffer.length >= n) return { ok: true, value: this.#take(n) };
    if (this.eof)
      return { ok: false, error: "IncompleteReadError", partial: this.#take(this.buffer.length), expected: n };
    return undefined;
  }

  /** §8.5, line by line. */
  #readUntil(unsorted: readonly (readonly number[])[]): Step {
    const separators = [...unsorted].sort((a, b) => a.length - b.length);
    const minSeplen = separators[0]!.length;
    const maxSeplen = separators[separators.length - 1]!.length;
    let offset = 0;
    return () => {
      const buflen = this.buffer.length;
      if (buflen - offset >= minSeplen) {
        let matchStart: number | undefined;
        let matchEnd: number | undefined;
        for (const separator of separators) {
          const isep = find(this.buffer, separator, offset);
          if (isep !== -1) {
            const end = isep + separator.length;
            if (matchEnd === undefined || end < matchEnd) {
              matchEnd = end;
              matchStart = isep;
            }
          }
        }
        if (matchEnd !== undefined) {
          if (matchStart! > this.limit)
            return { ok: false, error: "LimitOverrunError", message: FOUND_TOO_LONG, consumed: matchStart! };
          return { ok: true, value: this.#take(matchEnd) };
        }
        offset = Math.max(0, buflen + 1 - maxSeplen);
        if (offset > this.limit) return { ok: false, error: "LimitOverrunError", message: NOT_FOUND, consumed: offset };
      }
      if (this.eof)
        return { ok: false, error: "IncompleteReadError", partial: this.#take(this.buffer.length), expected: null };
      return undefined;
    };
  }

  /** §8.6: readuntil(b'\n'), EOF returns the partial line, a limit overrun drops what asyncio drops. */
  #readLine(): Step {
    const until = this.#readUntil([[0x0a]]);
    return () => {
      const outcome = until();
      if (outcome === undefined || outcome.ok) return outcome;
      if (outcome.error === "IncompleteReadError") return { ok: true, value: outcome.partial };
      if (outcome.error === "LimitOverrunError") {
        const found = this.buffer[outcome.consumed] === 0x0a;
        this.discarded.push(this.#take(found ? outcome.consumed + 1 : this.buffer.length));
      }
      return outcome;
    };
  }
}

/** `bytearray.find(sub, start)`. */
export function find(haystack: readonly number[], needle: readonly number[], start: number): number {
  outer: for (let i = Math.max(0, start); i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** Starts the same read on the real reader. */
export function startReal(reader: StreamReader, op: ModelOp, signal?: AbortSignal): Promise<Uint8Array> {
  const options = { signal };
  switch (op.kind) {
    case "read":
      return reader.read(op.n, options);
    case "readExactly":
      return reader.readExactly(op.n, options);
    case "readLine":
      return reader.readLine(options);
    case "readUntil": {
      const separators = op.separators.map((separator) => new Uint8Array(separator));
      return reader.readUntil(op.multi ? separators : separators[0]!, options);
    }
  }
}

/** asyncio's words at the front of an overrun message, without the limit and advice this port adds. */
export function asyncioMessage(message: string): string {
  const end = message.indexOf(" (limit ");
  return end === -1 ? message : message.slice(0, end);
}

/** Converts what a real read settled with to an {@linkcode Outcome}, for `toEqual`. */
export function toOutcome(settled: { rejected: boolean; value: Uint8Array | undefined; error: unknown }): Outcome {
  if (!settled.rejected) return { ok: true, value: Array.from(settled.value!) };
  const error = settled.error;
  if (error instanceof LimitOverrunError)
    return { ok: false, error: "LimitOverrunError", message: asyncioMessage(error.message), consumed: error.consumed };
  if (error instanceof IncompleteReadError) {
    return { ok: false, error: "IncompleteReadError", partial: Array.from(error.partial), expected: error.expected };
  }
  return { ok: false, error: "other", reason: error };
}

/** A short description of an op, for failure messages. */
export function describeOp(op: ModelOp): string {
  switch (op.kind) {
    case "read":
    case "readExactly":
      return `${op.kind}(${op.n})`;
    case "readLine":
      return "readLine()";
    case "readUntil": {
      const shown = op.separators.map((separator) => JSON.stringify(String.fromCharCode(...separator)));
      return `readUntil(${op.multi ? `[${shown.join(", ")}]` : shown[0]!})`;
    }
  }
}
