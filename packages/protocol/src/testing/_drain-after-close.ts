import { numberedChunk } from "./_bytes.js";
import type { CaseBody, CaseContext } from "./_context.js";
import { type Tracked, track } from "./_wait.js";

/**
 * The body of a case on `drain()` right after this side's `close()` (with a write after it, which is
 * dropped): `check` judges the settled `drain()`, then `waitClosed()` must settle. Two cases share
 * it: one checks the error's class and code, the other that it rejects at all (asyncio's timing).
 *
 * @param check The case's own assertions on the settled `drain()`.
 */
export function drainAfterClose(check: (context: CaseContext, drained: Tracked<void>) => void): CaseBody {
  return async (context) => {
    const [sa] = context.streams();
    sa.recorder.closedLocally = true;
    sa.writer.close();
    sa.writer.write(numberedChunk(1, 10));
    const drained = track(sa.writer.drain());
    await context.until(() => drained.settled, "drain() after close() to settle");
    check(context, drained);
    await context.within(sa.writer.waitClosed(), "waitClosed() after close()");
    await context.finish();
  };
}
