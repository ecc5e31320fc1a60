import { concat, describeDifference, numberedChunk, sameBytes } from "./_bytes.js";
import { always, type CaseDefinition } from "./_case.js";
import type { CaseContext, Side } from "./_context.js";
import { describe } from "./_describe.js";
import { track } from "./_wait.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Starts `read` with a signal, waits until the reader holds `expected` bytes, aborts, and checks
 * that the read rejected with the very abort reason.
 */
async function abortWhileWaiting(
  context: CaseContext,
  side: Side,
  expected: number,
  read: (signal: AbortSignal) => Promise<Uint8Array>,
  what: string,
): Promise<void> {
  const controller = new AbortController();
  const pending = track(read(controller.signal));
  await context.until(
    () => side.reader.bufferedBytes().length >= expected || pending.settled,
    `${expected} bytes buffered by b's reader during ${what}`,
  );
  context.expect(
    !pending.settled,
    `${what} settled before it was aborted: ${pending.rejected ? describe(pending.error) : "it returned data"}`,
  );
  const reason = new Error(`conformance: ${what} aborted on purpose`);
  controller.abort(reason);
  await context.until(() => pending.settled, `${what} to reject after its signal aborted`);
  context.expect(
    pending.rejected && pending.error === reason,
    `an aborted ${what} did not reject with the signal's reason; got ${pending.rejected ? describe(pending.error) : "a result"}`,
  );
}

export const readCases: readonly CaseDefinition[] = [
  {
    name: "an aborted readLine(), readExactly() or readUntil() consumes nothing, even while the transport is paused",
    applies: always,
    body: async (context) => {
      const [sa, sb] = context.streams([65_536, 64]);
      // readLine(): a partial line, an abort, then the rest of the line.
      sa.writer.write(encoder.encode("partial"));
      await abortWhileWaiting(context, sb, 7, (signal) => sb.reader.readLine({ signal }), "readLine()");
      sa.writer.write(encoder.encode(" rest\n"));
      const line = decoder.decode(await context.within(sb.reader.readLine(), "readLine() after an aborted readLine()"));
      context.expect(
        line === "partial rest\n",
        `readLine() after an aborted readLine() returned ${JSON.stringify(line)}; expected "partial rest\\n"`,
      );
      // readExactly(): more than 2 × limit arrives first, so the reader pauses the transport.
      const body = concat([numberedChunk(1, 300), numberedChunk(2, 700)]);
      sa.writer.write(body.subarray(0, 300));
      await abortWhileWaiting(
        context,
        sb,
        300,
        (signal) => sb.reader.readExactly(1000, { signal }),
        "readExactly(1000)",
      );
      sa.writer.write(body.subarray(300));
      const exact = await context.within(
        sb.reader.readExactly(1000),
        "readExactly(1000) after an aborted readExactly(1000)",
      );
      context.expect(
        sameBytes(exact, body),
        `readExactly() after an aborted readExactly() lost or reordered bytes: ${describeDifference(exact, body)}`,
      );
      // readUntil(): a separator split across two writes, with an abort in between.
      sa.writer.write(encoder.encode("abc\r\n"));
      await abortWhileWaiting(
        context,
        sb,
        5,
        (signal) => sb.reader.readUntil(encoder.encode("\r\n\r\n"), { signal }),
        "readUntil()",
      );
      sa.writer.write(encoder.encode("\r\n"));
      const header = decoder.decode(
        await context.within(
          sb.reader.readUntil(encoder.encode("\r\n\r\n")),
          "readUntil() after an aborted readUntil()",
        ),
      );
      context.expect(
        header === "abc\r\n\r\n",
        `readUntil() after an aborted readUntil() returned ${JSON.stringify(header)}`,
      );
      context.close(sa.recorder);
      await context.within(sa.writer.waitClosed(), "a's waitClosed() after close()");
      const rest = await context.within(sb.reader.read(), "b to read EOF after a closed");
      context.expect(rest.length === 0, `b read ${rest.length} unexpected bytes before EOF`);
      context.close(sb.recorder);
      await context.within(sb.writer.waitClosed(), "b's waitClosed() after close()");
      await context.finish();
    },
  },
];
