// The few HTTP/3 (RFC 9114) and QPACK (RFC 9204) pieces the ngtcp2 interop tests need: varints,
// frames, a control stream with an empty SETTINGS frame, and field sections that use only QPACK's
// static table (no dynamic table, no Huffman coding on our side).
import type { StreamReader } from "@asyncstreams/reader";

/** A QUIC variable-length integer (RFC 9000, 16). */
export function varint(value: number): Uint8Array {
  if (value < 0x40) return Uint8Array.of(value);
  if (value < 0x4000) return Uint8Array.of(0x40 | (value >> 8), value & 0xff);
  if (value < 0x4000_0000)
    return Uint8Array.of(0x80 | (value >>> 24), (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff);
  throw new RangeError(`varint ${value} is too large for these tests`);
}

/** Reads one varint from the stream; `null` at a clean EOF before it. */
export async function readVarint(reader: StreamReader): Promise<number | null> {
  const first = await reader.read(1);
  if (first.length === 0) return null;
  const length = 1 << (first[0]! >> 6);
  let value = first[0]! & 0x3f;
  if (length > 1) for (const byte of await reader.readExactly(length - 1)) value = value * 256 + byte;
  return value;
}

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) all.set(part, (at += part.length) - part.length);
  return all;
};

/** One HTTP/3 frame: type, length, payload. */
export function frame(type: number, payload: Uint8Array): Uint8Array {
  return concat(varint(type), varint(payload.length), payload);
}

export const FRAME_DATA = 0x00;
export const FRAME_HEADERS = 0x01;
const FRAME_SETTINGS = 0x04;

/** What our control stream carries: its stream type (0x00) and an empty SETTINGS frame. */
export const CONTROL_STREAM: Uint8Array = concat(varint(0x00), frame(FRAME_SETTINGS, new Uint8Array(0)));

/** A QPACK string literal without Huffman coding (7-bit length prefix, H = 0). */
function literal(value: string): Uint8Array {
  const bytes = new TextEncoder().encode(value);
  if (bytes.length >= 0x7f) throw new RangeError("literal too long for these tests");
  return concat(Uint8Array.of(bytes.length), bytes);
}

/**
 * A GET request's field section: static :method GET (17), :scheme https (23), then :authority (0) and
 * :path (1) by static name.
 */
export function requestHeaders(authority: string, path: string): Uint8Array {
  // Required Insert Count 0, Delta Base 0: the static table only.
  return frame(
    FRAME_HEADERS,
    concat(
      Uint8Array.of(0x00, 0x00, 0xc0 | 17, 0xc0 | 23, 0x50 | 0),
      literal(authority),
      Uint8Array.of(0x50 | 1),
      literal(path),
    ),
  );
}

/** A response's field section: the static entry `:status 200` (index 25). */
export const RESPONSE_200: Uint8Array = frame(FRAME_HEADERS, Uint8Array.of(0x00, 0x00, 0xc0 | 25));

/** Reads frames up to the stream's FIN: the HEADERS payloads and the DATA bytes. */
export async function readFrames(reader: StreamReader): Promise<{ headers: Uint8Array[]; data: Uint8Array }> {
  const headers: Uint8Array[] = [];
  const data: Uint8Array[] = [];
  for (;;) {
    const type = await readVarint(reader);
    if (type === null) return { headers, data: concat(...data) };
    const length = (await readVarint(reader)) ?? 0;
    const payload = await reader.readExactly(length);
    if (type === FRAME_HEADERS) headers.push(payload);
    else if (type === FRAME_DATA) data.push(payload);
    // Other frame types (reserved, PUSH_PROMISE, ...) are skipped, as RFC 9114 asks.
  }
}

/** The status of a response field section encoded with the static table, or `undefined`. */
export function statusOf(section: Uint8Array): string | undefined {
  // The prefix (Required Insert Count, Delta Base) is two bytes when no dynamic table is used.
  const line = section[2];
  if (line === undefined) return undefined;
  const staticStatus: Record<number, string> = { 24: "103", 25: "200", 26: "304", 27: "404", 28: "503" };
  if ((line & 0xc0) === 0xc0) return staticStatus[line & 0x3f];
  return undefined;
}
