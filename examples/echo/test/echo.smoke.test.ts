import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runEcho } from "../src/run-echo.js";

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));

describe("examples/echo", () => {
  it("runEcho() gets every line back, the 100 KiB one included, and both sides close", async () => {
    const lines: string[] = [];
    const result = await runEcho((line) => lines.push(line));
    expect(result.echoes).toEqual(result.sent);
    expect(result.serverClosed).toBe(true);
    expect(lines[0]).toMatch(/^echo server on 127\.0\.0\.1:\d+$/);
    expect(lines).toContain("sent 3, echoed xxxxxxxxxx... (102400 bytes), same: true");
    expect(lines).toContain("half-closed; the server closed too: true");
    expect(lines.at(-1)).toBe("server closed");
  });

  it.skipIf(!existsSync(main))(
    "the built example (node dist/main.js) prints the transcript and exits with 0",
    async () => {
      // execFile rejects on a non-zero exit code or when the timeout kills the process.
      const { stdout } = await promisify(execFile)(process.execPath, [main], { timeout: 15_000 });
      expect(stdout).toContain("half-closed; the server closed too: true");
      expect(stdout).toContain("server closed");
    },
  );
});
