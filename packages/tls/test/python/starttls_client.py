"""A CPython asyncio client for interop.test.ts: python3 starttls_client.py <starttls|tls> <port> <line>...

starttls: connects in plain text, sends "STARTTLS", expects "GO", then writer.start_tls() with the
          test CA and server_hostname "localhost" (verified), then sends each line and reads its echo.
tls:      open_connection(ssl=...) with the same verifying context, then the same line exchange.
Prints "PLAIN <sslcontext is None>" (starttls only), "TLS <version>", "ECHO <line>" for each echo,
then "DONE"; or "FAILED <error>".
"""

import asyncio
import sys

from _common import HOST, client_context, start_watchdog


async def main(mode: str, port: int, lines: list) -> None:
    start_watchdog(30)
    try:
        if mode == "starttls":
            reader, writer = await asyncio.open_connection(HOST, port)
            print(f"PLAIN {writer.get_extra_info('sslcontext') is None}", flush=True)
            writer.write(b"STARTTLS\n")
            await writer.drain()
            answer = await reader.readline()
            if answer != b"GO\n":
                raise ValueError(f"expected GO, got {answer!r}")
            await writer.start_tls(client_context(), server_hostname="localhost")
        else:
            reader, writer = await asyncio.open_connection(HOST, port, ssl=client_context(), server_hostname="localhost")
        print(f"TLS {writer.get_extra_info('ssl_object').version()}", flush=True)
        for line in lines:
            writer.write(line.encode() + b"\n")
            await writer.drain()
            echo = await reader.readline()
            print(f"ECHO {echo.decode().rstrip()}", flush=True)
        writer.close()
        try:
            await writer.wait_closed()
        except Exception:
            pass
        print("DONE", flush=True)
    except Exception as error:
        print(f"FAILED {error!r}", flush=True)


asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3:]))
