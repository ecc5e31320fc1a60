/** A short description of a value for failure messages: an error's name and message, else its type. */
export function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return `${value.name}${typeof code === "string" ? ` [${code}]` : ""}: ${value.message}`;
  }
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...` : value);
  if (typeof value === "object") return `[object ${value.constructor?.name ?? "Object"}]`;
  switch (typeof value) {
    case "number":
    case "boolean":
    case "bigint":
      return String(value);
    case "symbol":
      return value.toString();
    case "function":
      return `function ${value.name}`;
    default:
      return typeof value;
  }
}
