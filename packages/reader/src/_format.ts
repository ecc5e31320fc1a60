import { DEFAULT_LIMIT } from "./default-limit.js";

/** Formats an error like Python's `repr()` of an exception: `Name("message")` or `Name()`. */
export function formatError(error: unknown): string {
  if (error instanceof Error)
    return error.message === "" ? `${error.name}()` : `${error.name}(${JSON.stringify(error.message)})`;
  return formatObject(error);
}

/** Formats any value for a `toString()` description: its own `toString()` if it has one. */
export function formatObject(value: unknown): string {
  return String(value);
}

/** The state `StreamReader.toString()` shows. */
interface ReaderState {
  length: number;
  eof: boolean;
  limit: number;
  waiting: boolean;
  exception: unknown;
  pauser: { readonly transport: unknown; readonly paused: boolean };
}

/** asyncio's `repr()` of a reader: `<StreamReader 4 bytes eof limit=123 ...>`. */
export function describeReader(state: ReaderState): string {
  const info = ["StreamReader"];
  if (state.length > 0) info.push(`${state.length} bytes`);
  if (state.eof) info.push("eof");
  if (state.limit !== DEFAULT_LIMIT) info.push(`limit=${state.limit}`);
  if (state.waiting) info.push("waiter=<Promise pending>");
  if (state.exception !== undefined) info.push(`exception=${formatError(state.exception)}`);
  if (state.pauser.transport !== null) info.push(`transport=${formatObject(state.pauser.transport)}`);
  if (state.pauser.paused) info.push("paused");
  return `<${info.join(" ")}>`;
}
