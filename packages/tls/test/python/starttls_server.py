"""CPython asyncio servers for interop.test.ts. Prints "<starttls port> <tls port>" on its first line.

On the STARTTLS port each connection speaks one plain line, "STARTTLS", answered "GO"; then the
server calls writer.start_tls() (server side) and echoes lines until EOF. On the TLS port
(start_server(ssl=...)) it echoes lines until EOF. After each connection it prints one line:
  SERVED <starttls|tls> <tls version> <lines echoed>    or    FAILED <error>
"""

import asyncio
import sys

from _common import HOST, server_context, start_watchdog


async def echo_lines(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> int:
    count = 0
    async for line in reader:
        writer.write(line)
        await writer.drain()
        count += 1
    return count


async def close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    try:
        await writer.wait_closed()
    except Exception:
        pass


async def handle_starttls(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        command = await reader.readline()
        if command != b"STARTTLS\n":
            raise ValueError(f"expected STARTTLS, got {command!r}")
        if writer.get_extra_info("sslcontext") is not None:
            raise AssertionError("TLS before start_tls()")
        writer.write(b"GO\n")
        await writer.drain()
        await writer.start_tls(server_context())
        version = writer.get_extra_info("ssl_object").version()
        count = await echo_lines(reader, writer)
        print(f"SERVED starttls {version} {count}", flush=True)
    except Exception as error:
        print(f"FAILED {error!r}", flush=True)
    finally:
        await close(writer)


async def handle_tls(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        version = writer.get_extra_info("ssl_object").version()
        count = await echo_lines(reader, writer)
        print(f"SERVED tls {version} {count}", flush=True)
    except Exception as error:
        print(f"FAILED {error!r}", flush=True)
    finally:
        await close(writer)


async def main() -> None:
    start_watchdog(60)
    plain = await asyncio.start_server(handle_starttls, HOST, 0)
    secure = await asyncio.start_server(handle_tls, HOST, 0, ssl=server_context())
    print(plain.sockets[0].getsockname()[1], secure.sockets[0].getsockname()[1], flush=True)
    async with plain, secure:
        await asyncio.gather(plain.serve_forever(), secure.serve_forever())


try:
    asyncio.run(main())
except KeyboardInterrupt:
    sys.exit(0)
