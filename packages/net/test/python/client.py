"""An asyncio open_connection peer for interop.test.ts: `client.py PORT EXCHANGE...`.

Runs each exchange (lines, frames, halfclose, bulk) against the server under test, the same
protocol echo_server.py speaks, and prints one JSON object per exchange on stdout.
"""

import asyncio
import hashlib
import json
import os
import sys

from _common import HOST, frame, start_watchdog


async def lines(port: int) -> dict:
    reader, writer = await asyncio.open_connection(HOST, port)
    expected = [f"line {i} {'x' * (i % 97)}\n".encode() for i in range(500)]
    writer.write(b"LINES\n")
    for line in expected:
        writer.write(line)
    await writer.drain()
    writer.write_eof()
    received = [line async for line in reader]
    writer.close()
    await writer.wait_closed()
    return {"exchange": "lines", "sent": len(expected), "received": len(received), "ok": received == expected}


async def frames(port: int) -> dict:
    reader, writer = await asyncio.open_connection(HOST, port)
    payloads = [os.urandom(size) for size in (1, 2, 3, 100, 4096, 65535, 65536, 65537, 200_000, 7)]
    writer.write(b"FRAMES\n")
    mismatches = 0
    for payload in payloads:
        writer.write(frame(payload))
        await writer.drain()
        length = int.from_bytes(await reader.readexactly(4), "big")
        answer = await reader.readexactly(length)
        mismatches += answer != payload[::-1]
    writer.write(frame(b""))
    length = int.from_bytes(await reader.readexactly(4), "big")
    bye = await reader.readexactly(length)
    rest = await reader.read()
    writer.close()
    await writer.wait_closed()
    return {"exchange": "frames", "frames": len(payloads), "mismatches": mismatches, "bye": bye.decode(), "rest": len(rest)}


async def halfclose(port: int) -> dict:
    reader, writer = await asyncio.open_connection(HOST, port)
    body = b"".join(f"record {i}\n".encode() for i in range(1000))
    writer.write(b"HALFCLOSE\n" + body)
    await writer.drain()
    writer.write_eof()
    summary = (await reader.read()).decode()
    writer.close()
    await writer.wait_closed()
    expected = f"bytes={len(body)} lines=1000 sha256={hashlib.sha256(body).hexdigest()}\n"
    return {"exchange": "halfclose", "summary": summary, "expected": expected, "ok": summary == expected}


async def bulk(port: int) -> dict:
    reader, writer = await asyncio.open_connection(HOST, port)
    sent_hash = hashlib.sha256()
    received_hash = hashlib.sha256()
    total = 64 * 1024 * 1024
    received = 0
    writer.write(b"BULK\n")

    async def send() -> None:
        for _ in range(total // (1024 * 1024)):
            chunk = os.urandom(1024 * 1024)
            sent_hash.update(chunk)
            writer.write(chunk)
            await writer.drain()
        writer.write_eof()

    async def receive() -> None:
        nonlocal received
        while True:
            data = await reader.read(1024 * 1024)
            if not data:
                break
            received_hash.update(data)
            received += len(data)

    await asyncio.gather(send(), receive())
    writer.close()
    await writer.wait_closed()
    return {
        "exchange": "bulk",
        "sent": total,
        "received": received,
        "sentSha256": sent_hash.hexdigest(),
        "receivedSha256": received_hash.hexdigest(),
    }


EXCHANGES = {"lines": lines, "frames": frames, "halfclose": halfclose, "bulk": bulk}


async def main(port: int, names: list) -> None:
    for name in names:
        try:
            result = await asyncio.wait_for(EXCHANGES[name](port), 25)
        except Exception as error:
            result = {"exchange": name, "error": repr(error)}
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    start_watchdog(60)
    asyncio.run(main(int(sys.argv[1]), sys.argv[2:]))
