import { expect } from "vitest";
import { MemoryTransport } from "@asyncstreams/protocol";
import type { MemoryTransportOptions } from "@asyncstreams/protocol";
import { eventLoopTurn } from "@asyncstreams/test-utils";
import { RecordingProtocol, attach } from "./_helpers.js";

/** Two ends with recording protocols sharing one log. */
export function connected(options: MemoryTransportOptions = {}) {
  const [left, right] = MemoryTransport.pair(options);
  const log: string[] = [];
  const sender = attach(left, new RecordingProtocol("left", log));
  const receiver = attach(right, new RecordingProtocol("right", log));
  log.length = 0; // drop the two "made" entries
  return { left, right, sender, receiver, log };
}

/** Closes both ends and checks that each reported its loss exactly once (bounded). */
export async function closeBoth(
  left: MemoryTransport,
  right: MemoryTransport,
  ...protocols: RecordingProtocol[]
): Promise<void> {
  left.close();
  right.close();
  await eventLoopTurn();
  expect(left.isClosing() && right.isClosing()).toBe(true);
  for (const protocol of protocols) expect(protocol.lostWith).toHaveLength(1);
}
