/**
 * Every separator test, with its input cut at every offset (and into 1-byte chunks), fed before the
 * read and fed while it waits. Fed before, one scan sees everything, so the outcome and the buffer
 * must equal the unsplit case. Fed after, the same holds except for limit errors: asyncio checks
 * the limit on each wake-up, so where a long line first overruns the limit depends on how it
 * arrives (checked against CPython 3.11). There the outcome must match the §8.5 model fed the same
 * way, it is still a LimitOverrunError, and readUntil() still keeps every byte.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMIT, StreamReader } from "@asyncstreams/reader";
import { bytes, eventLoopTurn, track } from "@asyncstreams/test-utils";
import { DATA, describeChunks, splits } from "./_helpers.js";
import { FOUND_TOO_LONG, NOT_FOUND, type ModelOp, type Outcome, ReaderModel, startReal, toOutcome } from "./_model.js";

const codes = (value: string): number[] => Array.from(bytes(value));
const ok = (value: string): Outcome => ({ ok: true, value: codes(value) });
const overrun = (message: string, consumed: number): Outcome => ({
  ok: false,
  error: "LimitOverrunError",
  message,
  consumed,
});
const incomplete = (partial: string): Outcome => ({
  ok: false,
  error: "IncompleteReadError",
  partial: codes(partial),
  expected: null,
});
const readLine: ModelOp = { kind: "readLine" };
const until = (separator: string): ModelOp => ({ kind: "readUntil", separators: [codes(separator)], multi: false });
const untilAny = (...separators: string[]): ModelOp => ({
  kind: "readUntil",
  separators: separators.map(codes),
  multi: true,
});

interface SweepCase {
  readonly name: string;
  readonly limit?: number;
  readonly input: string;
  readonly eof?: boolean;
  readonly op: ModelOp;
  readonly outcome: Outcome;
  readonly buffer: string;
}

const cases: readonly SweepCase[] = [
  {
    name: "test_readline",
    input: "chunk1 chunk2 chunk3 \n chunk4",
    op: readLine,
    outcome: ok("chunk1 chunk2 chunk3 \n"),
    buffer: " chunk4",
  },
  { name: "test_readline_nolimit_nowait", input: DATA, op: readLine, outcome: ok("line1\n"), buffer: "line2\nline3\n" },
  {
    name: "test_readline_limit (exactly the limit)",
    limit: 7,
    input: "1234567\nx",
    op: readLine,
    outcome: ok("1234567\n"),
    buffer: "x",
  },
  { name: "test_readline_eof", input: "some data", eof: true, op: readLine, outcome: ok("some data"), buffer: "" },
  {
    name: "test_readline_limit_with_existing_data (found)",
    limit: 3,
    input: "line1\nline2\n",
    op: readLine,
    outcome: overrun(FOUND_TOO_LONG, 5),
    buffer: "line2\n",
  },
  {
    name: "test_readline_limit_with_existing_data (not found)",
    limit: 3,
    input: "line1li",
    op: readLine,
    outcome: overrun(NOT_FOUND, 7),
    buffer: "",
  },
  {
    name: "test_readline_limit (found, next line kept)",
    limit: 7,
    input: "chunk1chunk2\nchunk3\n",
    eof: true,
    op: readLine,
    outcome: overrun(FOUND_TOO_LONG, 12),
    buffer: "chunk3\n",
  },
  { name: "test_readuntil_multi_chunks", input: "lineAAAxxx", op: until("AAA"), outcome: ok("lineAAA"), buffer: "xxx" },
  {
    name: "test_readuntil_multi_chunks_1",
    input: "QWEaaXYaaa",
    op: until("aaa"),
    outcome: ok("QWEaaXYaaa"),
    buffer: "",
  },
  {
    name: "test_readuntil_bytearray",
    input: "some data\r\n",
    op: until("\r\n"),
    outcome: ok("some data\r\n"),
    buffer: "",
  },
  {
    name: "test_readuntil_eof",
    input: "some dataAA",
    eof: true,
    op: until("AAA"),
    outcome: incomplete("some dataAA"),
    buffer: "",
  },
  {
    name: "test_readuntil_limit_found_sep (not found)",
    limit: 3,
    input: "some dataAA",
    op: until("AAA"),
    outcome: overrun(NOT_FOUND, 9),
    buffer: "some dataAA",
  },
  {
    name: "test_readuntil_limit_found_sep (found)",
    limit: 3,
    input: "some dataAAA",
    op: until("AAA"),
    outcome: overrun(FOUND_TOO_LONG, 9),
    buffer: "some dataAAA",
  },
  {
    name: "test_readuntil_multi_separator (line endings)",
    input: "line 1\nline 2\r",
    op: untilAny("\r", "\n"),
    outcome: ok("line 1\n"),
    buffer: "line 2\r",
  },
  {
    name: "test_readuntil_multi_separator (earliest end)",
    input: "ABCDEFG",
    op: untilAny("DEF", "BCDE"),
    outcome: ok("ABCDE"),
    buffer: "FG",
  },
  {
    name: "test_readuntil_multi_separator_negative_offset",
    input: "dataZAaaa",
    op: untilAny("A", "long sep"),
    outcome: ok("dataZA"),
    buffer: "aaa",
  },
  {
    name: "multi-separator, long separator starting in the first chunk",
    input: "xlong sep!",
    op: untilAny("A", "long sep"),
    outcome: ok("xlong sep"),
    buffer: "!",
  },
  {
    name: "test_readuntil_multi_separator_limit",
    limit: 3,
    input: "some dataA",
    op: untilAny("A", "ome dataA"),
    outcome: overrun(FOUND_TOO_LONG, 9),
    buffer: "some dataA",
  },
  {
    name: "multi-separator limit not found",
    limit: 4,
    input: "abcdefgh",
    op: untilAny("\r\n", "\n\n"),
    outcome: overrun(NOT_FOUND, 7),
    buffer: "abcdefgh",
  },
  {
    name: "multi-separator at EOF",
    input: "abc\r",
    eof: true,
    op: untilAny("\r\n", "\n\n"),
    outcome: incomplete("abc\r"),
    buffer: "",
  },
  {
    name: "readExactly",
    input: "hello world",
    op: { kind: "readExactly", n: 7 },
    outcome: ok("hello w"),
    buffer: "orld",
  },
];

type Mode = "before" | "after";

interface Result {
  readonly outcome: Outcome | undefined;
  readonly buffer: readonly number[];
}

/** Feeds the real reader `chunks` before the read or, settling after each, while it waits. */
async function runReal(sweep: SweepCase, chunks: readonly Uint8Array[], mode: Mode): Promise<Result> {
  const reader = new StreamReader({ limit: sweep.limit });
  const feedAll = async (): Promise<void> => {
    for (const chunk of chunks) {
      reader.feedData(chunk);
      if (mode === "after") await eventLoopTurn();
    }
    if (sweep.eof === true) reader.feedEof();
  };
  if (mode === "before") await feedAll();
  const read = track(startReal(reader, sweep.op));
  await eventLoopTurn();
  if (mode === "after") {
    await feedAll();
    await eventLoopTurn();
  }
  return { outcome: read.settled ? toOutcome(read) : undefined, buffer: Array.from(reader.bufferedBytes()) };
}

/** The same, on the model: one step at the start and one per wake-up while waiting. */
function runModel(sweep: SweepCase, chunks: readonly Uint8Array[], mode: Mode): Result {
  const model = new ReaderModel(sweep.limit ?? DEFAULT_LIMIT);
  const feedAll = (step?: () => Outcome | undefined): Outcome | undefined => {
    let outcome: Outcome | undefined;
    for (const chunk of chunks) {
      model.feed(Array.from(chunk));
      if (step !== undefined && outcome === undefined) outcome = step();
    }
    if (sweep.eof === true) {
      model.feedEof();
      if (step !== undefined && outcome === undefined) outcome = step();
    }
    return outcome;
  };
  if (mode === "before") feedAll();
  const step = model.start(sweep.op);
  const outcome = step() ?? (mode === "after" ? feedAll(step) : undefined);
  return { outcome, buffer: model.buffer };
}

describe.each(cases)("chunk-boundary sweep: $name", (sweep) => {
  const data = bytes(sweep.input);
  const unsplit: Result = { outcome: sweep.outcome, buffer: codes(sweep.buffer) };
  const isLimitCase = !sweep.outcome.ok && sweep.outcome.error === "LimitOverrunError";

  it("gives the unsplit outcome and buffer for every chunking fed before the read", async () => {
    for (const chunks of splits(data)) {
      const context = `chunks ${describeChunks(chunks)}`;
      expect(runModel(sweep, chunks, "before"), `model, ${context}`).toEqual(unsplit);
      expect(await runReal(sweep, chunks, "before"), context).toEqual(unsplit);
    }
  });

  it(
    isLimitCase
      ? "throws LimitOverrunError as the asyncio model does for every chunking fed while the read waits"
      : "gives the unsplit outcome and buffer for every chunking fed while the read waits",
    async () => {
      for (const chunks of splits(data)) {
        const context = `chunks ${describeChunks(chunks)}`;
        const real = await runReal(sweep, chunks, "after");
        const model = runModel(sweep, chunks, "after");
        expect(real, context).toEqual(model);
        if (!isLimitCase) {
          expect(real, context).toEqual(unsplit);
          continue;
        }
        expect(real.outcome, context).toMatchObject({ ok: false, error: "LimitOverrunError" });
        // readUntil() keeps every byte on a limit error; readLine() drops what asyncio drops.
        if (sweep.op.kind === "readUntil") expect(real.buffer, context).toEqual(unsplit.buffer);
      }
    },
  );
});

describe("chunk-boundary sweep: limit outcomes depend on arrival, as in asyncio", () => {
  it("b'some dataAAA' fed byte by byte with limit=3 overruns as 'not found' at 6 bytes, where the whole chunk gives 'is found' at 9", async () => {
    // CPython 3.11: readuntil(b'AAA') -> LimitOverrunError('Separator is not found, ...', consumed=4).
    const sweep = cases.find((each) => each.name === "test_readuntil_limit_found_sep (found)")!;
    const byteByByte = splits(bytes(sweep.input)).at(-1)!;
    expect(byteByByte.length).toBe(sweep.input.length);
    expect((await runReal(sweep, byteByByte, "after")).outcome).toEqual(overrun(NOT_FOUND, 4));
    expect((await runReal(sweep, [bytes(sweep.input)], "after")).outcome).toEqual(overrun(FOUND_TOO_LONG, 9));
  });
});
