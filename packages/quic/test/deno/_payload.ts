/** What each interop stream sends: 40 text lines, then 24 KiB of binary that includes every byte value. */
export function payload(stream: number): Uint8Array {
  const lines = Array.from({ length: 40 }, (_, i) => `stream ${stream} line ${i}: ${"x".repeat(i)}\n`).join("");
  const text = new TextEncoder().encode(lines);
  const all = new Uint8Array(text.length + 24 * 1024);
  all.set(text);
  for (let i = text.length; i < all.length; i++) all[i] = (i * 131 + stream) & 0xff;
  return all;
}
