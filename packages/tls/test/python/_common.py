"""Shared by the TLS interop peers: the test certificates and a watchdog so no peer outlives its test."""

import os
import ssl
import threading

HOST = "127.0.0.1"
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "test-utils", "certs")


def fixture(name: str) -> str:
    """The path of a file made by test-utils/certs/make-certs.sh."""
    return os.path.join(FIXTURES, name)


def server_context() -> ssl.SSLContext:
    """A server context with the CA-signed certificate for localhost and 127.0.0.1."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(fixture("server.pem"), fixture("server-key.pem"))
    return context


def client_context() -> ssl.SSLContext:
    """A verifying client context (CERT_REQUIRED, host name checked) trusting only the test CA."""
    return ssl.create_default_context(cafile=fixture("ca.pem"))


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
