"""A blocking ssl-module TLS server that tells a clean TLS close from a truncated one.

Prints its port, then for each connection reads until the end and prints one line:
  CLEAN <bytes>              the client sent close_notify before closing
  TRUNCATED <bytes> <error>  the connection ended without close_notify (SSLEOFError)
  ERROR <bytes> <error>      anything else
suppress_ragged_eofs=False is what makes the difference visible: by default Python hides it.
"""

import socket
import ssl

from _common import HOST, server_context, start_watchdog


def main() -> None:
    start_watchdog(30)
    context = server_context()
    listener = socket.create_server((HOST, 0))
    print(listener.getsockname()[1], flush=True)
    while True:
        conn, _ = listener.accept()
        total = 0
        try:
            secure = context.wrap_socket(conn, server_side=True, suppress_ragged_eofs=False)
        except Exception as error:
            print(f"ERROR 0 handshake {error!r}", flush=True)
            conn.close()
            continue
        try:
            while True:
                data = secure.recv(65536)
                if not data:
                    print(f"CLEAN {total}", flush=True)
                    break
                total += len(data)
        except ssl.SSLEOFError as error:
            print(f"TRUNCATED {total} {error!r}", flush=True)
        except Exception as error:
            print(f"ERROR {total} {error!r}", flush=True)
        finally:
            secure.close()


main()
