/** `maxConnections` must be a whole number of connections, 1 or more; checked before binding. */
export function checkMaxConnections(value: unknown): void {
  if (value !== undefined && !(typeof value === "number" && Number.isInteger(value) && value >= 1)) {
    throw new RangeError(
      `Cannot start a server: maxConnections should be an integer, 1 or more, got ${typeof value === "number" ? value : JSON.stringify(value)}`,
    );
  }
}
