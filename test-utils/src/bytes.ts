const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `b"..."`: the UTF-8 bytes of a string. */
export function bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** The bytes as a string (UTF-8), for readable assertions. */
export function text(data: Uint8Array): string {
  return decoder.decode(data);
}

/** Joins chunks into one new array. */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const result = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    result.set(chunk, offset);
    offset += chunk.length;
  }
  return result;
}
