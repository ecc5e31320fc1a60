import { describe, expect, it } from "vitest";
import { ConnectionLostError } from "@asyncstreams/writer";
import { FlowControl } from "@asyncstreams/protocol";
import { eventLoopTurn, track, until } from "@asyncstreams/test-utils";

describe("FlowControl", () => {
  it("isWritingPaused() follows pauseWriting() and resumeWriting()", () => {
    const flow = new FlowControl();
    expect(flow.isWritingPaused()).toBe(false);
    flow.pauseWriting();
    expect(flow.isWritingPaused()).toBe(true);
    flow.resumeWriting();
    expect(flow.isWritingPaused()).toBe(false);
  });

  it("isWritingPaused() is false once the connection is lost or writing failed: a drain then rejects instead of waiting", async () => {
    for (const end of [
      (flow: FlowControl) => flow.connectionLost(undefined),
      (flow: FlowControl) => flow.connectionLost(new Error("reset")),
      (flow: FlowControl) => flow.failWriting(new Error("reset")),
    ]) {
      const flow = new FlowControl();
      flow.pauseWriting();
      const waiting = flow.drainHelper().catch(() => "rejected");
      end(flow);
      expect(flow.isWritingPaused()).toBe(false);
      await waiting;
      await expect(flow.drainHelper()).rejects.toBeDefined();
    }
  });

  it("drainHelper() resolves at once while writing is not paused", async () => {
    const flow = new FlowControl();
    const drained = track(flow.drainHelper());
    await eventLoopTurn();
    expect(drained.settled).toBe(true);
    expect(drained.rejected).toBe(false);
  });

  it("drainHelper() waits while writing is paused and resolves on resumeWriting()", async () => {
    const flow = new FlowControl();
    flow.pauseWriting();
    const drained = track(flow.drainHelper());
    await eventLoopTurn();
    expect(drained.settled).toBe(false);
    flow.resumeWriting();
    await eventLoopTurn();
    expect(drained.settled).toBe(true);
    expect(drained.rejected).toBe(false);
  });

  it("ten concurrent drainHelper() waiters are all released by one resumeWriting() (test_multiple_drain, gh-74116)", async () => {
    const flow = new FlowControl();
    flow.pauseWriting();
    let counter = 0;
    const all = Promise.all(
      Array.from({ length: 10 }, async () => {
        await flow.drainHelper();
        counter += 1;
      }),
    );
    await eventLoopTurn();
    expect(counter).toBe(0);
    setTimeout(() => flow.resumeWriting(), 0); // asyncio's loop.call_later(0.1, stream.resume_writing)
    await until(() => counter === 10, 5_000, "the ten drain waiters");
    expect(counter).toBe(10);
    await all;
  });

  it("drainHelper() after resumeWriting() resolves at once again", async () => {
    const flow = new FlowControl();
    flow.pauseWriting();
    flow.resumeWriting();
    const drained = track(flow.drainHelper());
    await eventLoopTurn();
    expect(drained.settled).toBe(true);
  });

  it("pauseWriting() twice needs only one resumeWriting(), and resumeWriting() without a pause is ignored", async () => {
    const flow = new FlowControl();
    flow.resumeWriting(); // asyncio asserts here; ignored by design
    await expect(flow.drainHelper()).resolves.toBeUndefined();
    flow.pauseWriting();
    flow.pauseWriting();
    const drained = track(flow.drainHelper());
    flow.resumeWriting();
    await eventLoopTurn();
    expect(drained.settled).toBe(true);
  });

  it("a waiter that arrives after a resume and a new pause waits for the next resume", async () => {
    const flow = new FlowControl();
    flow.pauseWriting();
    const first = track(flow.drainHelper());
    flow.resumeWriting();
    flow.pauseWriting();
    const second = track(flow.drainHelper());
    await eventLoopTurn();
    expect(first.settled).toBe(true);
    expect(second.settled).toBe(false);
    flow.resumeWriting();
    await eventLoopTurn();
    expect(second.settled).toBe(true);
  });

  it("connectionLost(undefined) while paused resolves the pending waiters and later drainHelper() throws ConnectionLostError", async () => {
    const flow = new FlowControl();
    flow.pauseWriting();
    const waiters = [track(flow.drainHelper()), track(flow.drainHelper())];
    flow.connectionLost(undefined);
    await eventLoopTurn();
    for (const waiter of waiters) {
      expect(waiter.settled).toBe(true);
      expect(waiter.rejected).toBe(false);
    }
    const later = flow.drainHelper();
    await expect(later).rejects.toBeInstanceOf(ConnectionLostError);
    await expect(flow.drainHelper()).rejects.toThrow("Connection lost");
  });

  it("connectionLost(error) while paused rejects every pending waiter with that error", async () => {
    const flow = new FlowControl();
    flow.pauseWriting();
    const waiters = [track(flow.drainHelper()), track(flow.drainHelper()), track(flow.drainHelper())];
    const error = new Error("broken pipe");
    flow.connectionLost(error);
    await eventLoopTurn();
    for (const waiter of waiters) {
      expect(waiter.rejected).toBe(true);
      expect(waiter.error).toBe(error);
    }
    await expect(flow.drainHelper()).rejects.toBeInstanceOf(ConnectionLostError);
  });

  it("drainHelper() throws ConnectionLostError after the connection was lost while not paused", async () => {
    const flow = new FlowControl();
    flow.connectionLost(undefined);
    await expect(flow.drainHelper()).rejects.toBeInstanceOf(ConnectionLostError);
    const other = new FlowControl();
    other.connectionLost(new Error("reset"));
    await expect(other.drainHelper()).rejects.toBeInstanceOf(ConnectionLostError);
  });

  it("a resumeWriting() after connectionLost() does not revive drainHelper()", async () => {
    const flow = new FlowControl();
    flow.pauseWriting();
    flow.connectionLost(undefined);
    flow.resumeWriting();
    await expect(flow.drainHelper()).rejects.toBeInstanceOf(ConnectionLostError);
  });

  it("an aborted signal rejects only its own waiter with signal.reason; the others still wake on resume", async () => {
    const flow = new FlowControl();
    flow.pauseWriting();
    const controller = new AbortController();
    const before = track(flow.drainHelper());
    const aborted = track(flow.drainHelper(controller.signal));
    const after = track(flow.drainHelper(new AbortController().signal));
    const reason = new Error("timed out");
    controller.abort(reason);
    await eventLoopTurn();
    expect(aborted.rejected).toBe(true);
    expect(aborted.error).toBe(reason);
    expect(before.settled).toBe(false);
    expect(after.settled).toBe(false);
    flow.resumeWriting();
    await eventLoopTurn();
    expect(before.settled && !before.rejected).toBe(true);
    expect(after.settled && !after.rejected).toBe(true);
  });

  it("an already-aborted signal rejects at once with its reason while paused", async () => {
    const flow = new FlowControl();
    flow.pauseWriting();
    const reason = new Error("already aborted");
    await expect(flow.drainHelper(AbortSignal.abort(reason))).rejects.toBe(reason);
    flow.resumeWriting();
  });

  it("an abort after the waiter was released changes nothing", async () => {
    const flow = new FlowControl();
    flow.pauseWriting();
    const controller = new AbortController();
    const drained = track(flow.drainHelper(controller.signal));
    flow.resumeWriting();
    await eventLoopTurn();
    controller.abort(new Error("too late"));
    await eventLoopTurn();
    expect(drained.settled).toBe(true);
    expect(drained.rejected).toBe(false);
  });

  it.each([
    ["a string", "oops"],
    ["an AbortController", new AbortController()],
    ["null", null],
  ])(
    "drainHelper() with %s for a signal rejects with a TypeError and registers no waiter: the next resume releases the others",
    async (_, signal) => {
      const flow = new FlowControl();
      flow.pauseWriting();
      const other = track(flow.drainHelper());
      const error = await flow.drainHelper(signal as never).catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/^Cannot drain: signal should be an AbortSignal/);
      expect(() => flow.resumeWriting()).not.toThrow();
      await eventLoopTurn();
      expect(other.settled).toBe(true);
      expect(other.rejected).toBe(false);
    },
  );

  it("failWriting(error) rejects every waiting drain with that very object, and every later one, paused or not", async () => {
    const flow = new FlowControl();
    flow.pauseWriting();
    const first = track(flow.drainHelper());
    const second = track(flow.drainHelper());
    const reset = new Error("closed with 1011");
    flow.failWriting(reset);
    flow.failWriting(new Error("ignored: the first failure stands"));
    await eventLoopTurn();
    expect([first.error, second.error]).toEqual([reset, reset]);
    expect(first.error).toBe(reset);
    flow.resumeWriting();
    expect(await flow.drainHelper().catch((reason: unknown) => reason)).toBe(reset);
    flow.connectionLost(reset); // the transport's held-back loss, once the reader caught up
    expect(await flow.drainHelper().catch((reason: unknown) => reason)).toBe(reset);
  });
});
