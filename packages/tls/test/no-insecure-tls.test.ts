import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Reliability row D16: the suite verifies certificates. Turning verification off is allowed in
// one explicitly named file only, so that an escape hatch never hides a failure elsewhere.
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
// server-operations.test.ts: a server's rejectUnauthorized: false (mTLS that lets unverified clients in)
// is the case under test there.
const ALLOWED = new Set(["packages/tls/test/insecure.test.ts", "packages/tls/test/server-operations.test.ts"]);
const SELF = "packages/tls/test/no-insecure-tls.test.ts";

// Assembled from pieces so this file does not match itself.
const FORBIDDEN: readonly { name: string; pattern: RegExp }[] = [
  {
    name: "rejectUnauthorized: false",
    pattern: new RegExp(["reject", "Unauthorized", String.raw`["']?\s*[:=]\s*false`].join("")),
  },
  { name: "NODE_TLS_REJECT_UNAUTHORIZED", pattern: new RegExp(["NODE_TLS", "_REJECT_UNAUTHORIZED"].join("")) },
  { name: "Python CERT_NONE", pattern: new RegExp(["CERT", "_NONE"].join("")) },
  { name: "Python check_hostname = False", pattern: new RegExp(["check", String.raw`_hostname\s*=\s*False`].join("")) },
  { name: "Python _create_unverified_context", pattern: new RegExp(["_create", "_unverified_context"].join("")) },
];

/** Every test source: packages/*\/test and examples/*\/test (TypeScript, JavaScript, Python, shell). */
function testFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      if (entry === "node_modules" || entry === "dist") continue;
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|js|mjs|py|sh)$/.test(entry)) files.push(relative(ROOT, path));
    }
  };
  for (const group of ["packages", "examples"]) {
    for (const name of readdirSync(join(ROOT, group))) {
      const dir = join(ROOT, group, name, "test");
      if (statSync(join(ROOT, group, name)).isDirectory() && existsDir(dir)) walk(dir);
    }
  }
  return files.sort();
}

function existsDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

describe("no test turns TLS verification off (reliability row D16)", () => {
  it("finds the test files to check, this package's among them", () => {
    const files = testFiles();
    expect(files).toContain("packages/tls/test/starttls.test.ts");
    expect(files).toContain("packages/tls/test/python/starttls_client.py");
    expect(files).toContain(SELF);
  });

  it.each([
    ["rejectUnauthorized: false", "{ rejectUnauthorized: false }"],
    ["rejectUnauthorized: false", '{ "rejectUnauthorized": false }'],
    ["rejectUnauthorized: false", "options.rejectUnauthorized = false"],
    ["NODE_TLS_REJECT_UNAUTHORIZED", "NODE_TLS_REJECT_UNAUTHORIZED=0 pnpm test"],
    ["Python CERT_NONE", "context.verify_mode = ssl.CERT_NONE"],
    ["Python check_hostname = False", "context.check_hostname = False"],
    ["Python _create_unverified_context", "ssl._create_unverified_context()"],
  ])("the pattern for %s catches %s", (name, sample) => {
    expect(FORBIDDEN.find((entry) => entry.name === name)!.pattern.test(sample)).toBe(true);
  });

  it("the patterns leave verifying code alone", () => {
    for (const sample of [
      "{ rejectUnauthorized: true }",
      "tls: { ca: CA }",
      "context.check_hostname = True",
      "ssl.CERT_REQUIRED",
    ]) {
      expect(FORBIDDEN.some(({ pattern }) => pattern.test(sample))).toBe(false);
    }
  });

  it("only the explicitly insecure test file uses rejectUnauthorized: false, NODE_TLS_REJECT_UNAUTHORIZED or unverified Python contexts", () => {
    const offences: string[] = [];
    for (const file of testFiles()) {
      if (ALLOWED.has(file) || file === SELF) continue;
      const lines = readFileSync(join(ROOT, file), "utf8").split("\n");
      for (const [index, line] of lines.entries()) {
        for (const { name, pattern } of FORBIDDEN)
          if (pattern.test(line)) offences.push(`${file}:${index + 1}: ${name}`);
      }
    }
    expect(offences).toEqual([]);
  });

  it("the insecure file still exists and really is the one using the opt-out", () => {
    const [allowed] = [...ALLOWED];
    const source = readFileSync(join(ROOT, allowed!), "utf8");
    expect(FORBIDDEN[0]!.pattern.test(source)).toBe(true);
  });
});
