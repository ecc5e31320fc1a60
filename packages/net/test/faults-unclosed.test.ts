import { describe, expect, it } from "vitest";
import { spawnSourceChild } from "./_reliability-child.js";

interface GcResult {
  baseline: number;
  after: number;
  collected: number;
  warnings: string[];
}

let results: Promise<Record<"closed" | "dropped", GcResult>> | undefined;

/** Both modes run once, in one child (closed first: it must start from no leaked socket). */
function gcResults(): Promise<Record<"closed" | "dropped", GcResult>> {
  results ??= (async () => {
    const child = spawnSourceChild("_reliability-gc-child.mjs", ["closed,dropped"], { nodeFlags: ["--expose-gc"] });
    const closed = (await child.next("closed"))["closed"] as GcResult;
    const dropped = (await child.next("dropped"))["dropped"] as GcResult;
    expect(await child.stop()).toBe(0);
    return { closed, dropped };
  })();
  return results;
}

// C12 asks for asyncio's behaviour: a StreamWriter garbage-collected without close() warns
// ("unclosed <StreamWriter ...>", a ResourceWarning) and closes its transport. On Node an open
// socket is held by its libuv handle, but the writer itself is collectable, so a
// FinalizationRegistry on the writer could do the same. These run in a child with --expose-gc.
describe("garbage-collected writers (C12)", () => {
  it("C12: closed writers are collected after GC, leave no TCP handle and cause no warning", async () => {
    const result = (await gcResults()).closed;
    expect(result.after).toBe(result.baseline);
    expect(result.collected).toBeGreaterThanOrEqual(15); // of 20: the last may still sit in a register
    expect(result.warnings).toEqual([]);
  });

  // A client that reads to the peer's EOF and drops reader and writer without close() would keep
  // its half-open socket forever (the bug this test found): the writer's FinalizationRegistry now
  // closes it and warns, as asyncio's StreamWriter.__del__ does.
  it("C12: writers dropped without close() after the peer's EOF are reported and their sockets closed after GC", async () => {
    const result = (await gcResults()).dropped;
    expect(result.collected).toBeGreaterThanOrEqual(15);
    // One warning and one closed socket per collected writer; a writer still alive keeps its socket.
    expect(result.warnings.filter((warning) => /ResourceWarning: unclosed <StreamWriter/.test(warning))).toHaveLength(
      result.collected,
    );
    // Both ends live in the child: a connection still open counts two TCP handles (the peer's end
    // closes itself once ours sends FIN).
    expect(result.after - result.baseline).toBeLessThanOrEqual(2 * (20 - result.collected));
  });
});
