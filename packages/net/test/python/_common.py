"""Shared by the interop peers: framing helpers and a watchdog so no peer outlives its test."""

import os
import threading

HOST = "127.0.0.1"


def frame(payload: bytes) -> bytes:
    """A length-prefixed frame: 4-byte big-endian length, then the payload."""
    return len(payload).to_bytes(4, "big") + payload


def start_watchdog(seconds: float) -> None:
    """Exits when stdin closes (the test process went away) or after `seconds`, whichever is first."""

    def wait_for_parent() -> None:
        # os.read, not sys.stdin: a daemon thread blocked in a buffered read aborts interpreter shutdown.
        try:
            while os.read(0, 4096):
                pass
        finally:
            os._exit(0)

    threading.Thread(target=wait_for_parent, daemon=True).start()
    timer = threading.Timer(seconds, lambda: os._exit(3))
    timer.daemon = True
    timer.start()
