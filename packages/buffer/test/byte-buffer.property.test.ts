import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { ByteBuffer } from "@asyncstreams/buffer";
import { bytes, text } from "@asyncstreams/test-utils";
import {
  CR,
  CRLF,
  LF,
  byteArbitrary,
  code,
  expectNoSharedBytes,
  naiveFindFirst,
  naiveIndexOf,
  naiveStartsWith,
  separatorArbitrary,
  separatorsArbitrary,
} from "./_byte-buffer-helpers.js";

// ---------------------------------------------------------------------------------------------
// Property test: random operation sequences against a model that remembers, for every byte,
// which appended chunk it came from, so that views, copies and identity can be checked too.

type Operation =
  | { kind: "append"; values: number[]; padBefore: number; padAfter: number }
  | { kind: "take"; n: unknown }
  | { kind: "takeAll" }
  | { kind: "discard"; n: unknown }
  | { kind: "peek"; n: unknown }
  | { kind: "clear" }
  | { kind: "indexOfByte"; value: unknown; from: unknown }
  | { kind: "indexOf"; separator: number[]; from: unknown }
  | { kind: "findFirst"; separators: number[][]; from: unknown }
  | { kind: "startsWith"; separator: number[]; position: unknown };

/**
 * Counts and positions no method accepts: non-integers, `NaN`, negatives, huge or infinite values
 * (`Infinity` is accepted where it means "everything"), and values of the wrong type.
 */
const badNumberArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  fc.double({ noInteger: true, noDefaultInfinity: true, noNaN: true }),
  fc.constantFrom(Number.NaN, -Infinity, -1, -0.5, 2 ** 53, 1e300, Number.MAX_VALUE),
  fc.integer({ min: -1000, max: -1 }),
  fc.constantFrom("5", "", null, true, 5n, {}, [1]),
);

/** `n` for take(), peek() and discard(): a valid count (maybe Infinity) or, now and then, a bad one. */
function countOrBad(max: number): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 0, max }) },
    { weight: 1, arbitrary: fc.constant(Infinity) },
    { weight: 2, arbitrary: badNumberArbitrary },
  );
}

/** A search start: a valid position or, now and then, a bad one (`Infinity` included). */
function positionOrBad(max: number): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 0, max }) },
    { weight: 2, arbitrary: fc.oneof(badNumberArbitrary, fc.constant(Infinity)) },
  );
}

/** Whether `value` is a count a method takes: a non-negative safe integer, or Infinity where allowed. */
function isCount(value: unknown, infinity: boolean): value is number {
  return (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) || (infinity && value === Infinity);
}

/** The error a bad argument gets: a TypeError for a non-number, else a RangeError. */
function errorFor(value: unknown): typeof TypeError | typeof RangeError {
  return typeof value === "number" ? RangeError : TypeError;
}

interface ModelByte {
  value: number;
  chunk: Uint8Array;
  offset: number;
}

/** Operations whose counts and positions reach up to about `reach`. */
function operationArbitrary(reach: number): fc.Arbitrary<Operation> {
  const countArbitrary = countOrBad(reach);
  const fromArbitrary = positionOrBad(2 * reach);
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant("append" as const),
        values: fc.array(byteArbitrary, { maxLength: 7 }),
        padBefore: fc.nat({ max: 2 }),
        padAfter: fc.nat({ max: 2 }),
      }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("take" as const), n: countArbitrary }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("takeAll" as const) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("discard" as const), n: countArbitrary }) },
    {
      weight: 2,
      arbitrary: fc.record({ kind: fc.constant("peek" as const), n: fc.option(countArbitrary, { nil: undefined }) }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("clear" as const) }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("indexOfByte" as const),
        value: fc.oneof(
          { weight: 9, arbitrary: fc.constantFrom(97, 98, 99, LF) },
          { weight: 1, arbitrary: fc.constantFrom(256, -1, 1.5, Number.NaN, "a") },
        ),
        from: fromArbitrary,
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant("indexOf" as const),
        separator: separatorArbitrary,
        from: fromArbitrary,
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant("findFirst" as const),
        separators: separatorsArbitrary,
        from: fromArbitrary,
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("startsWith" as const),
        separator: fc.array(byteArbitrary, { maxLength: 4 }),
        position: positionOrBad(2 * reach),
      }),
    },
  );
}

/** Hundreds of one- and two-byte chunks, enough for the buffer to compact its chunk list. */
const manyChunksArbitrary: fc.Arbitrary<Operation[]> = fc
  .array(fc.array(byteArbitrary, { minLength: 1, maxLength: 2 }), { minLength: 64, maxLength: 300 })
  .map((chunks) => chunks.map((values) => ({ kind: "append" as const, values, padBefore: 0, padAfter: 1 })));

function clampCount(n: number, length: number): number {
  return Math.min(n, length);
}

/** Calls a method with a bad argument: it must throw the right error and change nothing. */
function expectRefused(call: () => unknown, value: unknown): void {
  expect(call).toThrow(errorFor(value));
}

function runOperations(operations: readonly Operation[]): void {
  const buffer = new ByteBuffer();
  let model: ModelByte[] = [];
  const appendedMemory = new Set<ArrayBufferLike>();
  const taken: { result: Uint8Array; values: number[] }[] = [];
  const values = (): number[] => model.map((entry) => entry.value);

  const checkTaken = (result: Uint8Array, entries: readonly ModelByte[]): void => {
    expect(Array.from(result)).toEqual(entries.map((entry) => entry.value));
    taken.push({ result, values: Array.from(result) });
    const first = entries[0];
    if (first === undefined) return;
    if (entries.every((entry) => entry.chunk === first.chunk)) {
      // Inside one chunk: a view of it, or the chunk itself when all of it is taken.
      expect(result.buffer).toBe(first.chunk.buffer);
      expect(result.byteOffset).toBe(first.chunk.byteOffset + first.offset);
      if (entries.length === first.chunk.length) expect(result).toBe(first.chunk);
    } else {
      expect(appendedMemory.has(result.buffer)).toBe(false);
    }
  };

  for (const operation of operations) {
    switch (operation.kind) {
      case "append": {
        // Padding around the chunk holds a byte the model never uses: reading it would show.
        const backing = new Uint8Array(operation.padBefore + operation.values.length + operation.padAfter).fill(0xee);
        backing.set(operation.values, operation.padBefore);
        const chunk = backing.subarray(operation.padBefore, operation.padBefore + operation.values.length);
        buffer.append(chunk);
        appendedMemory.add(chunk.buffer);
        operation.values.forEach((value, offset) => model.push({ value, chunk, offset }));
        break;
      }
      case "take":
        if (!isCount(operation.n, true)) expectRefused(() => buffer.take(operation.n as number), operation.n);
        else checkTaken(buffer.take(operation.n), model.splice(0, clampCount(operation.n, model.length)));
        break;
      case "takeAll":
        checkTaken(buffer.takeAll(), model.splice(0, model.length));
        break;
      case "discard":
        if (!isCount(operation.n, true)) {
          expectRefused(() => buffer.discard(operation.n as number), operation.n);
          break;
        }
        buffer.discard(operation.n);
        model.splice(0, clampCount(operation.n, model.length));
        break;
      case "peek": {
        if (operation.n !== undefined && !isCount(operation.n, true)) {
          expectRefused(() => buffer.peek(operation.n as number), operation.n);
          break;
        }
        const peeked = operation.n === undefined ? buffer.peek() : buffer.peek(operation.n);
        expect(Array.from(peeked)).toEqual(values().slice(0, clampCount(operation.n ?? model.length, model.length)));
        expect(appendedMemory.has(peeked.buffer)).toBe(false);
        break;
      }
      case "clear":
        buffer.clear();
        model = [];
        break;
      case "indexOfByte":
        if (
          !(
            typeof operation.value === "number" &&
            Number.isInteger(operation.value) &&
            operation.value >= 0 &&
            operation.value <= 255
          )
        ) {
          expectRefused(() => buffer.indexOfByte(operation.value as number, 0), operation.value);
          break;
        }
        if (!isCount(operation.from, false)) {
          expectRefused(() => buffer.indexOfByte(operation.value as number, operation.from as number), operation.from);
          break;
        }
        expect(buffer.indexOfByte(operation.value, operation.from)).toBe(
          naiveIndexOf(values(), [operation.value], operation.from),
        );
        break;
      case "indexOf":
        if (!isCount(operation.from, false)) {
          expectRefused(
            () => buffer.indexOf(Uint8Array.from(operation.separator), operation.from as number),
            operation.from,
          );
          break;
        }
        expect(buffer.indexOf(Uint8Array.from(operation.separator), operation.from)).toBe(
          naiveIndexOf(values(), operation.separator, operation.from),
        );
        break;
      case "findFirst": {
        const separators = operation.separators.map((separator) => Uint8Array.from(separator));
        if (!isCount(operation.from, false)) {
          expectRefused(() => buffer.findFirst(separators, operation.from as number), operation.from);
          break;
        }
        expect(buffer.findFirst(separators, operation.from)).toEqual(
          naiveFindFirst(values(), separators, operation.from),
        );
        break;
      }
      case "startsWith":
        if (!isCount(operation.position, false)) {
          expectRefused(
            () => buffer.startsWith(Uint8Array.from(operation.separator), operation.position as number),
            operation.position,
          );
          break;
        }
        expect(buffer.startsWith(Uint8Array.from(operation.separator), operation.position)).toBe(
          naiveStartsWith(values(), operation.separator, operation.position),
        );
        break;
    }
    expect(buffer.length).toBe(model.length);
  }
  expect(Array.from(buffer.peek())).toEqual(values());
  // Every result still holds what it held when it was taken, and no two share memory.
  for (const { result, values: expected } of taken) expect(Array.from(result)).toEqual(expected);
  expectNoSharedBytes(taken.map(({ result }) => result));
}

describe("ByteBuffer properties", () => {
  it("random sequences of operations give the answers of a plain array model", () => {
    fc.assert(
      fc.property(fc.array(operationArbitrary(12), { maxLength: 60 }), (operations) => {
        runOperations(operations);
      }),
      { numRuns: fc.readConfigureGlobal().numRuns ?? 500 },
    );
  });

  it("random operations on hundreds of small chunks give the answers of a plain array model", () => {
    fc.assert(
      fc.property(manyChunksArbitrary, fc.array(operationArbitrary(150), { maxLength: 40 }), (prefix, operations) => {
        runOperations([...prefix, ...operations]);
      }),
      { numRuns: fc.readConfigureGlobal().numRuns ?? 200 },
    );
  });

  it("the bytes taken out are the bytes appended, in order, for any chunking and take sizes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 9 }), { maxLength: 30 }),
        fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 30 }),
        (chunks, sizes) => {
          const buffer = new ByteBuffer();
          for (const chunk of chunks) buffer.append(chunk);
          const out: number[] = [];
          for (const size of sizes) out.push(...buffer.take(size));
          out.push(...buffer.takeAll());
          expect(out).toEqual(chunks.flatMap((chunk) => Array.from(chunk)));
          expect(buffer.length).toBe(0);
        },
      ),
      { numRuns: fc.readConfigureGlobal().numRuns ?? 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Linearity guards. Nothing here is timed (speed is measured in bench/): the chunks count the
// bytes that their own indexOf() scans and how often their length is read, and the tests bound
// those counts, which a search that re-walks the buffer from the front would exceed.

const meter = { scanned: 0, searches: 0, lengthReads: 0 };

const typedArrayLength = Object.getOwnPropertyDescriptor(
  Object.getPrototypeOf(Uint8Array.prototype) as object,
  "length",
)!.get!;

class MeteredChunk extends Uint8Array {
  override indexOf(searchElement: number, fromIndex = 0): number {
    const length = typedArrayLength.call(this) as number;
    const found = super.indexOf(searchElement, fromIndex);
    const from = fromIndex < 0 ? Math.max(0, length + fromIndex) : Math.min(fromIndex, length);
    meter.scanned += (found === -1 ? length : found + 1) - from;
    meter.searches++;
    return found;
  }
}

Object.defineProperty(MeteredChunk.prototype, "length", {
  get(this: Uint8Array): number {
    meter.lengthReads++;
    return typedArrayLength.call(this) as number;
  },
});

function resetMeter(): void {
  meter.scanned = 0;
  meter.searches = 0;
  meter.lengthReads = 0;
}

describe("ByteBuffer linearity", () => {
  it("resumed indexOfByte() searches scan a 16 MiB line fed in 64 KiB chunks about once", () => {
    const chunkSize = 64 * 1024;
    const chunkCount = 256;
    const total = chunkSize * chunkCount;
    const buffer = new ByteBuffer();
    const results: number[] = [];
    let scanned = 0;
    let resume = 0;
    for (let i = 0; i < chunkCount; i++) {
      const chunk = new MeteredChunk(chunkSize).fill(code("x"));
      if (i === chunkCount - 1) chunk[chunkSize - 1] = LF;
      buffer.append(chunk);
      resetMeter();
      results.push(buffer.indexOfByte(LF, resume));
      scanned += meter.scanned;
      // Each search scans the new chunk only; one that started at the front would scan it all.
      if (meter.scanned > chunkSize) expect(meter.scanned, `search after chunk ${i}`).toBeLessThanOrEqual(chunkSize);
      resume = buffer.length;
    }
    expect(results.slice(0, -1).every((result) => result === -1)).toBe(true);
    expect(results[results.length - 1]).toBe(total - 1);
    // The meter counts what the chunks' own indexOf() scans: it must have seen every byte once.
    expect(scanned).toBe(total);
    const line = buffer.take(total);
    expect(line.length).toBe(total);
    expect(line[0]).toBe(code("x"));
    expect(line[total - 2]).toBe(code("x"));
    expect(line[total - 1]).toBe(LF);
    expect(buffer.length).toBe(0);
  });

  it("resumed indexOf() searches through 1 MiB of lone CRs look at each new byte about once", () => {
    const chunkSize = 1024;
    const chunkCount = 1024;
    const total = chunkSize * chunkCount;
    const buffer = new ByteBuffer();
    let resume = 0;
    let found = -1;
    let scanned = 0;
    for (let i = 0; i < chunkCount && found === -1; i++) {
      // Every byte is a candidate for CRLF; the LF arrives only at the start of the last chunk.
      const chunk = new MeteredChunk(chunkSize).fill(CR);
      if (i === chunkCount - 1) chunk[0] = LF;
      buffer.append(chunk);
      resetMeter();
      found = buffer.indexOf(CRLF, resume);
      scanned += meter.scanned;
      const work = meter.scanned + meter.searches;
      if (work > 4 * chunkSize + 8) expect(work, `search after chunk ${i}`).toBeLessThanOrEqual(4 * chunkSize + 8);
      resume = Math.max(0, buffer.length + 1 - CRLF.length);
    }
    expect(found).toBe(total - chunkSize - 1);
    expect(buffer.length).toBe(total);
    expect(scanned).toBeLessThanOrEqual(2 * total);
    expect(scanned).toBeGreaterThan(total - chunkSize); // the meter saw the searches
    expect(buffer.take(found + 2).subarray(-3)).toEqual(Uint8Array.of(CR, CR, LF));
    expect(buffer.length).toBe(chunkSize - 1);
  });

  it("each resumed search in a 20,000-byte line of one-byte chunks touches a bounded number of chunks", () => {
    const pattern = bytes("ab\r");
    const size = 20_000;
    const buffer = new ByteBuffer();
    let resume = 0;
    let found = -1;
    let worstStep = 0;
    for (let i = 0; i < size; i++) {
      const chunk = new MeteredChunk(1);
      chunk[0] = i === size - 1 ? LF : i === size - 2 ? CR : pattern[i % pattern.length]!;
      buffer.append(chunk);
      resetMeter();
      found = buffer.indexOf(CRLF, resume);
      const work = meter.lengthReads + meter.searches;
      worstStep = Math.max(worstStep, work);
      // Fail at the first step that walks the chunk list, not after 20,000 of them.
      if (work > 64) expect(work, `search after chunk ${i}`).toBeLessThanOrEqual(64);
      if (found !== -1) break;
      resume = Math.max(0, buffer.length + 1 - CRLF.length);
    }
    expect(found).toBe(size - 2);
    expect(worstStep).toBeGreaterThan(0);
    // Taking the whole line copies across 20,000 chunks and compacts the chunk list on the way.
    const taken = buffer.take(found + CRLF.length);
    expect(taken.length).toBe(size);
    expect(text(taken.subarray(0, 6))).toBe("ab\rab\r");
    expect(buffer.length).toBe(0);
  });
});
