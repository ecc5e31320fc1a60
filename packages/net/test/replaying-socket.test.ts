// ReplayingSocket: the duplex STARTTLS hands to TLS when bytes were read before the upgrade (and the
// base of tls/test/_prefixed-socket.ts). Over a real loopback pair: replay first, then relay.
import { once } from "node:events";
import { describe, expect, it, onTestFinished } from "vitest";
import { within } from "@asyncstreams/test-utils";
import { ReplayingSocket } from "../src/_replaying-socket.js";
import { tcpSocketPair } from "./_pairs.js";

/** Everything `readable` yields until its end, as text. */
async function readAll(readable: NodeJS.ReadableStream): Promise<string> {
  let all = "";
  for await (const chunk of readable) all += String(chunk);
  return all;
}

describe("ReplayingSocket", () => {
  it("reads the leftover bytes first, then what the socket receives, in order, up to the peer's end", async () => {
    const pair = await tcpSocketPair();
    onTestFinished(() => pair.close());
    const [raw, peer] = pair.sockets;
    const relay = new ReplayingSocket(raw, [new TextEncoder().encode("left"), new TextEncoder().encode("over|")]);
    peer.end("from the peer");
    expect(await within(readAll(relay), 5_000, "the relay's end")).toBe("leftover|from the peer");
  });

  it("writes and ends through the socket, and destroying it destroys the socket", async () => {
    const pair = await tcpSocketPair();
    onTestFinished(() => pair.close());
    const [raw, peer] = pair.sockets;
    const relay = new ReplayingSocket(raw);
    const received = readAll(peer);
    relay.end("written through");
    expect(await within(received, 5_000, "the peer's end")).toBe("written through");
    relay.destroy();
    await within(once(raw, "close"), 5_000, "the socket to close");
    expect(raw.destroyed).toBe(true);
  });
});
