import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runSmtpSession } from "../src/session.js";

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));

describe("examples/smtp-starttls", () => {
  it("runSmtpSession() refuses MAIL before STARTTLS, upgrades in place and delivers over TLS", async () => {
    const lines: string[] = [];
    await runSmtpSession((line) => lines.push(line));
    expect(lines).toContain("S: 530 5.7.0 Must issue a STARTTLS command first");
    expect(lines).toContain("S: 220 2.0.0 Ready to start TLS");
    expect(lines.some((line) => line.startsWith("-- TLS established: TLSv1."))).toBe(true);
    expect(lines).toContain("-- STARTTLS still offered after the upgrade: false");
    expect(lines).toContain("C: ..A line that starts with a dot."); // dot-stuffed on the wire
    expect(lines).toContain(
      "   [server] accepted a message from <alice@example.com> to <bob@example.com>, 94 bytes, over TLS: true",
    );
    expect(lines.at(-1)).toBe("S: 221 2.0.0 Bye");
  });

  it.skipIf(!existsSync(main))(
    "the built example (node dist/main.js) prints the transcript and exits with 0",
    async () => {
      const { stdout } = await promisify(execFile)(process.execPath, [main], { timeout: 15_000 });
      expect(stdout).toContain("over TLS: true");
      expect(stdout).toContain("S: 221 2.0.0 Bye");
    },
  );
});
