import { StreamReader } from "@asyncstreams/reader";
import { StreamWriter } from "@asyncstreams/writer";
import { StreamReaderProtocol } from "../stream-reader-protocol.js";
import type { Transport } from "../transport.js";
import type { ConformancePair, ConformancePairFactory } from "./conformance-pair.js";
import { describe } from "./_describe.js";
import { Recorder } from "./_recorder.js";
import type { RejectionWatcher } from "./_unhandled-rejections.js";
import { sleep, until, within } from "./_wait.js";

/** The resolved options every case sees. */
export interface Settings {
  readonly halfClose: boolean;
  readonly pauseReading: boolean;
  readonly writeBufferLimits: boolean;
  readonly abortResets: boolean;
  readonly timeout: number;
  readonly settle: number;
  readonly seed: number;
  readonly watch: RejectionWatcher | undefined;
}

/** One end seen through a reader and a writer, with a recorder spying on its protocol. */
export interface Side {
  readonly transport: Transport;
  readonly recorder: Recorder;
  readonly reader: StreamReader;
  readonly writer: StreamWriter;
}

/** A case's body: it gets a fresh pair and must leave both ends closed, checked with `finish()`. */
export type CaseBody = (context: CaseContext) => Promise<void>;

/** What a case body works with: the two ends, recorders, and bounded waits. */
export class CaseContext {
  readonly a: Transport;
  readonly b: Transport;
  readonly settings: Settings;
  readonly #recorders: Recorder[] = [];

  constructor(pair: ConformancePair, settings: Settings) {
    const transports = pair.transports as readonly Transport[] | undefined;
    if (!Array.isArray(transports) || transports.length !== 2) {
      throw new TypeError("Cannot run the conformance case: the factory must return { transports: [a, b] }");
    }
    [this.a, this.b] = pair.transports;
    this.settings = settings;
  }

  /** Gives both ends a recording protocol, as `createStreams()` does: `setProtocol`, then `connectionMade`. */
  attach(): [Recorder, Recorder] {
    return [this.#attach(this.a, new Recorder("a")), this.#attach(this.b, new Recorder("b"))];
  }

  /** Gives both ends a reader (with these limits) and a writer, with recorders spying in between. */
  streams(limits: readonly [number, number] = [65_536, 65_536]): [Side, Side] {
    return [this.#side(this.a, "a", limits[0]), this.#side(this.b, "b", limits[1])];
  }

  /** Closes an end the way a user would, and notes it: nothing may be delivered to it afterwards. */
  close(recorder: Recorder): void {
    recorder.closedLocally = true;
    recorder.transport?.close();
  }

  /** Aborts an end, and notes it. */
  abort(recorder: Recorder): void {
    recorder.closedLocally = true;
    recorder.transport?.abort();
  }

  until(condition: () => boolean, what: string): Promise<void> {
    return until(condition, this.settings.timeout, what);
  }

  within<T>(promise: Promise<T>, what: string): Promise<T> {
    return within(promise, this.settings.timeout, what);
  }

  /** Waits the settle time: long enough for something that should not happen to show up. */
  settle(): Promise<void> {
    return sleep(this.settings.settle);
  }

  /** Fails with `message` unless `condition` holds. */
  expect(condition: boolean, message: string): void {
    if (!condition) throw new Error(message);
  }

  /** Calls `action`, failing with `what` and the error if it throws. */
  mustNotThrow(action: () => void, what: string): void {
    try {
      action();
    } catch (error) {
      throw new Error(`${what} threw ${describe(error)}`, { cause: error });
    }
  }

  /**
   * Closes every end not already closing, waits for each `connectionLost()`, waits the settle
   * time for a second one, and checks every recorder.
   */
  async finish(): Promise<void> {
    for (const recorder of this.#recorders)
      if (recorder.transport !== null && !recorder.transport.isClosing()) this.close(recorder);
    for (const recorder of this.#recorders) {
      await this.until(() => recorder.lostCount > 0, `connectionLost() on end ${recorder.name} after close()`);
    }
    await this.settle();
    for (const recorder of this.#recorders) recorder.check(true);
  }

  /** After a failure: aborts whatever is still open, so that nothing outlives the case. */
  teardown(): void {
    for (const transport of [this.a, this.b]) {
      try {
        if (!transport.isClosing()) transport.abort();
      } catch {
        // The case has already failed; the factory's close() releases the rest.
      }
    }
  }

  #attach(transport: Transport, recorder: Recorder): Recorder {
    this.#recorders.push(recorder);
    transport.setProtocol(recorder);
    recorder.connectionMade(transport);
    return recorder;
  }

  #side(transport: Transport, name: string, limit: number): Side {
    const reader = new StreamReader({ limit });
    const protocol = new StreamReaderProtocol(reader);
    const recorder = this.#attach(transport, new Recorder(name, protocol));
    return { transport, recorder, reader, writer: new StreamWriter(transport, { protocol, reader }) };
  }
}

/**
 * Runs one case on a fresh pair: watches for unhandled rejections, tears down on failure, always
 * calls the factory's `close()`, and reports the first problem.
 */
export async function runCase(factory: ConformancePairFactory, settings: Settings, body: CaseBody): Promise<void> {
  const reasons: unknown[] = [];
  const stopWatching = settings.watch?.((reason) => reasons.push(reason));
  let pair: ConformancePair | undefined;
  let failure: { error: unknown } | undefined;
  try {
    pair = await factory();
    const context = new CaseContext(pair, settings);
    try {
      await body(context);
    } catch (error) {
      context.teardown();
      throw error;
    }
  } catch (error) {
    failure = { error };
  }
  try {
    await pair?.close?.();
  } catch (error) {
    failure ??= { error: new Error(`The factory's close() failed: ${describe(error)}`, { cause: error }) };
  }
  // Unhandled rejections are reported after the microtask queue drains: give them two turns.
  await sleep(0);
  await sleep(0);
  stopWatching?.();
  if (failure !== undefined) throw failure.error;
  if (reasons.length > 0) {
    throw new Error(`A promise was rejected and nobody handled it: ${describe(reasons[0])}`, { cause: reasons[0] });
  }
}
