/** PEM text from the forms Node's tls accepts. */
export function pemList(
  value: string | Uint8Array | readonly (string | Uint8Array)[] | undefined,
  name: string,
): string[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? (value as readonly unknown[]) : [value];
  return list.map((item) => {
    if (typeof item === "string") return item;
    if (item instanceof Uint8Array) return new TextDecoder().decode(item);
    throw new TypeError(`Cannot use tls.${name}: each entry must be a PEM string or Uint8Array`);
  });
}

/** The ALPN list, checked: QUIC requires one. */
export function alpnList(action: string, value: unknown): string[] {
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((item) => typeof item === "string" && item.length > 0 && item.length < 256)
  ) {
    throw new TypeError(
      `${action}: tls.alpnProtocols must be a non-empty array of protocol names (QUIC requires ALPN)`,
    );
  }
  return [...(value as string[])];
}
