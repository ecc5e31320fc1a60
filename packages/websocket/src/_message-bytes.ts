const utf8 = new TextEncoder();

/** A WHATWG message's bytes: an ArrayBuffer as is, a text message as UTF-8. */
export function messageBytes(data: unknown): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (typeof data === "string") return utf8.encode(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new TypeError(
    `Cannot receive: the WebSocket delivered a ${Object.prototype.toString.call(data)}; set binaryType to "arraybuffer"`,
  );
}
