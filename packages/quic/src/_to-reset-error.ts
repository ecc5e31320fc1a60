import { ConnectionResetError } from "@asyncstreams/protocol";

/**
 * `StackConnection.toResetError` of both stacks: a stream error that is already this project's
 * reset (matrixai's `codeToReason` makes one, with the peer's code) passes through; anything else
 * (Deno's streams carry no code) becomes a `ConnectionResetError` without one, keeping it as cause.
 *
 * @param error What the stream failed with.
 * @returns The reset to report.
 */
export function toResetError(error: unknown): ConnectionResetError {
  return error instanceof ConnectionResetError ? error : new ConnectionResetError(undefined, { cause: error });
}
