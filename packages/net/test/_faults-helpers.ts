import { within } from "@asyncstreams/test-utils";

export const MiB = 1 << 20;

/** `size` bytes where byte i is `(i * 31 + seed) & 0xff`: reordering or loss changes the content. */
export function pattern(size: number, seed = 0): Uint8Array {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = (i * 31 + seed) & 0xff;
  return data;
}

export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return within(promise).then(
    () => undefined,
    (error: unknown) => error,
  );
}
