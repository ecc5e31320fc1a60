import { describe, expect, it, vi } from "vitest";
import { IncompleteReadError, LimitOverrunError, ReadInProgressError, StreamReader } from "@asyncstreams/reader";
import { bytes, eventLoopTurn, rejectionOf, text, track } from "@asyncstreams/test-utils";
import { ValueError, buffered } from "./_helpers.js";

interface AbortCase {
  readonly name: string;
  readonly start: (reader: StreamReader, signal?: AbortSignal) => Promise<Uint8Array>;
  /** Fed while the read waits, without completing it. */
  readonly partial: string;
  /** Completes the read (with EOF after it when `eof`). */
  readonly rest: string;
  readonly eof: boolean;
  /** What the read returns once `partial + rest` arrived. */
  readonly result: string;
}

const methods: readonly AbortCase[] = [
  {
    name: "read(n)",
    start: (reader, signal) => reader.read(5, { signal }),
    partial: "",
    rest: "hello",
    eof: false,
    result: "hello",
  },
  {
    name: "read(-1)",
    start: (reader, signal) => reader.read(-1, { signal }),
    partial: "hel",
    rest: "lo",
    eof: true,
    result: "hello",
  },
  {
    name: "readLine()",
    start: (reader, signal) => reader.readLine({ signal }),
    partial: "hel",
    rest: "lo\n",
    eof: false,
    result: "hello\n",
  },
  {
    name: "readExactly(n)",
    start: (reader, signal) => reader.readExactly(5, { signal }),
    partial: "hel",
    rest: "lo",
    eof: false,
    result: "hello",
  },
  {
    name: "readUntil(separator)",
    start: (reader, signal) => reader.readUntil(bytes("\r\n"), { signal }),
    partial: "hello\r",
    rest: "\n",
    eof: false,
    result: "hello\r\n",
  },
  {
    name: "readUntil([separators])",
    start: (reader, signal) => reader.readUntil([bytes("\r\n"), bytes("\n\n")], { signal }),
    partial: "hi\n",
    rest: "\n",
    eof: false,
    result: "hi\n\n",
  },
];

function feedRest(reader: StreamReader, method: AbortCase): void {
  reader.feedData(bytes(method.rest));
  if (method.eof) reader.feedEof();
}

describe.each(methods)("aborting $name", (method) => {
  it("with an already-aborted signal rejects with signal.reason and consumes nothing, even when the data is there", async () => {
    const reader = new StreamReader();
    reader.feedData(bytes(method.partial + method.rest));
    if (method.eof) reader.feedEof();
    const reason = new Error("stop");
    const error = await rejectionOf(method.start(reader, AbortSignal.abort(reason)));
    expect(error).toBe(reason);
    expect(buffered(reader)).toBe(method.partial + method.rest);
    expect(text(await method.start(reader))).toBe(method.result);
  });

  it("while it waits rejects with the reason, consumes nothing, and a new read can start at once and gets every byte", async () => {
    const reader = new StreamReader();
    const controller = new AbortController();
    const reason = new Error("stop");
    const aborted = track(method.start(reader, controller.signal));
    await eventLoopTurn();
    expect(aborted.settled).toBe(false);
    expect(String(reader)).toContain("waiter=<Promise pending>");
    controller.abort(reason);
    const next = track(method.start(reader)); // synchronously: the aborted read's waiter is gone
    await eventLoopTurn();
    expect(aborted.rejected).toBe(true);
    expect(aborted.error).toBe(reason);
    expect(next.settled).toBe(false);
    reader.feedData(bytes(method.partial));
    feedRest(reader, method);
    expect(text(await next.promise)).toBe(method.result);
  });

  it("after part of the data was fed rejects with the reason and leaves that part buffered for the next read", async () => {
    const reader = new StreamReader();
    const controller = new AbortController();
    const reason = new Error("stop");
    const aborted = track(method.start(reader, controller.signal));
    reader.feedData(bytes(method.partial));
    await eventLoopTurn();
    expect(aborted.settled).toBe(false);
    controller.abort(reason);
    await eventLoopTurn();
    expect(aborted.error).toBe(reason);
    expect(buffered(reader)).toBe(method.partial);
    const next = method.start(reader);
    feedRest(reader, method);
    expect(text(await next)).toBe(method.result);
  });

  it("then more data arriving stays buffered, in order, and the aborted read stays rejected", async () => {
    const reader = new StreamReader();
    const controller = new AbortController();
    const reason = new Error("stop");
    const aborted = track(method.start(reader, controller.signal));
    reader.feedData(bytes(method.partial));
    await eventLoopTurn();
    controller.abort(reason);
    feedRest(reader, method);
    await eventLoopTurn();
    expect(aborted.rejected).toBe(true);
    expect(aborted.error).toBe(reason);
    expect(buffered(reader)).toBe(method.partial + method.rest);
    expect(text(await method.start(reader))).toBe(method.result);
  });

  it.each([
    ["a string", "just a string"],
    ["a plain object", { why: "object reason" }],
    ["an IncompleteReadError", new IncompleteReadError(bytes("xy"), null)],
    ["a LimitOverrunError", new LimitOverrunError("Separator is found, but chunk is longer than limit", 0)],
  ] as const)("rejects with the very reason object when the reason is %s, waiting or not", async (_kind, reason) => {
    const reader = new StreamReader();
    reader.feedData(bytes(method.partial));
    expect(await rejectionOf(method.start(reader, AbortSignal.abort(reason)))).toBe(reason);
    expect(buffered(reader)).toBe(method.partial);

    const controller = new AbortController();
    const waiting = method.start(reader, controller.signal);
    await eventLoopTurn();
    controller.abort(reason);
    expect(await rejectionOf(waiting)).toBe(reason);
    expect(buffered(reader)).toBe(method.partial);
  });

  it("without a reason rejects with the signal's default AbortError, the same object as signal.reason", async () => {
    const reader = new StreamReader();
    const controller = new AbortController();
    const waiting = method.start(reader, controller.signal);
    await eventLoopTurn();
    controller.abort();
    const error = await rejectionOf(waiting);
    expect(error).toBe(controller.signal.reason);
    expect((error as Error).name).toBe("AbortError");
  });
});

describe("StreamReader abort, beyond the single read", () => {
  it("aborting after the read completed changes nothing, and the next read waits normally", async () => {
    const reader = new StreamReader();
    const controller = new AbortController();
    reader.feedData(bytes("ab"));
    expect(text(await reader.read(2, { signal: controller.signal }))).toBe("ab");
    const next = track(reader.readLine());
    await eventLoopTurn();
    controller.abort(new Error("late"));
    await eventLoopTurn();
    expect(next.settled).toBe(false);
    reader.feedData(bytes("c\n"));
    expect(text(await next.promise)).toBe("c\n");
  });

  it("an aborted read rejects with its reason while another read waits, and does not disturb it", async () => {
    const reader = new StreamReader();
    const waiting = track(reader.readExactly(3));
    await eventLoopTurn();
    const reason = new Error("stop");
    expect(await rejectionOf(reader.readLine({ signal: AbortSignal.abort(reason) }))).toBe(reason);
    const controller = new AbortController();
    const second = reader.read(1, { signal: controller.signal });
    expect(await rejectionOf(second)).toBeInstanceOf(ReadInProgressError);
    reader.feedData(bytes("abc"));
    expect(text(await waiting.promise)).toBe("abc");
  });

  it("one signal can serve a sequence of reads, and aborting it stops only the read that is waiting", async () => {
    const reader = new StreamReader();
    const controller = new AbortController();
    const { signal } = controller;
    reader.feedData(bytes("one\ntwo\nthr"));
    expect(text(await reader.readLine({ signal }))).toBe("one\n");
    expect(text(await reader.readLine({ signal }))).toBe("two\n");
    const third = reader.readLine({ signal });
    await eventLoopTurn();
    const reason = new Error("enough");
    controller.abort(reason);
    expect(await rejectionOf(third)).toBe(reason);
    expect(await rejectionOf(reader.readLine({ signal }))).toBe(reason);
    reader.feedData(bytes("ee\n"));
    expect(text(await reader.readLine())).toBe("three\n");
  });

  it("a stored exception rejects a waiting read that has a signal, and a later abort does not replace it", async () => {
    const reader = new StreamReader();
    const controller = new AbortController();
    const waiting = track(reader.readLine({ signal: controller.signal }));
    await eventLoopTurn();
    const error = new ValueError();
    reader.setException(error);
    controller.abort(new Error("late"));
    await eventLoopTurn();
    expect(waiting.error).toBe(error);
  });

  it("data and an abort arriving in the same turn lose no byte: the read returns it or leaves it buffered", async () => {
    for (const [name, start] of [
      ["read", (reader: StreamReader, signal: AbortSignal) => reader.read(10, { signal })],
      ["readLine", (reader: StreamReader, signal: AbortSignal) => reader.readLine({ signal })],
      ["readExactly", (reader: StreamReader, signal: AbortSignal) => reader.readExactly(2, { signal })],
    ] as const) {
      const reader = new StreamReader();
      const controller = new AbortController();
      const read = track(start(reader, controller.signal));
      await eventLoopTurn();
      reader.feedData(bytes("x\n"));
      controller.abort(new Error("stop"));
      await eventLoopTurn();
      expect(read.settled, name).toBe(true);
      const returned = read.rejected ? "" : text(read.value!);
      expect(returned + buffered(reader), name).toBe("x\n");
    }
  });

  it("does not leave abort listeners behind on a long-lived signal", async () => {
    const reader = new StreamReader();
    const { signal } = new AbortController();
    const added = vi.spyOn(signal, "addEventListener");
    const removed = vi.spyOn(signal, "removeEventListener");
    for (let round = 0; round < 20; round++) {
      const line = reader.readLine({ signal });
      await eventLoopTurn();
      reader.feedData(bytes(`${round}\n`));
      expect(text(await line)).toBe(`${round}\n`);
    }
    const error = new ValueError();
    const failing = reader.readExactly(1, { signal });
    await eventLoopTurn();
    reader.setException(error);
    expect(await rejectionOf(failing)).toBe(error);
    expect(added).toHaveBeenCalledTimes(21);
    expect(removed).toHaveBeenCalledTimes(21);
  });
});
