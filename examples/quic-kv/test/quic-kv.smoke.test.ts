import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runKv } from "../src/run-kv.js";

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));

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

  it.skipIf(!existsSync(main))(
    "the built example (node dist/main.js) prints the transcript and exits with 0: no QUIC socket is left open",
    async () => {
      // execFile rejects on a non-zero exit code or when the timeout kills the process.
      const { stdout } = await promisify(execFile)(process.execPath, [main], { timeout: 60_000 });
      expect(stdout).toContain("TCP again: VALUE 2");
    },
    120_000,
  );
});
