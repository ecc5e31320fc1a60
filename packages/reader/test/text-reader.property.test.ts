import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StreamReader, TextReader } from "@asyncstreams/reader";
import { eventLoopTurn } from "@asyncstreams/test-utils";

// Differential: TextReader against a model of Python's text layer (`str.splitlines()` for
// newline=None, `split()` on the exact endings otherwise), over random text in random encodings,
// cut into random chunks fed while the reads wait, with random aborted reads in between.

const ENCODINGS = [
  { label: "utf-8", chars: "ab é€😀\u0000" },
  { label: "latin1", chars: "ab éÿ\u0000" },
  { label: "shift_jis", chars: "ab 日本ｱ" },
  { label: "euc-jp", chars: "ab 日本" },
] as const;

/** Python's lines for the given newline mode (endings stripped); a last line without an ending counts. */
function modelLines(textValue: string, newline: "any" | "\n" | "\r\n"): string[] {
  const pattern = newline === "any" ? /\r\n|\r|\n/ : newline === "\r\n" ? /\r\n/ : /\r?\n/;
  const parts = textValue.split(pattern);
  if (parts[parts.length - 1] === "") parts.pop();
  return parts;
}

const scenario = fc
  .record({
    encoding: fc.constantFrom(...ENCODINGS),
    newline: fc.constantFrom("any" as const, "\n" as const, "\r\n" as const),
    pieces: fc.array(fc.oneof(fc.constantFrom("\r", "\n", "\r\n"), fc.string({ maxLength: 6 })), { maxLength: 30 }),
    cuts: fc.array(fc.nat(), { maxLength: 12 }),
    aborts: fc.array(fc.boolean(), { maxLength: 40 }),
  })
  .map(({ encoding, newline, pieces, cuts, aborts }) => {
    // Only characters the encoding has, so that encoding and decoding round-trip.
    const allowed = new Set([...encoding.chars, "\r", "\n"]);
    const textValue = pieces
      .join("")
      .split("")
      .filter((char) => allowed.has(char))
      .join("")
      .normalize("NFC");
    return { encoding: encoding.label, newline, textValue, cuts, aborts };
  });

/** Encodes with a TextDecoder-compatible table: the encodings here are tested by round trip. */
function encode(textValue: string, label: string): Uint8Array | undefined {
  if (label === "utf-8") return new TextEncoder().encode(textValue);
  if (label === "latin1") return Uint8Array.from([...textValue].map((char) => char.codePointAt(0)!));
  // Node has no encoder for the Japanese encodings: a byte table built by decoding every 1- and 2-byte sequence.
  const table = japaneseTable(label);
  const out: number[] = [];
  for (const char of textValue) {
    const bytes = table.get(char);
    if (bytes === undefined) return undefined;
    out.push(...bytes);
  }
  return Uint8Array.from(out);
}

const tables = new Map<string, Map<string, number[]>>();
function japaneseTable(label: string): Map<string, number[]> {
  let table = tables.get(label);
  if (table !== undefined) return table;
  table = new Map();
  const decoder = new TextDecoder(label, { fatal: true });
  for (let first = 0; first < 256; first++) {
    const single = tryDecode(decoder, [first]);
    if (single !== undefined && !table.has(single)) table.set(single, [first]);
    for (let second = 0x40; second < 256 && first >= 0x80; second++) {
      const double = tryDecode(decoder, [first, second]);
      if (double !== undefined && [...double].length === 1 && !table.has(double)) table.set(double, [first, second]);
    }
  }
  tables.set(label, table);
  return table;
}

function tryDecode(decoder: TextDecoder, bytes: number[]): string | undefined {
  try {
    return decoder.decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
}

/** Cuts `data` at the given offsets (mod its length), in order, keeping empty pieces. */
function chunked(data: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const offsets = cuts.map((cut) => (data.length === 0 ? 0 : cut % (data.length + 1))).sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const offset of offsets) {
    chunks.push(data.slice(start, offset));
    start = offset;
  }
  chunks.push(data.slice(start));
  return chunks;
}

describe("TextReader against Python's line splitting (differential)", () => {
  it("gives Python's lines for random text, encodings, endings, chunkings and aborted reads", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ encoding, newline, textValue, cuts, aborts }) => {
        const data = encode(textValue, encoding);
        if (data === undefined) return;
        const reader = new StreamReader();
        const text = new TextReader(reader, { encoding, newline });
        const lines: string[] = [];
        let abortIndex = 0;
        let justAborted = false;
        const reading = (async () => {
          for (;;) {
            // Never two aborted reads in a row: the next read waits for data.
            if (!justAborted && aborts[abortIndex++ % Math.max(1, aborts.length)] === true) {
              justAborted = true;
              // An abort before anything can be returned consumes nothing; after (the wait past a CR),
              // the line comes back.
              const controller = new AbortController();
              const read = text.readLine({ signal: controller.signal }).then(
                (line) => ({ line }),
                (error: unknown) => ({ error }),
              );
              controller.abort(new Error("fuzz abort"));
              const outcome = await read;
              if ("line" in outcome) {
                if (outcome.line === null) return;
                lines.push(outcome.line);
              }
              continue;
            }
            justAborted = false;
            const line = await text.readLine();
            if (line === null) return;
            lines.push(line);
          }
        })();
        for (const chunk of chunked(data, cuts)) {
          reader.feedData(chunk);
          await eventLoopTurn();
        }
        reader.feedEof();
        await reading;
        expect(lines).toEqual(modelLines(textValue, newline));
      }),
      { numRuns: fc.readConfigureGlobal().numRuns ?? 300 },
    );
  });
});
