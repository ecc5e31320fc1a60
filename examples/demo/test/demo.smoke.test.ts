import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runDemo } from "../src/tour.js";

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));

/** The lines every run prints: the rest names a port or a TLS version that may vary. */
const keyLines = [
  'GET big  -> header "$4194304\\n", body of 4194304 bytes, intact: true',
  "readLine with a 50 ms timeout and nothing sent  -> TimeoutError",
  'an over-long command line  -> "-ERR line too long\\n"',
  'and the session goes on: GET missing  -> "$-1\\n"',
  'QUIT  -> the server closed; read() returns "" and atEof() is true',
  "client and server closed cleanly\n",
  'TLS: GET missing  -> "$-1\\n"',
  'STARTTLS: plain answer  -> "+GO\\n" | TLS in use: false',
  'STARTTLS: GET missing over TLS  -> "$-1\\n"',
  "\ndone: TCP, TLS and STARTTLS, all closed cleanly",
];

describe("examples/demo", () => {
  it("runDemo() tours TCP, TLS and STARTTLS and closes everything", async () => {
    const lines: string[] = [];
    // console.log joins its arguments with spaces; so does this collector.
    await runDemo((...parts) => lines.push(parts.map(String).join(" ")));
    for (const line of keyLines) expect(lines).toContain(line);
    expect(lines.some((line) => /^STARTTLS: upgraded in place to TLSv1\.[23] \| TLS in use: true$/.test(line))).toBe(
      true,
    );
  });

  it.skipIf(!existsSync(main))("the built demo (node dist/main.js) prints the tour and exits with 0", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [main], { timeout: 15_000 });
    expect(stdout).toContain("intact: true");
    expect(stdout).toContain("done: TCP, TLS and STARTTLS, all closed cleanly");
  });
});
