import { IncompleteReadError } from "@asyncstreams/reader";
import { ConnectionLostError } from "@asyncstreams/writer";
import { ConnectionResetError } from "../connection-reset-error.js";
import { numberedChunk } from "./_bytes.js";
import { always, type CaseDefinition } from "./_case.js";
import type { CaseContext } from "./_context.js";
import { describe } from "./_describe.js";
import { drainAfterClose } from "./_drain-after-close.js";
import { track } from "./_wait.js";

/**
 * Checks that `error` is of the class and `code` every transport must use for `event`, so that a
 * user's `catch` does not change with the transport.
 */
function expectError(
  context: CaseContext,
  error: unknown,
  expected: { name: string; code: string; is: (error: unknown) => boolean },
  event: string,
): void {
  const code = (error as { code?: unknown } | null)?.code;
  context.expect(
    expected.is(error) && code === expected.code,
    `${event}: got ${describe(error)}; every transport must report this as ${expected.name} with code "${expected.code}" (keep the runtime's error as its cause)`,
  );
}

const RESET = {
  name: "ConnectionResetError",
  code: "ECONNRESET",
  is: (error: unknown) => error instanceof ConnectionResetError,
};
const INCOMPLETE = {
  name: "IncompleteReadError",
  code: "ERR_INCOMPLETE_READ",
  is: (error: unknown) => error instanceof IncompleteReadError,
};
const LOST = {
  name: "ConnectionLostError",
  code: "ERR_CONNECTION_LOST",
  is: (error: unknown) => error instanceof ConnectionLostError,
};

export const errorCases: readonly CaseDefinition[] = [
  {
    name: "a peer's abort() fails a pending read with ConnectionResetError (ECONNRESET), and later reads and drain() with the same object",
    applies: (settings) => settings.abortResets,
    body: async (context) => {
      const [sa, sb] = context.streams();
      const pending = track(sb.reader.readExactly(1024));
      sa.writer.write(numberedChunk(1, 100));
      await context.until(() => sb.reader.bufferedLength === 100, "b to buffer the 100 bytes a wrote");
      context.abort(sa.recorder);
      await context.until(() => pending.settled, "b's pending readExactly() to settle after a.abort()");
      context.expect(
        pending.rejected,
        "b's pending readExactly() resolved after the peer aborted; it must fail with the reset",
      );
      expectError(context, pending.error, RESET, "b's pending read after a.abort()");
      const again = track(sb.reader.readLine());
      const drained = track(sb.writer.drain());
      await context.until(() => again.settled && drained.settled, "b's next readLine() and drain() to settle");
      context.expect(
        again.error === pending.error && drained.error === pending.error,
        `after a reset, later reads and drain() must throw the very same error object; got ${describe(again.error)} and ${describe(drained.error)}`,
      );
      context.expect(
        sb.reader.bufferedLength === 100,
        `the reset discarded buffered bytes: b's reader holds ${sb.reader.bufferedLength} of the 100 received`,
      );
      context.close(sb.recorder);
      await context.finish();
    },
  },
  {
    name: "EOF in the middle of readExactly() rejects it with IncompleteReadError (ERR_INCOMPLETE_READ) carrying the partial bytes",
    applies: (settings) => settings.halfClose,
    body: async (context) => {
      const [sa, sb] = context.streams();
      const pending = track(sb.reader.readExactly(1000));
      sa.writer.write(numberedChunk(2, 300));
      sa.writer.writeEof();
      await context.until(() => pending.settled, "readExactly(1000) to settle after 300 bytes and EOF");
      expectError(context, pending.error, INCOMPLETE, "readExactly(1000) after 300 bytes and EOF");
      const partial = (pending.error as IncompleteReadError | undefined)?.partial;
      context.expect(
        partial?.length === 300,
        `IncompleteReadError.partial holds ${partial?.length ?? "no"} bytes; expected the 300 received`,
      );
      context.close(sa.recorder);
      context.close(sb.recorder);
      await context.finish();
    },
  },
  {
    name: "drain() after this side's close() rejects with ConnectionLostError (ERR_CONNECTION_LOST)",
    applies: always,
    body: drainAfterClose((context, drained) => expectError(context, drained.error, LOST, "drain() after close()")),
  },
];
