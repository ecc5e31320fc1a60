import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";

/** A fresh temporary directory (for Unix sockets), removed at the end of the test. */
export function tempDir(): { dir: string; path(name?: string): string } {
  const dir = mkdtempSync(join(tmpdir(), "asn-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, path: (name = "test.sock") => join(dir, name) };
}
