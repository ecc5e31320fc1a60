import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { onTestFinished } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));

/**
 * The Deno binary of `runtimes/` (the `@deno/linux-x64-glibc` registry package, installed by
 * `pnpm install` on linux-x64), or why there is none.
 */
export function findDeno(): { binary: string } | { missing: string } {
  try {
    const dir = dirname(
      createRequire(join(root, "runtimes/package.json")).resolve("@deno/linux-x64-glibc/package.json"),
    );
    const binary = join(dir, "deno");
    const version = spawnSync(binary, ["--version"], { encoding: "utf8", timeout: 20_000 });
    if (version.status !== 0) return { missing: `${binary} does not start: ${version.stderr}` };
    if (!existsSync(fileURLToPath(new URL("../dist/index.js", import.meta.url))))
      return { missing: "packages/quic is not built (run pnpm build)" };
    return { binary };
  } catch (error) {
    return { missing: `@deno/linux-x64-glibc is not installed (${String(error)})` };
  }
}

/** `deno run -A --unstable-net test/deno/<script> ...args`, killed when the test ends. */
export function startDeno(
  binary: string,
  script: string,
  args: string[] = [],
): { child: ChildProcess; lines: AsyncIterator<string>; stderr: () => string } {
  const child = spawn(
    binary,
    ["run", "-A", "--unstable-net", "--no-lock", fileURLToPath(new URL(`./deno/${script}`, import.meta.url)), ...args],
    {
      cwd: root,
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  let errors = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (errors += chunk));
  onTestFinished(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  const lines = (async function* () {
    let pending = "";
    for await (const chunk of child.stdout.setEncoding("utf8")) {
      pending += chunk as string;
      let newline: number;
      while ((newline = pending.indexOf("\n")) >= 0) {
        yield pending.slice(0, newline);
        pending = pending.slice(newline + 1);
      }
    }
  })();
  return { child, lines, stderr: () => errors };
}

/** The next JSON line the child prints, parsed. */
export async function nextJson<T>(peer: { lines: AsyncIterator<string>; stderr: () => string }): Promise<T> {
  const next = await peer.lines.next();
  if (next.done === true) throw new Error(`the Deno peer ended without output: ${peer.stderr()}`);
  return JSON.parse(next.value) as T;
}
