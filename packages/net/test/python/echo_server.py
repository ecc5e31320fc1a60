"""An asyncio start_server peer for interop.test.ts. Prints its port on the first line of stdout.

The first line a client sends picks the exchange:
  LINES      echo each line until EOF
  FRAMES     answer each length-prefixed frame with its payload reversed; a zero-length frame ends
             the exchange with the frame b"bye"
  HALFCLOSE  read to EOF (the client's write_eof), then send one summary line and close
  BULK       echo every byte until EOF
"""

import asyncio
import hashlib
import sys

from _common import HOST, frame, start_watchdog


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        mode = (await reader.readline()).strip()
        if mode == b"LINES":
            async for line in reader:
                writer.write(line)
                await writer.drain()
        elif mode == b"FRAMES":
            while True:
                length = int.from_bytes(await reader.readexactly(4), "big")
                if length == 0:
                    writer.write(frame(b"bye"))
                    break
                payload = await reader.readexactly(length)
                writer.write(frame(payload[::-1]))
                await writer.drain()
        elif mode == b"HALFCLOSE":
            data = await reader.read()
            count = data.count(b"\n")
            summary = f"bytes={len(data)} lines={count} sha256={hashlib.sha256(data).hexdigest()}\n"
            writer.write(summary.encode())
        elif mode == b"BULK":
            while True:
                chunk = await reader.read(256 * 1024)
                if not chunk:
                    break
                writer.write(chunk)
                await writer.drain()
        else:
            writer.write(b"unknown mode\n")
        await writer.drain()
    except Exception as error:  # reported for the test's failure message
        print(f"handler failed: {error!r}", file=sys.stderr, flush=True)
    finally:
        writer.close()
        try:
            await writer.wait_closed()
        except Exception:
            pass


async def main() -> None:
    server = await asyncio.start_server(handle, HOST, 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    start_watchdog(120)
    asyncio.run(main())
