import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { IncompleteReadError, LimitOverrunError, StreamReader } from "@asyncstreams/reader";
import { eventLoopTurn, track } from "@asyncstreams/test-utils";
import { type ModelOp, type Outcome, ReaderModel, describeOp, startReal, toOutcome } from "./_model.js";

const codes = (value: string): number[] => Array.from(value, (char) => char.charCodeAt(0));

/** A small alphabet, so separators, partial separators and newlines are frequent. */
const byteArb = fc.constantFrom(0x61, 0x62, 0x0a); // "a", "b", "\n"

const SINGLE_SEPARATORS = ["\n", "a", "ab", "ba\n", "aa", "\n\n", "abab"];
const MULTI_SEPARATORS = [
  ["a", "\n"],
  ["ab", "b\n"],
  ["\n", "aab"],
  ["bb", "a"],
  ["aaa", "ab"],
  ["b", "ab", "bab"],
  ["ba\n", "\n"],
  ["\n", "abba"],
  ["a\n", "bbab\n"],
];

const opArb: fc.Arbitrary<ModelOp> = fc.oneof(
  fc.integer({ min: -1, max: 5 }).map((n): ModelOp => ({ kind: "read", n })),
  fc.constant<ModelOp>({ kind: "readLine" }),
  fc.integer({ min: 0, max: 6 }).map((n): ModelOp => ({ kind: "readExactly", n })),
  fc
    .constantFrom(...SINGLE_SEPARATORS)
    .map((separator): ModelOp => ({ kind: "readUntil", separators: [codes(separator)], multi: false })),
  fc
    .constantFrom(...MULTI_SEPARATORS)
    .map((separators): ModelOp => ({ kind: "readUntil", separators: separators.map(codes), multi: true })),
);

type AbortPlan =
  | { readonly at: "never" }
  | { readonly at: "before" }
  | { readonly at: "waiting"; readonly afterChunks: number };

const abortArb: fc.Arbitrary<AbortPlan> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<AbortPlan>({ at: "never" }) },
  { weight: 1, arbitrary: fc.constant<AbortPlan>({ at: "before" }) },
  {
    weight: 2,
    arbitrary: fc.integer({ min: 0, max: 3 }).map((afterChunks): AbortPlan => ({ at: "waiting", afterChunks })),
  },
);

/** Abort reasons of every shape, including the reader's own error classes. */
const REASONS = {
  error: () => new Error("aborted"),
  string: () => "aborted",
  default: () => undefined,
  incomplete: () => new IncompleteReadError(new Uint8Array([0x78]), null),
  limit: () => new LimitOverrunError("Separator is found, but chunk is longer than limit", 0),
} as const;

const stepArb = fc.record({
  op: opArb,
  abort: abortArb,
  reason: fc.constantFrom(...(Object.keys(REASONS) as (keyof typeof REASONS)[])),
});

const scenarioArb = fc.record({
  limit: fc.integer({ min: 1, max: 6 }),
  data: fc.array(byteArb, { maxLength: 40 }),
  chunkSizes: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 8 }),
  preFed: fc.integer({ min: 0, max: 10 }),
  steps: fc.array(stepArb, { maxLength: 12 }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

/** Cuts `data` into chunks whose sizes cycle through `sizes`. */
function cut(data: readonly number[], sizes: readonly number[]): number[][] {
  const chunks: number[][] = [];
  for (let at = 0, which = 0; at < data.length; which++) {
    const size = sizes[which % sizes.length]!;
    chunks.push(data.slice(at, at + size));
    at += size;
  }
  return chunks;
}

/**
 * Runs the scenario on the real reader and on the model side by side: chunks are delivered only
 * while a read waits (plus `preFed` up front), one wake-up per chunk, then EOF. After every read,
 * the outcome and the buffer must match; at the end, every byte fed must be accounted for in order.
 */
async function check(scenario: Scenario): Promise<void> {
  const chunks = cut(scenario.data, scenario.chunkSizes);
  const reader = new StreamReader({ limit: scenario.limit });
  const model = new ReaderModel(scenario.limit);
  let next = 0;
  let eof = false;
  const fed: number[] = [];
  /** What left the reader, in order: results, IncompleteReadError partials, bytes readLine() dropped. */
  const consumed: number[] = [];

  const deliver = (): void => {
    if (next < chunks.length) {
      const chunk = chunks[next++]!;
      reader.feedData(Uint8Array.from(chunk));
      model.feed(chunk);
      fed.push(...chunk);
    } else {
      reader.feedEof();
      model.feedEof();
      eof = true;
    }
  };
  while (next < Math.min(scenario.preFed, chunks.length)) deliver();

  for (const [index, step] of scenario.steps.entries()) {
    const label = `step ${index}: ${describeOp(step.op)}, abort ${JSON.stringify(step.abort)}`;
    const controller = new AbortController();
    const reason = REASONS[step.reason]();
    if (step.abort.at === "before") {
      controller.abort(reason);
      const read = track(startReal(reader, step.op, controller.signal));
      await eventLoopTurn();
      expect(read.rejected, label).toBe(true);
      expect(read.error, label).toBe(controller.signal.reason);
      expect(Array.from(reader.bufferedBytes()), label).toEqual(model.buffer);
      continue;
    }

    const read = track(startReal(reader, step.op, controller.signal));
    const modelStep = model.start(step.op);
    const discardedBefore = model.discarded.length;
    let outcome: Outcome | undefined = modelStep();
    await eventLoopTurn();
    for (let delivered = 0; outcome === undefined; delivered++) {
      expect(read.settled, `${label}: settled while the model waits`).toBe(false);
      if (step.abort.at === "waiting" && delivered === step.abort.afterChunks) {
        controller.abort(reason);
        await eventLoopTurn();
        expect(read.rejected, label).toBe(true);
        expect(read.error, label).toBe(controller.signal.reason);
        break;
      }
      expect(eof, `${label}: the model waits after EOF`).toBe(false);
      deliver();
      await eventLoopTurn();
      outcome = modelStep();
    }

    if (outcome !== undefined) {
      expect(read.settled, `${label}: still pending where the model completed`).toBe(true);
      expect(toOutcome(read), label).toEqual(outcome);
      if (outcome.ok) consumed.push(...outcome.value);
      else if (outcome.error === "IncompleteReadError") consumed.push(...outcome.partial);
      for (const dropped of model.discarded.slice(discardedBefore)) consumed.push(...dropped);
    }
    expect(Array.from(reader.bufferedBytes()), `${label}: buffer`).toEqual(model.buffer);
  }

  while (!eof) deliver();
  expect([...consumed, ...Array.from(reader.bufferedBytes())]).toEqual(fed);
  expect(fed).toEqual(scenario.data);
}

describe("StreamReader against the asyncio model (fast-check)", () => {
  it("random reads, some aborted before, while or after data arrives, agree with the model and lose, reorder or duplicate no byte", async () => {
    await fc.assert(fc.asyncProperty(scenarioArb, check), { numRuns: fc.readConfigureGlobal().numRuns ?? 200 });
  });

  it("the same reads over the same bytes give the same results however the bytes were chunked before reading", async () => {
    const arb = fc.record({
      limit: fc.integer({ min: 1, max: 6 }),
      data: fc.array(byteArb, { maxLength: 30 }),
      cutsA: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 6 }),
      cutsB: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 6 }),
      ops: fc.array(opArb, { maxLength: 10 }),
    });
    const run = async (
      data: readonly number[],
      sizes: readonly number[],
      limit: number,
      ops: readonly ModelOp[],
    ): Promise<unknown[]> => {
      const reader = new StreamReader({ limit });
      for (const chunk of cut(data, sizes)) reader.feedData(Uint8Array.from(chunk));
      reader.feedEof();
      const results: unknown[] = [];
      for (const op of ops) {
        const read = track(startReal(reader, op));
        await eventLoopTurn();
        results.push(read.settled ? toOutcome(read) : "pending", Array.from(reader.bufferedBytes()));
      }
      return results;
    };
    await fc.assert(
      fc.asyncProperty(arb, async ({ limit, data, cutsA, cutsB, ops }) => {
        expect(await run(data, cutsA, limit, ops)).toEqual(await run(data, cutsB, limit, ops));
      }),
      { numRuns: fc.readConfigureGlobal().numRuns ?? 200 },
    );
  });
});
