import { createHash } from "node:crypto";

/** The SHA-256 of some bytes, in hex: compares large payloads without printing them. */
export function sha256(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
