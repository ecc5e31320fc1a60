// A peer's RESET_STREAM and STOP_SENDING with a code past what @matrixai/quic parses (its regex
// takes 16 digits; QUIC codes reach 2^62 - 1): src/_large-stream-codes.ts. Without it the server's
// process dies on the first such reset (an uncaught error out of matrixai's processStreams()).
import { describe, expect, it } from "vitest";
import { ConnectionResetError } from "@asyncstreams/protocol";
import type { StackConnection, StackStream } from "../src/_stack.js";
import { bytes, testServer, text, until, within } from "./_helpers.js";
import { rawClient } from "./_raw-client.js";

/** Writes `line` on a fresh stream and returns the stream once the echo of it is back. */
async function echoed(conn: StackConnection, line: string): Promise<StackStream> {
  const stream = await conn.openStream(false);
  const writer = stream.writable!.getWriter();
  await writer.write(bytes(line));
  writer.releaseLock();
  const reader = stream.readable!.getReader();
  expect(text((await within(reader.read(), 10_000, "the echo")).value!)).toBe(line);
  reader.releaseLock();
  return stream;
}

describe("a peer's RESET_STREAM and STOP_SENDING with any code up to 2^62 - 1", { timeout: 60_000 }, () => {
  // 2^53 + 2 and 2^62 - 1024: what a JS number can carry to quiche exactly (the raw client's limit).
  it.each([10n ** 16n, 2n ** 53n + 2n, 2n ** 62n - 1024n])(
    "code %s reaches the server's reader and writer exactly, and the server goes on",
    async (code) => {
      const readErrors: unknown[] = [];
      const drainErrors: unknown[] = [];
      const { port } = await testServer(async (reader, writer) => {
        writer.write(await reader.readLine());
        const failed = await reader.read().catch((error: unknown) => error);
        if (!(failed instanceof Error)) return; // the second stream: an echo only
        readErrors.push(failed);
        // The peer's STOP_SENDING: writes fail from now on.
        for (let i = 0; i < 100 && drainErrors.length === 0; i++) {
          try {
            writer.write(bytes("more\n"));
            await writer.drain();
          } catch (error) {
            drainErrors.push(error);
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      });
      const conn = await rawClient(port);
      const stream = await echoed(conn, "first\n");
      stream.reset(code);
      await until(() => readErrors.length > 0 && drainErrors.length > 0, 10_000, "the server to see the reset");
      for (const error of [...readErrors, ...drainErrors]) {
        expect(error).toBeInstanceOf(ConnectionResetError);
        expect((error as ConnectionResetError).applicationCode).toBe(code);
        expect((error as Error).message).toContain(`code ${code}`);
      }
      // The same connection still works: nothing crashed.
      const second = await echoed(conn, "second\n");
      second.reset(0n);
    },
  );
});
