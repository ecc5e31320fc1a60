import { describeDifference, isPrefix, numberedChunk, random, randomBytes, sameBytes } from "./_bytes.js";
import { always, type CaseDefinition } from "./_case.js";
import { describe } from "./_describe.js";
import { drainAfterClose } from "./_drain-after-close.js";
import { expectCleanLoss } from "./_expect-clean-loss.js";
import { track } from "./_wait.js";

export const lifecycleCases: readonly CaseDefinition[] = [
  {
    name: "close() flushes buffered data, the peer gets it all before EOF, and connectionLost() comes exactly once on each side",
    applies: always,
    body: async (context) => {
      const { a } = context;
      const [ra, rb] = context.attach();
      const data = randomBytes(256 * 1024, random(context.settings.seed + 1));
      for (let offset = 0; offset < data.length; offset += 8192) a.write(data.subarray(offset, offset + 8192));
      context.close(ra);
      context.expect(a.isClosing(), "isClosing() is false right after close()");
      context.expect(!a.isReading(), "isReading() is true right after close()");
      context.mustNotThrow(() => a.close(), "a second close()");
      await context.until(() => rb.eofCount > 0 || rb.lostCount > 0, "EOF or connectionLost() on b after a.close()");
      context.expect(
        sameBytes(rb.received(), data),
        `b did not receive everything a wrote before close(): ${describeDifference(rb.received(), data)}`,
      );
      await expectCleanLoss(
        context,
        ra,
        "connectionLost() on a after close() flushed",
        "after a clean close(); expected undefined",
      );
      if (rb.lostCount === 0) context.close(rb);
      await expectCleanLoss(
        context,
        rb,
        "connectionLost() on b after b.close()",
        "after a clean close on both sides; expected undefined",
      );
      await context.finish();
    },
  },
  {
    name: "abort() drops buffered data, and connectionLost() comes exactly once on each side",
    applies: always,
    body: async (context) => {
      const { a, b } = context;
      const [ra, rb] = context.attach();
      const data = randomBytes(1024 * 1024, random(context.settings.seed + 2));
      for (let offset = 0; offset < data.length; offset += 65_536) a.write(data.subarray(offset, offset + 65_536));
      context.abort(ra);
      context.expect(a.isClosing(), "isClosing() is false right after abort()");
      context.mustNotThrow(() => a.abort(), "a second abort()");
      context.mustNotThrow(() => a.close(), "close() after abort()");
      await expectCleanLoss(
        context,
        ra,
        "connectionLost() on a after abort()",
        "after its own abort(); asyncio passes None (undefined)",
      );
      await context.until(() => rb.lostCount > 0 || rb.eofCount > 0, "connectionLost() or EOF on b after a.abort()");
      if (rb.lostCount === 0) context.close(rb);
      await context.until(() => rb.lostCount > 0, "connectionLost() on b");
      context.expect(!b.isReading(), "isReading() is true on b after its connection was lost");
      context.expect(
        isPrefix(rb.received(), data),
        `what b received before a.abort() is not a prefix of what a wrote: ${describeDifference(rb.received(), data.subarray(0, rb.bytes))}`,
      );
      await context.finish();
    },
  },
  {
    name: "writes after close() or abort() are dropped without throwing",
    applies: always,
    body: async (context) => {
      const { a, b } = context;
      const [ra, rb] = context.attach();
      context.close(ra);
      context.mustNotThrow(() => a.write(numberedChunk(1, 100)), "write() right after close() with nothing buffered");
      await context.until(() => ra.lostCount > 0, "connectionLost() on a after close()");
      context.mustNotThrow(() => a.write(numberedChunk(2, 100)), "write() after connectionLost()");
      context.mustNotThrow(
        () => a.writeLines([numberedChunk(3, 10), numberedChunk(4, 10)]),
        "writeLines() after connectionLost()",
      );
      await context.until(() => rb.eofCount > 0 || rb.lostCount > 0, "EOF or connectionLost() on b after a.close()");
      await context.settle();
      context.expect(
        rb.bytes === 0,
        `b received ${rb.bytes} bytes written after a.close() with nothing buffered; they must be dropped (asyncio's _conn_lost)`,
      );
      context.abort(rb);
      context.mustNotThrow(() => b.write(numberedChunk(5, 100)), "write() right after abort()");
      await context.until(() => rb.lostCount > 0, "connectionLost() on b after abort()");
      context.mustNotThrow(() => b.write(numberedChunk(6, 100)), "write() after abort() and connectionLost()");
      await context.settle();
      context.expect(ra.bytes === 0, `a received ${ra.bytes} bytes after it closed`);
      context.expect(
        ra.lostWith[0] === undefined && rb.lostWith[0] === undefined,
        `a write after close() or abort() failed the connection: connectionLost() got ${describe(ra.lostWith[0] ?? rb.lostWith[0])}`,
      );
      await context.finish();
    },
  },
  {
    name: "drain() right after close() rejects, because connectionLost() comes within one event-loop turn when nothing is buffered",
    applies: always,
    body: drainAfterClose((context, drained) =>
      context.expect(
        drained.rejected,
        "drain() right after close() resolved: with nothing buffered, connectionLost() must come within one event-loop turn of close() (asyncio's call_soon), so that drain() reports the lost connection",
      ),
    ),
  },
  {
    name: "an exception thrown by dataReceived() fails that end's connection with that exception",
    applies: always,
    body: async (context) => {
      const { a, b } = context;
      const [ra, rb] = context.attach();
      const failure = new Error("conformance: dataReceived() failed on purpose");
      rb.throwOnData = failure;
      a.write(numberedChunk(1, 100));
      await context.until(() => rb.lostCount > 0, "connectionLost() on b after its dataReceived() threw");
      context.expect(
        rb.lostWith[0] === failure,
        `b's connectionLost() got ${describe(rb.lostWith[0])}; expected the very error dataReceived() threw (asyncio's _fatal_error)`,
      );
      context.expect(b.isClosing(), "isClosing() is false on b after its protocol failed");
      await context.until(() => ra.lostCount > 0 || ra.eofCount > 0, "connectionLost() or EOF on a after b failed");
      await context.finish();
    },
  },
  {
    name: "aborting both ends with reads, drains and writes pending leaves no unhandled rejection",
    applies: always,
    body: async (context) => {
      const [sa, sb] = context.streams([65_536, 64]);
      const reading = track(sb.reader.readExactly(16 * 1024 * 1024));
      const waiting = track(sa.reader.read());
      for (let serial = 0; serial < 64; serial++) sa.writer.write(numberedChunk(serial, 16_384));
      const draining = track(sa.writer.drain());
      const closing = [track(sa.writer.waitClosed()), track(sb.writer.waitClosed())];
      context.abort(sa.recorder);
      context.abort(sb.recorder);
      sa.writer.write(numberedChunk(99, 10));
      sb.writer.write(numberedChunk(99, 10));
      await context.until(
        () => reading.settled && waiting.settled && draining.settled,
        "the pending read, read and drain() to settle after both ends aborted",
      );
      await context.until(
        () => closing.every((state) => state.settled),
        "waitClosed() on both ends to settle after abort()",
      );
      context.expect(
        reading.rejected,
        "readExactly() of more than was ever sent did not fail after the connection was aborted",
      );
      await context.finish();
    },
  },
];
