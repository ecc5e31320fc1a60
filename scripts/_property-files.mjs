// @ts-check
// Every test file that imports fast-check, for `pnpm test:stress` and `pnpm test:fuzz`: a new
// property suite is picked up without a list to keep.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** The property test files under packages/* /test and examples/* /test, sorted. */
export const PROPERTY_FILES = ["packages", "examples"]
  .flatMap((top) => readdirSync(top).map((name) => join(top, name, "test")))
  .filter((dir) => existsSync(dir))
  .flatMap((dir) => readdirSync(dir, { recursive: true }).map((name) => join(dir, String(name))))
  .filter((file) => file.endsWith(".test.ts") && /from "fast-check"/.test(readFileSync(file, "utf8")))
  .sort();
