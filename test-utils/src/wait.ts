// Every wait in the project's tests is bounded and says what it waits for. Two kinds:
// - a condition (`until`, `within`): poll until it holds, fail once a real-time deadline passes;
// - "the event loop had its chance" (`eventLoopTurn`): for asserting that something is *still*
//   pending, or that work needing no I/O and no timer has happened. Never "N microtask turns": an
//   oracle that one more `await` inside the code under test breaks.

/** Resolves after `ms` milliseconds of real time (a timer: I/O and other timers run meanwhile). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `condition` every couple of milliseconds until it holds; rejects naming `what` once `ms`
 * have passed. Uses real timers: under fake timers, advance them instead.
 */
export async function until(condition: () => boolean, ms = 5_000, what = "a condition"): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await sleep(2);
  }
}

/** Settles like `promise`, or rejects naming `what` once `ms` have passed: a bounded `await`. */
export async function within<T>(promise: Promise<T>, ms = 5_000, what = "the operation"): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** One macrotask through a MessageChannel: not a timer, so fake timers neither stop nor advance it. */
function macrotask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}

/**
 * Resolves once every queued microtask, however long its chain, and then `count` macrotasks have
 * run: asyncio's `run_briefly`. Afterwards, whatever the code under test does without waiting for
 * I/O or a timer has happened, so a promise still pending is waiting for something else. Works
 * under fake timers (the macrotask is a message, not a timer).
 */
export async function eventLoopTurn(count = 1): Promise<void> {
  for (let turn = 0; turn < count; turn++) {
    await macrotask();
    // Deno delivers a MessageChannel message before its Web Streams' queued work settles: a timer
    // turn as well there (measured: five web-stream and TextReader cases saw state a turn early).
    if ("Deno" in globalThis) await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

/**
 * Lets only microtasks run (no timer, no I/O, no message) until `condition` holds, and says whether
 * it came to hold before the event loop could move on to its next macrotask. For the few assertions
 * that are about exactly that ordering (a `drain()` that completes "without waiting for a
 * macrotask", a loss that arrives "a macrotask after `close()`"). The bound is a turn count only
 * because time cannot pass without a macrotask; `maxTurns` is far above any chain in this code.
 */
export async function holdsBeforeMacrotask(condition: () => boolean, maxTurns = 1_000): Promise<boolean> {
  for (let turn = 0; turn < maxTurns; turn++) {
    if (condition()) return true;
    await Promise.resolve();
  }
  return condition();
}

/**
 * asyncio's `test_utils.run_briefly()`: lets the event loop run `count` times through its timers
 * (a zero-delay timer each), so work the code under test deferred with a zero timer or
 * `setImmediate` has run. For code that waits on real I/O, wait for a condition instead
 * (`until`, `within`).
 */
export async function runBriefly(count = 1): Promise<void> {
  for (let turn = 0; turn < count; turn++) await sleep(0);
}
