import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openConnection, TlsError } from "@asyncstreams/tls";
import { track, within } from "@asyncstreams/test-utils";
import { CA } from "@asyncstreams/test-utils/certs";
import { HOST, closeAtEnd, sha256 } from "@asyncstreams/test-utils/node";
import { startNodeTlsPeer } from "./_helpers.js";
import { echoThroughTls } from "./_faults-helpers.js";

describe("TLS under load and back-pressure (D14)", () => {
  it("D14: 25 concurrent TLS clients each echo 1 MiB both ways, byte-exact (test_create_server_ssl_1)", {
    timeout: 30_000,
  }, async () => {
    const failures = await echoThroughTls(25, 1024 * 1024, 25_000);
    expect(failures).toEqual([]);
  });

  it("D14: while our writer is parked by a peer that never reads, the peer's 1 MiB and its close_notify are still read in full (test_remote_shutdown_receives_trailing_data)", {
    timeout: 20_000,
  }, async () => {
    const trailing = randomBytes(1024 * 1024);
    const peer = await startNodeTlsPeer((secure) => {
      secure.pause(); // never reads what we send
      secure.end(trailing); // 1 MiB, then close_notify
    });
    const { reader, writer } = await openConnection({
      host: HOST,
      port: peer.port,
      tls: { ca: CA },
      shutdownTimeout: 500,
    });
    closeAtEnd(writer);
    const chunk = new Uint8Array(256 * 1024);
    let parked: ReturnType<typeof track<void>> | undefined;
    for (let i = 0; i < 200 && parked === undefined; i++) {
      writer.write(chunk);
      const drained = track(writer.drain());
      await Promise.race([drained.promise, new Promise((resolve) => setTimeout(resolve, 100))]);
      if (!drained.settled) parked = drained;
    }
    expect(parked).toBeDefined();
    const received = await within(reader.read(), 10_000, "the peer's data up to its close_notify");
    expect(received.length).toBe(trailing.length);
    expect(sha256(received)).toBe(sha256(trailing));
    expect(reader.atEof()).toBe(true);
    expect(parked!.settled).toBe(false); // our data is still queued: the peer never read it
    // Our close_notify cannot be flushed past the unread data: close() is bounded by shutdownTimeout.
    writer.close();
    const closed = await within(
      writer.waitClosed().then(
        () => undefined,
        (error: unknown) => error,
      ),
      5_000,
      "waitClosed()",
    );
    expect(closed).toBeInstanceOf(TlsError);
    expect(closed).toMatchObject({
      code: "ERR_ASYNCSTREAMS_TLS_SHUTDOWN_TIMEOUT",
      message: "Cannot close TLS: SSL shutdown timed out after 0.5 seconds",
    });
    // The parked drain() fails with the same error, as asyncio fails drain waiters in connection_lost(exc).
    await within(
      parked!.promise.catch(() => undefined),
      2_000,
      "the parked drain()",
    );
    expect(parked!.rejected).toBe(true);
    expect(parked!.error).toBe(closed);
  });
});
