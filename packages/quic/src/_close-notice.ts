import type { StackCloseInfo } from "./_stack.js";

/**
 * The first word on how a connection ends, as both stacks keep it for `StackConnection.onClosing`:
 * whichever comes first (our `close()`, the peer's CONNECTION_CLOSE, a failure) is the one that
 * counts, and the one listener hears it once, whether it registers before or after.
 */
export interface CloseNotice {
  /** The end, once known. */
  readonly info: StackCloseInfo | undefined;
  /**
   * Records `next` and tells the listener, unless an end is known already.
   *
   * @returns The end that counts: `next`, or the earlier one.
   */
  readonly settle: (next: StackCloseInfo) => StackCloseInfo;
  /** `StackConnection.onClosing`: tells `listener` now if the end is known, else as soon as it is. */
  readonly onClosing: (listener: (info: StackCloseInfo) => void) => void;
}

/** A new {@linkcode CloseNotice}, for one connection. */
export function closeNotice(): CloseNotice {
  let info: StackCloseInfo | undefined;
  let listener: ((info: StackCloseInfo) => void) | undefined;
  return {
    get info() {
      return info;
    },
    settle: (next) => {
      if (info !== undefined) return info;
      info = next;
      listener?.(next);
      return next;
    },
    onClosing: (onClosing) => {
      listener = onClosing;
      if (info !== undefined) onClosing(info);
    },
  };
}
