import { runInNewContext } from "node:vm";
import { setFlagsFromString } from "node:v8";
import { describe, expect, it } from "vitest";
import { openConnection, startServer } from "@asyncstreams/net";
import type { SocketTransport } from "@asyncstreams/net";
import { bytes, text, until, within } from "@asyncstreams/test-utils";
import { HOST, closeServerAtEnd, portOf } from "@asyncstreams/test-utils/node";
import { openFds } from "./_reliability-child.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Live resources by type (`TCPSocketWrap`, `Timeout`, ...), as process.getActiveResourcesInfo() lists them. */
function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

describe("connection churn (C7)", () => {
  it("C7: 3,000 connect / line / close cycles (a third of them reset) leave fds, handles and heap at their baseline", {
    timeout: 30_000,
  }, async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(`${warning.name}: ${warning.message}`);
    };
    process.on("warning", onWarning);
    let handled = 0;
    const failures: unknown[] = [];
    const server = await startServer(
      async (reader, writer) => {
        try {
          const line = await reader.readLine();
          writer.write(line);
          await writer.drain();
        } catch (error) {
          // A client that resets mid-cycle: ECONNRESET is its outcome, anything else is a failure.
          if ((error as { code?: unknown }).code !== "ECONNRESET") failures.push(error);
        } finally {
          writer.close();
          handled++;
        }
      },
      { host: HOST, port: 0, backlog: 511, onError: (error) => failures.push(error) },
    );
    closeServerAtEnd(server);
    const port = portOf(server);

    const cycle = async (i: number): Promise<void> => {
      // Source addresses rotate over 127.0.0.2-9, as reliability.md advises against TIME_WAIT exhaustion.
      const { reader, writer } = await openConnection({ host: HOST, port, localAddress: `127.0.0.${2 + (i % 8)}` });
      writer.write(bytes(`cycle ${i}\n`));
      if (i % 3 === 2) {
        (writer.transport as SocketTransport).abort();
      } else {
        expect(text(await reader.readLine())).toBe(`cycle ${i}\n`);
        expect(await reader.read()).toEqual(new Uint8Array(0)); // the server closed its side
        writer.close();
      }
      await writer.waitClosed();
    };
    const run = async (from: number, count: number, inFlight: number): Promise<void> => {
      let next = from;
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (next < from + count) await cycle(next++);
        }),
      );
    };
    const settle = async (handledTarget: number): Promise<void> => {
      await until(() => handled === handledTarget, 10_000, `${handledTarget} handlers to finish`);
      await until(() => (resources()["TCPSocketWrap"] ?? 0) === 0, 10_000, "every TCP socket to close");
      for (let i = 0; i < 3; i++) {
        gc();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };

    await within(run(0, 200, 50), 15_000, "200 warm-up cycles");
    await settle(200);
    const fdsBefore = openFds();
    const resourcesBefore = resources();
    const heapBefore = process.memoryUsage().heapUsed;

    await within(run(200, 3_000, 50), 25_000, "3,000 cycles");
    await settle(3_200);
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    process.off("warning", onWarning);

    expect(failures).toEqual([]);
    expect(Math.abs(openFds() - fdsBefore)).toBeLessThanOrEqual(5);
    // Handles of every kind come back to their count; timers may differ by the test runner's own few.
    const { Timeout: timersAfter = 0, ...handlesAfter } = resources();
    const { Timeout: timersBefore = 0, ...handlesBefore } = resourcesBefore;
    expect(handlesAfter).toEqual(handlesBefore);
    expect(timersAfter).toBeLessThanOrEqual(timersBefore + 5);
    // A leak of even 1 KiB per connection would show as 3 MiB here.
    expect(heapGrowth).toBeLessThan(2 * 1024 * 1024);
    expect(warnings).toEqual([]);
  });
});
