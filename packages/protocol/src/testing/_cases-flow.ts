import type { Transport } from "../transport.js";
import { concat, describeDifference, numberedChunk, sameBytes } from "./_bytes.js";
import type { CaseDefinition } from "./_case.js";
import type { CaseContext, Side } from "./_context.js";
import { describe } from "./_describe.js";
import type { Recorder } from "./_recorder.js";
import { holdsWithin, sleep, track } from "./_wait.js";

/** No transport needs this much before back-pressure shows: a bound on every fill loop. */
const FILL_CAP = 32 * 1024 * 1024;
/** Let I/O run after this many bytes written in a row. */
const YIELD_EVERY = 64 * 1024;

/**
 * Writes numbered chunks on `transport` until `recorder` sees `pauseWriting()` and writing stays
 * paused for the settle time (buffers between the ends may absorb more after a first pause, and
 * the transport may then resume); returns what was written.
 */
async function fillUntilPaused(
  context: CaseContext,
  transport: Transport,
  recorder: Recorder,
  size: number,
): Promise<Uint8Array[]> {
  const written: Uint8Array[] = [];
  let total = 0;
  let sinceYield = 0;
  for (;;) {
    while (!recorder.writingPaused) {
      if (total >= FILL_CAP) {
        const pauses = recorder.pauseSizes.length;
        throw new Error(
          pauses === 0
            ? `pauseWriting() never came: ${total} bytes were written to an end whose peer paused reading (high-water mark ${transport.getWriteBufferLimits().high})`
            : `writing never stayed paused: ${total} bytes were written to an end whose peer paused reading, and each of ${pauses} pauseWriting() calls was followed by resumeWriting()`,
        );
      }
      const chunk = numberedChunk(written.length, size);
      transport.write(chunk);
      written.push(chunk);
      total += size;
      sinceYield += size;
      if (sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await sleep(0);
      }
    }
    // Stuck only if no resumeWriting() comes within the settle time.
    if (!(await holdsWithin(() => !recorder.writingPaused, context.settings.settle))) return written;
  }
}

/**
 * Writes numbered chunks through `from` and drains after each, until a `drain()` stays pending for
 * the settle time while `to` is not reading; returns what was written and the pending drain.
 */
async function fillUntilDrainWaits(context: CaseContext, from: Side, label: string) {
  const written: Uint8Array[] = [];
  let total = 0;
  let sinceYield = 0;
  for (;;) {
    if (total >= FILL_CAP) {
      throw new Error(
        `${label}: drain() never waited: ${total} bytes were written to a peer whose reader stopped reading, and drain() completed every time; the receiving end must honour pauseReading() and the sending end must call pauseWriting() above its high-water mark`,
      );
    }
    const chunk = numberedChunk(written.length, 4096);
    from.writer.write(chunk);
    written.push(chunk);
    total += chunk.length;
    sinceYield += chunk.length;
    const drained = track(from.writer.drain());
    for (let turn = 0; turn < 10 && !drained.settled; turn++) await Promise.resolve();
    if (drained.settled) {
      if (drained.rejected)
        throw new Error(`${label}: drain() failed while filling the pipe: ${describe(drained.error)}`, {
          cause: drained.error,
        });
      if (sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await sleep(0);
      }
      continue;
    }
    sinceYield = 0;
    if (!(await holdsWithin(() => drained.settled, context.settings.settle)))
      return { written: concat(written), drained };
    if (drained.rejected)
      throw new Error(`${label}: drain() failed while filling the pipe: ${describe(drained.error)}`, {
        cause: drained.error,
      });
  }
}

export const flowCases: readonly CaseDefinition[] = [
  {
    name: "pauseReading() holds back dataReceived() until resumeReading()",
    applies: (settings) => settings.pauseReading,
    body: async (context) => {
      const { a, b } = context;
      const [, rb] = context.attach();
      const sent: Uint8Array[] = [];
      for (let round = 0; round < 4; round++) {
        b.pauseReading();
        rb.readingPaused = true;
        context.expect(!b.isReading(), "isReading() is true after pauseReading()");
        context.mustNotThrow(() => b.pauseReading(), "a second pauseReading()");
        const before = rb.bytes;
        const chunk = numberedChunk(round, 1000 + round);
        a.write(chunk);
        sent.push(chunk);
        await context.settle();
        context.expect(
          rb.bytes === before,
          `dataReceived() delivered ${rb.bytes - before} bytes while reading was paused`,
        );
        rb.readingPaused = false;
        b.resumeReading();
        context.expect(b.isReading(), "isReading() is false after resumeReading()");
        context.mustNotThrow(() => b.resumeReading(), "a second resumeReading()");
        await context.until(
          () => rb.bytes >= before + chunk.length,
          "the data held back by pauseReading() to arrive after resumeReading()",
        );
      }
      const expected = concat(sent);
      context.expect(
        sameBytes(rb.received(), expected),
        `data held back by pauseReading() did not arrive intact: ${describeDifference(rb.received(), expected)}`,
      );
      await context.finish();
    },
  },
  {
    name: "pauseReading() throws NotImplementedError where pausing is not supported",
    applies: (settings) => !settings.pauseReading,
    body: async (context) => {
      context.attach();
      let threw: unknown;
      try {
        context.b.pauseReading();
      } catch (error) {
        threw = error;
      }
      const code = (threw as { code?: unknown } | undefined)?.code;
      context.expect(
        code === "ERR_NOT_IMPLEMENTED",
        `pauseReading() did not throw NotImplementedError (code ERR_NOT_IMPLEMENTED) on a transport declared unable to pause; got ${describe(threw)}`,
      );
      await context.finish();
    },
  },
  {
    name: "pauseWriting() comes above the high-water mark while the peer does not read, and resumeWriting() at the low-water mark once it does",
    applies: (settings) => settings.writeBufferLimits && settings.pauseReading,
    body: async (context) => {
      const { a, b } = context;
      const [ra, rb] = context.attach();
      a.setWriteBufferLimits({ high: 4096, low: 1024 });
      b.pauseReading();
      const written = concat(await fillUntilPaused(context, a, ra, 1024));
      b.resumeReading();
      await context.until(() => !ra.writingPaused, "resumeWriting() on a after b resumed reading");
      const early = ra.pauseSizes.find((size) => !(size > 4096));
      context.expect(
        early === undefined,
        `pauseWriting() came with getWriteBufferSize() = ${early}; it must come when the buffer rises strictly above the high-water mark (4096)`,
      );
      const late = ra.resumeSizes.find((size) => !(size <= 1024));
      context.expect(
        late === undefined,
        `resumeWriting() came with getWriteBufferSize() = ${late}; it must come when the buffer falls to or below the low-water mark (1024)`,
      );
      await context.until(
        () => rb.bytes >= written.length,
        `all ${written.length} bytes on b after it resumed reading (${rb.bytes} arrived)`,
      );
      context.expect(
        sameBytes(rb.received(), written),
        `the data written while b was paused did not arrive intact: ${describeDifference(rb.received(), written)}`,
      );
      await context.finish();
    },
  },
  {
    name: "drain() waits while the peer's reader is full and completes once it reads, both ways",
    applies: (settings) => settings.writeBufferLimits && settings.pauseReading,
    body: async (context) => {
      const [sa, sb] = context.streams([1024, 1024]);
      for (const [from, to, label] of [
        [sa, sb, "a to b"],
        [sb, sa, "b to a"],
      ] as const) {
        from.transport.setWriteBufferLimits({ high: 16_384 });
        const { written, drained } = await fillUntilDrainWaits(context, from, label);
        context.expect(
          from.recorder.writingPaused,
          `${label}: drain() waited although the sender's protocol never got pauseWriting()`,
        );
        const received = await context.within(
          to.reader.readExactly(written.length),
          `${label}: the receiver to read all ${written.length} bytes`,
        );
        await context.within(drained.promise, `${label}: drain() to complete once the receiver read`);
        context.expect(
          sameBytes(received, written),
          `${label}: the data did not arrive intact: ${describeDifference(received, written)}`,
        );
      }
      await context.finish();
    },
  },
];
