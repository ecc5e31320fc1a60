import { describe, expect, it } from "vitest";
import { memoryTransportPair } from "@asyncstreams/protocol";
import { transportConformance } from "@asyncstreams/protocol/testing";
import { FaultyTransport } from "./_faulty-transport.js";
import type { Fault } from "./_faulty-transport.js";

const capabilities = { halfClose: true, pauseReading: true, writeBufferLimits: true };

describe("transportConformance() on the in-memory pair", () => {
  const cases = transportConformance(() => ({ transports: memoryTransportPair() }), capabilities);

  it("returns a case for every rule that applies to a fully capable transport", () => {
    expect(cases.length).toBeGreaterThanOrEqual(13);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  for (const c of cases) it(c.name, c.run);
});

describe("transportConformance() on broken transports", () => {
  /** Runs the cases whose name contains `caseName` on pairs with `fault`, and returns the failures. */
  async function failures(
    fault: Fault,
    caseName: string,
    options: Partial<typeof capabilities> = {},
  ): Promise<string[]> {
    const cases = transportConformance(() => ({ transports: FaultyTransport.pair(fault) }), {
      ...capabilities,
      ...options,
      timeout: 1_000,
    });
    const selected = cases.filter((c) => c.name.includes(caseName));
    expect(selected.length).toBeGreaterThan(0);
    const messages: string[] = [];
    for (const c of selected) {
      try {
        await c.run();
      } catch (error) {
        messages.push((error as Error).message);
      }
    }
    return messages;
  }

  const table: readonly [Fault, string, RegExp, Partial<typeof capabilities>?][] = [
    ["reuses-chunks", "random chunkings", /changed after it was delivered/],
    ["drops-bytes", "every chunk boundary", /did not receive .* intact|Timed out .* bytes on end/],
    ["lost-twice", "close() flushes", /connectionLost\(\) was called 2 times/],
    ["ignores-pause-reading", "pauseReading() holds back", /while reading was paused/],
    ["never-pauses-writing", "pauseWriting() comes above", /pauseWriting\(\) never came/],
    ["never-pauses-writing", "drain() waits while", /drain\(\) never waited/],
    ["late-connection-lost", "drain() right after close()", /drain\(\) right after close\(\) resolved/],
    ["throws-after-close", "writes after close()", /write\(\) right after close\(\) .* threw/],
    [
      "swallows-callback-errors",
      "exception thrown by dataReceived()",
      /Timed out .* connectionLost\(\) on b after its dataReceived\(\) threw/,
    ],
    ["leaks-rejection", "abort() drops buffered data", /nobody handled it: Error: a leaked rejection/],
    ["refuses-eof-silently", "writeEof() throws", /writeEof\(\) did not throw/, { halfClose: false }],
    ["eof-twice", "writeEof() delivers EOF", /eofReceived\(\) was called 2 times/],
  ];

  for (const [fault, caseName, message, options] of table) {
    it(`fails "${caseName}..." on a transport that ${fault.replaceAll("-", " ")}, saying why`, async () => {
      const messages = await failures(fault, caseName, options);
      expect(messages.length).toBeGreaterThan(0);
      expect(messages.join("\n")).toMatch(message);
    });
  }
});
