import { describe, expect, it } from "vitest";
import { deliverEof } from "@asyncstreams/protocol";
import type { Protocol } from "@asyncstreams/protocol";

/** A transport's two EOF outcomes, recorded. */
function outcomes(): { calls: string[]; close(): void; fail(error: unknown): void } {
  const calls: string[] = [];
  return { calls, close: () => calls.push("close"), fail: (error) => calls.push(`fail ${String(error)}`) };
}

function protocolReturning(result: () => unknown): Protocol {
  return { eofReceived: result } as unknown as Protocol;
}

describe("deliverEof()", () => {
  it("keeps the connection half-open only when eofReceived() returns true", () => {
    const transport = outcomes();
    expect(
      deliverEof(
        protocolReturning(() => true),
        transport,
      ),
    ).toBe(true);
    expect(transport.calls).toEqual([]);
  });

  it.each([false, undefined, 1, "yes"])(
    "closes the transport when eofReceived() returns %s (asyncio: only a true value keeps it open)",
    (value) => {
      const transport = outcomes();
      expect(
        deliverEof(
          protocolReturning(() => value),
          transport,
        ),
      ).toBe(false);
      expect(transport.calls).toEqual(["close"]);
    },
  );

  it("fails the connection with the exception eofReceived() throws, without closing it cleanly", () => {
    const transport = outcomes();
    const kept = deliverEof(
      protocolReturning(() => {
        throw new Error("boom");
      }),
      transport,
    );
    expect(kept).toBe(false);
    expect(transport.calls).toEqual(["fail Error: boom"]);
  });

  it("closes the transport when there is no protocol", () => {
    const transport = outcomes();
    expect(deliverEof(null, transport)).toBe(false);
    expect(transport.calls).toEqual(["close"]);
  });
});
