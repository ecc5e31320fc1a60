// startAndWait(): the abortable "start, then wait for one event" under connectSocket() and listen().
// A plain EventEmitter stands in for the socket or server, so each outcome is driven by hand.
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { rejectionOf, track } from "@asyncstreams/test-utils";
import { startAndWait } from "../src/_start-and-wait.js";

/** The listeners the helper may leave behind: none, once it settled. */
function listenersOn(emitter: EventEmitter): number {
  return emitter.listenerCount("ready") + emitter.listenerCount("error");
}

describe("startAndWait()", () => {
  it("resolves with the emitter on the event and removes its listeners, the abort one included", async () => {
    const emitter = new EventEmitter();
    const controller = new AbortController();
    let stopped = 0;
    const waiting = startAndWait(
      controller.signal,
      () => emitter,
      "ready",
      (error) => error,
      () => stopped++,
    );
    emitter.emit("ready");
    await expect(waiting).resolves.toBe(emitter);
    expect(listenersOn(emitter)).toBe(0);
    controller.abort(new Error("too late"));
    expect(stopped).toBe(0);
  });

  it("rejects with toError() of the first 'error', and leaves a later 'error' to the emitter's owner", async () => {
    const emitter = new EventEmitter();
    const failure = new Error("bind failed");
    const waiting = startAndWait(
      undefined,
      () => emitter,
      "ready",
      (error) => new RangeError("mapped", { cause: error }),
      () => undefined,
    );
    emitter.emit("error", failure);
    const error = await rejectionOf(waiting);
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).cause).toBe(failure);
    expect(listenersOn(emitter)).toBe(0);
    expect(() => emitter.emit("error", new Error("later"))).toThrow("later");
  });

  it("on an abort calls stop() once and rejects with the signal's reason", async () => {
    const emitter = new EventEmitter();
    const controller = new AbortController();
    const stopped: EventEmitter[] = [];
    const waiting = track(
      startAndWait(
        controller.signal,
        () => emitter,
        "ready",
        (error) => error,
        (e) => stopped.push(e),
      ),
    );
    const reason = new Error("cancelled");
    controller.abort(reason);
    expect(await rejectionOf(waiting.promise)).toBe(reason);
    expect(stopped).toEqual([emitter]);
    expect(listenersOn(emitter)).toBe(0);
    emitter.emit("ready"); // too late: nothing changes
    expect(waiting.rejected).toBe(true);
  });

  it("with an already aborted signal rejects with its reason without starting anything", async () => {
    let started = 0;
    const reason = new Error("aborted before");
    const waiting = startAndWait(
      AbortSignal.abort(reason),
      () => {
        started++;
        return new EventEmitter();
      },
      "ready",
      (error) => error,
      () => undefined,
    );
    expect(await rejectionOf(waiting)).toBe(reason);
    expect(started).toBe(0);
  });

  it("rejects with what start() throws, before any listener is added", async () => {
    const thrown = new TypeError("bad options");
    const controller = new AbortController();
    const waiting = startAndWait(
      controller.signal,
      () => {
        throw thrown;
      },
      "ready",
      (error) => error,
      () => undefined,
    );
    expect(await rejectionOf(waiting)).toBe(thrown);
    controller.abort(); // no abort listener was left behind to call stop() on nothing
  });
});
