import { describe, expect, it } from "vitest";
import { ConnectionResetError } from "@asyncstreams/protocol";
import { closeError } from "../src/_close-error.js";
import { bytes, testClient, testServer, text, within } from "./_helpers.js";

class SilentError extends Error {
  override name = "SilentError";
}

describe("closeError()", { timeout: 30_000 }, () => {
  it("names an error with an empty message by its name, not with ()", () => {
    const error = closeError({ code: 0n, reason: "", remote: undefined, isApp: false, error: new SilentError("") });
    expect(error.message).toBe("Connection lost: the QUIC connection ended (SilentError)");
    const other = closeError({ code: 0n, reason: "", remote: undefined, isApp: false, error: new Error("boom") });
    expect(other.message).toBe("Connection lost: the QUIC connection ended (boom)");
  });

  it("an idle timeout fails a pending read with an error that names it", async () => {
    const { port } = await testServer(async (reader, writer) => {
      writer.write(await reader.readLine());
      await reader.read().catch(() => undefined);
    });
    // The lower of both sides' idle timeouts applies; no PING from this side keeps it up.
    const conn = await testClient(port, { idleTimeout: 500, keepAliveInterval: 0 });
    const { reader, writer } = await conn.openStream();
    writer.write(bytes("hello\n"));
    expect(text(await within(reader.readLine()))).toBe("hello\n");
    const error = await within(
      reader.read().catch((e: unknown) => e),
      10_000,
      "the idle timeout",
    );
    expect(error).toBeInstanceOf(ConnectionResetError);
    expect((error as Error).message).toMatch(/^Connection lost: the QUIC connection ended \(\w*IdleTimeout\w*\)$/);
  });
});
