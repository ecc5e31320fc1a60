import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";

const root = join(import.meta.dirname, "..", "..", "..");

/** The first ```ts block of a README. */
function firstExample(readme: string): string {
  const text = readFileSync(join(root, readme), "utf8");
  const match = /```ts\n([\s\S]*?)```/.exec(text);
  if (match === null) throw new Error(`no ts example in ${readme}`);
  return match[1]!;
}

/** What each `console.log(...); // prints X` line promises, in order. */
function promisedOutput(example: string): string[] {
  return [...example.matchAll(/console\.log\(.*\/\/ prints (\S+)/g)].map((match) => match[1]!);
}

describe("README examples print what their comments say", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each(["packages/net/README.md", "packages/protocol/README.md"])("%s", async (readme) => {
    const example = firstExample(readme);
    const promised = promisedOutput(example);
    expect(promised.length).toBeGreaterThan(0);
    // Inside the repository, so the workspace packages resolve and Vitest compiles the TypeScript.
    const dir = mkdtempSync(join(import.meta.dirname, ".readme-"));
    try {
      const file = join(dir, "example.ts");
      writeFileSync(file, `${example}\nexport {};\n`);
      const printed: string[] = [];
      vi.spyOn(console, "log").mockImplementation(
        (...values: unknown[]) => void printed.push(values.map(String).join(" ")),
      );
      await import(file);
      expect(printed.map((line) => line.trim())).toEqual(promised);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
