import { describe, expect, it } from "vitest";
import { runKv } from "../src/run-kv.js";

describe("examples/quic-kv", () => {
  it("one handler serves the same line protocol over TCP and over concurrent QUIC streams, sharing one store", async () => {
    const lines: string[] = [];
    const result = await runKv((line) => lines.push(line));
    expect(result.tcp).toEqual(["OK", "NONE", "VALUE 2"]);
    expect(result.quic).toEqual([
      ["VALUE 1", "OK"],
      ["VALUE 1", "ERROR"],
    ]);
    expect(lines[0]).toMatch(/^TCP on 127\.0\.0\.1:\d+, QUIC on 127\.0\.0\.1:\d+$/);
  }, 120_000);
});
