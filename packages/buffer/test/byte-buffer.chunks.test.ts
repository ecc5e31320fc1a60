import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { ByteBuffer } from "@asyncstreams/buffer";
import type { SeparatorMatch } from "@asyncstreams/buffer";
import { bytes, text } from "@asyncstreams/test-utils";
import { CRLF, LF, naiveFindFirst, naiveIndexOf, naiveStartsWith, streamArbitrary } from "./_byte-buffer-helpers.js";

describe("ByteBuffer with many chunks", () => {
  // Before the fix in #copyFront() (now take()'s #drop()) this take() never returned: compacting the
  // chunk list renumbered the head under the loop that dropped the consumed chunks.
  it("take() across chunks keeps the rest intact when the chunk list is compacted mid-take", () => {
    const buffer = new ByteBuffer();
    for (let i = 0; i < 128; i++) buffer.append(Uint8Array.of(i));
    expect(Array.from(buffer.take(66))).toEqual(Array.from({ length: 66 }, (_, i) => i));
    expect(buffer.length).toBe(62);
    expect(buffer.indexOfByte(100)).toBe(34);
    expect(Array.from(buffer.takeAll())).toEqual(Array.from({ length: 62 }, (_, i) => 66 + i));
  });

  // Every empty buffer shares one chunk list that append() must replace, never fill: were it
  // written, one buffer's bytes would appear in another's, and a fresh buffer would not be empty.
  it("buffers emptied in every way and refilled keep their own bytes (the shared empty list stays empty)", () => {
    const buffers = [new ByteBuffer(), new ByteBuffer(), new ByteBuffer(), new ByteBuffer()];
    for (let round = 0; round < 3; round++) {
      for (const [i, buffer] of buffers.entries()) buffer.append(Uint8Array.of(i, round, 10));
      buffers[0]!.takeAll(); // drops the only chunk
      buffers[1]!.clear();
      buffers[2]!.take(3); // exactly the chunk
      expect(buffers[2]!.length).toBe(0);
      buffers[2]!.append(Uint8Array.of(2, round, 10));
      expect(buffers.map((buffer) => buffer.length)).toEqual([0, 0, 3, 3 * (round + 1)]);
      expect(new ByteBuffer().length).toBe(0);
      expect(new ByteBuffer().indexOfByte(10)).toBe(-1);
      expect(Array.from(buffers[2]!.takeAll())).toEqual([2, round, 10]);
    }
    expect(Array.from(buffers[3]!.takeAll())).toEqual([3, 0, 10, 3, 1, 10, 3, 2, 10]);
  });

  it("reading lines from thousands of one-byte chunks returns every line in order", () => {
    const buffer = new ByteBuffer();
    const stream = bytes("ab\nc\r\n\ndef\n".repeat(300));
    for (const value of stream) buffer.append(Uint8Array.of(value));
    const lines: string[] = [];
    for (;;) {
      const end = buffer.indexOfByte(LF);
      if (end === -1) break;
      lines.push(text(buffer.take(end + 1)));
    }
    expect(buffer.length).toBe(0);
    expect(lines).toEqual(Array.from({ length: 300 }, () => ["ab\n", "c\r\n", "\n", "def\n"]).flat());
  });

  it("take() one chunk at a time through thousands of chunks returns the chunks themselves", () => {
    const buffer = new ByteBuffer();
    const chunks = Array.from({ length: 3000 }, (_, i) => Uint8Array.of(i % 251, (i + 1) % 251));
    for (const chunk of chunks) buffer.append(chunk);
    for (let i = 0; i < chunks.length; i++) {
      // Now and then, search from position 2 (the next chunk) for the next chunk's first byte.
      if (i % 97 === 0 && i + 1 < chunks.length) expect(buffer.indexOfByte(chunks[i + 1]![0]!, 2)).toBe(2);
      expect(buffer.take(2)).toBe(chunks[i]);
    }
    expect(buffer.length).toBe(0);
  });

  it("discard() across thousands of chunks lands on the right byte", () => {
    const buffer = new ByteBuffer();
    for (let i = 0; i < 5000; i++) buffer.append(Uint8Array.of(i % 256));
    buffer.discard(4000);
    expect(buffer.length).toBe(1000);
    expect(buffer.peek(2)).toEqual(Uint8Array.of(4000 % 256, 4001 % 256));
    buffer.discard(999);
    expect(buffer.takeAll()).toEqual(Uint8Array.of(4999 % 256));
  });
});

// ---------------------------------------------------------------------------------------------
// Chunk-boundary sweep: every answer must be the same however the input was split into chunks.

interface SweepCase {
  name: string;
  input: string;
  separators: string[];
}

const sweepCases: SweepCase[] = [
  { name: "an HTTP head", input: "GET /\r\nA: b\r\n\r\nxy", separators: ["\r\n\r\n", "\r\n"] },
  { name: "the asyncio example", input: "ABCDEFG", separators: ["DEF", "BCDE"] },
  { name: "self-overlapping separators", input: "aaabaabab", separators: ["aab", "abab", "b"] },
  { name: "a separator with a repeated prefix", input: "abababcabc", separators: ["ababc", "abc"] },
  { name: "lines with lone CRs", input: "a\rb\r\r\nc\n", separators: ["\n", "\r\n"] },
];

/** Every way to cut `input` into two chunks, three chunks (short inputs), and single bytes. */
function splitsOf(input: Uint8Array): Uint8Array[][] {
  // slice(): each chunk gets its own memory, so reading past a chunk's end cannot go unnoticed.
  const splits: Uint8Array[][] = [];
  for (let i = 0; i <= input.length; i++) splits.push([input.slice(0, i), input.slice(i)]);
  for (let i = 1; i < input.length; i++) {
    for (let j = i + 1; j < input.length; j++) splits.push([input.slice(0, i), input.slice(i, j), input.slice(j)]);
  }
  splits.push(Array.from(input, (value) => Uint8Array.of(value)));
  return splits;
}

interface Answers {
  indexOf: number[][];
  indexOfByte: number[][];
  findFirst: (SeparatorMatch | undefined)[];
  startsWith: boolean[][];
  records: string[];
  pieces: string[];
}

/** The positions to query: forwards, then backwards so that searches also move back. */
function queryOrder(length: number): number[] {
  const forwards = Array.from({ length: length + 2 }, (_, i) => i);
  return [...forwards, ...[...forwards].reverse()];
}

function bufferAnswers(chunks: readonly Uint8Array[], separators: readonly Uint8Array[]): Answers {
  const fill = (): ByteBuffer => {
    const buffer = new ByteBuffer();
    for (const chunk of chunks) buffer.append(chunk);
    return buffer;
  };
  const buffer = fill();
  const order = queryOrder(buffer.length);
  const distinct = [...new Set(chunks.flatMap((chunk) => Array.from(chunk)))];
  const answers: Answers = {
    indexOf: separators.map((separator) => order.map((from) => buffer.indexOf(separator, from))),
    indexOfByte: distinct.map((value) => order.map((from) => buffer.indexOfByte(value, from))),
    findFirst: order.map((from) => buffer.findFirst(separators, from)),
    startsWith: separators.map((separator) => order.map((position) => buffer.startsWith(separator, position))),
    records: [],
    pieces: [],
  };
  // Read records as a stream reader would: up to the earliest-ending separator, then the rest.
  for (let match = buffer.findFirst(separators); match; match = buffer.findFirst(separators)) {
    answers.records.push(text(buffer.take(match.end)));
  }
  answers.records.push(text(buffer.takeAll()));
  for (let size = 1; size <= 4; size++) {
    const sized = fill();
    const pieces: string[] = [];
    while (sized.length > 0) pieces.push(text(sized.take(size)));
    answers.pieces.push(pieces.join("|"));
  }
  return answers;
}

function modelAnswers(input: Uint8Array, separators: readonly Uint8Array[]): Answers {
  const order = queryOrder(input.length);
  const distinct = [...new Set(input)];
  const records: string[] = [];
  let rest = input;
  for (let match = naiveFindFirst(rest, separators); match; match = naiveFindFirst(rest, separators)) {
    records.push(text(rest.slice(0, match.end)));
    rest = rest.slice(match.end);
  }
  records.push(text(rest));
  const pieces: string[] = [];
  for (let size = 1; size <= 4; size++) {
    const cut: string[] = [];
    for (let i = 0; i < input.length; i += size) cut.push(text(input.slice(i, i + size)));
    pieces.push(cut.join("|"));
  }
  return {
    indexOf: separators.map((separator) => order.map((from) => naiveIndexOf(input, separator, from))),
    indexOfByte: distinct.map((value) => order.map((from) => naiveIndexOf(input, [value], from))),
    findFirst: order.map((from) => naiveFindFirst(input, separators, from)),
    startsWith: separators.map((separator) => order.map((position) => naiveStartsWith(input, separator, position))),
    records,
    pieces,
  };
}

describe("ByteBuffer chunk-boundary sweep", () => {
  it.each(sweepCases)("an unsplit buffer holding $name answers like the naive model", ({ input, separators }) => {
    const data = bytes(input);
    const encoded = separators.map(bytes);
    expect(bufferAnswers([data], encoded)).toEqual(modelAnswers(data, encoded));
  });

  it.each(sweepCases)("every split of $name gives the answers of the unsplit input", ({ input, separators }) => {
    const data = bytes(input);
    const encoded = separators.map(bytes);
    const reference = bufferAnswers([data], encoded);
    for (const chunks of splitsOf(data)) {
      const label = JSON.stringify(chunks.map(text));
      expect(bufferAnswers(chunks, encoded), label).toEqual(reference);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Resumable search, as StreamReader.readuntil() does it: search, and when nothing is found, wait
// for more bytes and search again from the first position where a match could still start.

describe("ByteBuffer resumable search", () => {
  it("a resumed indexOf() finds a CRLF that arrives one byte at a time", () => {
    const buffer = new ByteBuffer();
    const lines: string[] = [];
    let resume = 0;
    for (const value of bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n")) {
      buffer.append(Uint8Array.of(value));
      const end = buffer.indexOf(CRLF, resume);
      if (end === -1) {
        resume = Math.max(0, buffer.length + 1 - CRLF.length);
        continue;
      }
      lines.push(text(buffer.take(end + CRLF.length)));
      resume = 0;
    }
    expect(lines).toEqual(["GET / HTTP/1.1\r\n", "Host: a\r\n", "\r\n"]);
  });

  it("indexOf() resumed after appends, with takes from the front in between, matches a naive search", () => {
    fc.assert(
      fc.property(streamArbitrary, ({ separators, steps }) => {
        const separator = Uint8Array.from(separators[0]!);
        const buffer = new ByteBuffer();
        const model: number[] = [];
        let resume = 0;
        for (const step of steps) {
          expect(Array.from(buffer.take(step.take))).toEqual(model.splice(0, step.take));
          resume = Math.max(0, resume - step.take);
          buffer.append(Uint8Array.from(step.chunk));
          model.push(...step.chunk);
          for (;;) {
            const found = buffer.indexOf(separator, resume);
            expect(found).toBe(naiveIndexOf(model, separator, resume));
            // Resuming never skips a match: the answer is the same as a search from the front.
            expect(found).toBe(naiveIndexOf(model, separator));
            if (found === -1) break;
            const end = found + separator.length;
            expect(Array.from(buffer.take(end))).toEqual(model.splice(0, end));
            resume = 0;
          }
          resume = Math.max(0, buffer.length + 1 - separator.length);
        }
      }),
      { numRuns: fc.readConfigureGlobal().numRuns ?? 300 },
    );
  });

  it("findFirst() resumed after appends, with takes from the front in between, matches a naive search", () => {
    fc.assert(
      fc.property(streamArbitrary, ({ separators, steps }) => {
        const encoded = separators.map((separator) => Uint8Array.from(separator));
        const longest = encoded[encoded.length - 1]!.length;
        const buffer = new ByteBuffer();
        const model: number[] = [];
        let resume = 0;
        for (const step of steps) {
          expect(Array.from(buffer.take(step.take))).toEqual(model.splice(0, step.take));
          resume = Math.max(0, resume - step.take);
          buffer.append(Uint8Array.from(step.chunk));
          model.push(...step.chunk);
          for (;;) {
            const match = buffer.findFirst(encoded, resume);
            expect(match).toEqual(naiveFindFirst(model, encoded, resume));
            expect(match).toEqual(naiveFindFirst(model, encoded));
            if (match === undefined) break;
            expect(Array.from(buffer.take(match.end))).toEqual(model.splice(0, match.end));
            resume = 0;
          }
          resume = Math.max(0, buffer.length + 1 - longest);
        }
      }),
      { numRuns: fc.readConfigureGlobal().numRuns ?? 300 },
    );
  });
});
