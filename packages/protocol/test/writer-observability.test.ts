import { describe, expect, it } from "vitest";
import { createStreams, memoryTransportPair } from "@asyncstreams/protocol";

describe("StreamWriter counters over a real protocol and transport", () => {
  it("isPaused, bufferedLength and bytesWritten follow a peer that stops reading, then reads", async () => {
    const [left, right] = memoryTransportPair();
    const client = createStreams(left);
    const server = createStreams(right, { limit: 1024 }); // pauses its transport above 2 KiB
    const chunk = new Uint8Array(64 * 1024);
    expect(client.writer.isPaused).toBe(false);
    for (let i = 0; i < 4 && !client.writer.isPaused; i++) client.writer.write(chunk);
    expect(client.writer.isPaused).toBe(true);
    expect(client.writer.bufferedLength).toBeGreaterThan(0);
    const written = client.writer.bytesWritten;
    expect(written % chunk.length).toBe(0);
    const reading = server.reader.readExactly(written);
    await client.writer.drain();
    expect(client.writer.isPaused).toBe(false);
    expect((await reading).length).toBe(written);
    client.writer.close();
    server.writer.close();
    await Promise.all([client.writer.waitClosed(), server.writer.waitClosed()]);
    expect(client.writer.bufferedLength).toBe(0);
  });
});
