import type { Transport } from "../transport.js";
import { describeDifference, random, randomBytes, randomChunks, sameBytes, splitAt } from "./_bytes.js";
import { always, type CaseDefinition } from "./_case.js";
import type { CaseContext } from "./_context.js";
import type { Recorder } from "./_recorder.js";

const SMALL = 24;
const LARGE = 256 * 1024;

/** The small input: every kind of byte a line protocol cares about, plus 0x00 and 0xff. */
function smallInput(): Uint8Array {
  const data = new Uint8Array(SMALL);
  for (let index = 0; index < SMALL; index++) data[index] = (index * 37 + 11) & 0xff;
  data.set([0x0d, 0x0a], 5);
  data.set([0x00, 0xff, 0x0a], 14);
  return data;
}

/** Every way to cut the small input: fixed chunk sizes, one cut anywhere, and two cuts anywhere. */
function sweep(input: Uint8Array): Uint8Array[][] {
  const chunkings: Uint8Array[][] = [];
  for (let size = 1; size <= input.length; size++) {
    const offsets: number[] = [];
    for (let offset = size; offset < input.length; offset += size) offsets.push(offset);
    chunkings.push(splitAt(input, offsets));
  }
  for (let first = 1; first < input.length; first++) {
    chunkings.push(splitAt(input, [first]));
    for (let second = first + 1; second < input.length; second++) chunkings.push(splitAt(input, [first, second]));
  }
  return chunkings;
}

/** Sends each chunking, alternating `write()` per chunk and one `writeLines()` per chunking. */
function send(transport: Transport, chunkings: readonly Uint8Array[][]): void {
  chunkings.forEach((chunks, index) => {
    if (index % 2 === 0) for (const chunk of chunks) transport.write(chunk);
    else transport.writeLines(chunks);
  });
}

async function expectReceived(
  context: CaseContext,
  recorder: Recorder,
  expected: Uint8Array,
  what: string,
): Promise<void> {
  await context.until(
    () => recorder.bytes >= expected.length,
    `${expected.length} bytes on end ${recorder.name} (${what}); ${recorder.bytes} arrived`,
  );
  await context.settle();
  const received = recorder.received();
  context.expect(
    sameBytes(received, expected),
    `End ${recorder.name} did not receive ${what} intact: ${describeDifference(received, expected)}`,
  );
}

export const dataCases: readonly CaseDefinition[] = [
  {
    name: "a fresh pair is open and reading, keeps its protocol, and has valid write-buffer limits",
    applies: always,
    body: async (context) => {
      const { a, b } = context;
      const [ra] = context.attach();
      context.expect(a.getProtocol() === ra, "getProtocol() does not return the protocol given to setProtocol()");
      context.expect(!a.isClosing() && !b.isClosing(), "isClosing() is true on a fresh pair");
      context.expect(a.isReading() && b.isReading(), "isReading() is false on a fresh pair that nobody paused");
      context.expect(
        a.getExtraInfo("asyncstreams-conformance-no-such-key") === undefined,
        "getExtraInfo() of an unknown name is not undefined",
      );
      if (context.settings.writeBufferLimits) {
        context.expect(
          a.getWriteBufferSize() === 0,
          `getWriteBufferSize() is ${a.getWriteBufferSize()} before any write; expected 0`,
        );
        const initial = a.getWriteBufferLimits();
        context.expect(
          initial.high >= initial.low && initial.low >= 0,
          `getWriteBufferLimits() is ${JSON.stringify(initial)}: high >= low >= 0 must hold`,
        );
        a.setWriteBufferLimits({ high: 1000 });
        let limits = a.getWriteBufferLimits();
        context.expect(
          limits.high === 1000 && limits.low === 250,
          `setWriteBufferLimits({ high: 1000 }) gave ${JSON.stringify(limits)}; expected low = high / 4 (asyncio)`,
        );
        a.setWriteBufferLimits({ low: 100 });
        limits = a.getWriteBufferLimits();
        context.expect(
          limits.high === 400 && limits.low === 100,
          `setWriteBufferLimits({ low: 100 }) gave ${JSON.stringify(limits)}; expected high = 4 × low (asyncio)`,
        );
        let threw: unknown;
        try {
          a.setWriteBufferLimits({ high: 1, low: 2 });
        } catch (error) {
          threw = error;
        }
        context.expect(
          threw instanceof RangeError,
          "setWriteBufferLimits({ high: 1, low: 2 }) did not throw a RangeError (high >= low >= 0 must hold)",
        );
        a.setWriteBufferLimits();
        limits = a.getWriteBufferLimits();
        context.expect(
          limits.high === 65_536 && limits.low === 16_384,
          `setWriteBufferLimits() gave ${JSON.stringify(limits)}; expected asyncio's defaults { high: 65536, low: 16384 }`,
        );
      }
      await context.finish();
    },
  },
  {
    name: "a small input split at every chunk boundary arrives intact and in order, both ways",
    applies: always,
    body: async (context) => {
      const [ra, rb] = context.attach();
      const chunkings = sweep(smallInput());
      const expected = new Uint8Array(chunkings.length * SMALL);
      chunkings.forEach((_, index) => expected.set(smallInput(), index * SMALL));
      context.mustNotThrow(() => context.a.write(new Uint8Array(0)), "write() of an empty array");
      send(context.a, chunkings);
      send(context.b, chunkings);
      await expectReceived(context, rb, expected, `${chunkings.length} chunkings of a ${SMALL}-byte input from a`);
      await expectReceived(context, ra, expected, `${chunkings.length} chunkings of a ${SMALL}-byte input from b`);
      await context.finish();
    },
  },
  {
    name: "random chunkings of a 256 KiB input arrive intact and in order, both ways",
    applies: always,
    body: async (context) => {
      const [ra, rb] = context.attach();
      const next = random(context.settings.seed);
      const input = randomBytes(LARGE, next);
      const rounds = [
        randomChunks(input, 16_384, next),
        randomChunks(input, 1_024, next),
        randomChunks(input, 65_536, next),
      ];
      const expected = new Uint8Array(LARGE * rounds.length);
      rounds.forEach((_, index) => expected.set(input, index * LARGE));
      send(context.a, rounds);
      send(context.b, [...rounds].reverse());
      await expectReceived(context, rb, expected, `3 random chunkings (seed ${context.settings.seed}) from a`);
      await expectReceived(context, ra, expected, `3 random chunkings (seed ${context.settings.seed}) from b`);
      await context.finish();
    },
  },
];
