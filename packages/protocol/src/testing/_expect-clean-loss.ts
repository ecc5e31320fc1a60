import type { CaseContext } from "./_context.js";
import { describe } from "./_describe.js";
import type { Recorder } from "./_recorder.js";

/**
 * Waits for `recorder`'s `connectionLost()` and checks that it came without an error, as asyncio
 * passes `None` after a clean close or an end's own `abort()`.
 *
 * @param waitingFor What the wait is for, for its timeout message.
 * @param after The end of the failure message, after `<end>'s connectionLost() got <value>`.
 */
export async function expectCleanLoss(
  context: CaseContext,
  recorder: Recorder,
  waitingFor: string,
  after: string,
): Promise<void> {
  await context.until(() => recorder.lostCount > 0, waitingFor);
  context.expect(
    recorder.lostWith[0] === undefined,
    `${recorder.name}'s connectionLost() got ${describe(recorder.lostWith[0])} ${after}`,
  );
}
