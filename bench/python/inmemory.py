#!/usr/bin/env python3
"""CPython asyncio streams on the in-memory workloads W1, W2, W3 and W3b of BENCH.md.

Standard library only. bench/src/main.js starts one process per workload and passes the sizes as
JSON, so Node and Python measure the same stream:

    python3 bench/python/inmemory.py --workload W1 --runs 3 \\
        --params '{"items": 1000000, "limit": 65536}' --warmup '{"items": 100000, "limit": 65536}'

Prints one JSON line: {"seconds": [...], "cpuSeconds": [...], "maxRssKiB": ...}. A producer task feeds one 65,536-byte
chunk with feed_data() then yields (await asyncio.sleep(0)), and feed_eof() after the last; the
consumer task reads concurrently. One untimed warm-up pass at 10 % runs first; every pass checks its
counts and raises when one is wrong.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import resource
import sys
import time
from collections.abc import Awaitable, Callable

CHUNK_SIZE = 65_536

W1_LINE = b"x" * 63 + b"\n"
W2_PAYLOAD = 100
W2_FRAME = W2_PAYLOAD.to_bytes(4, "big") + b"p" * W2_PAYLOAD
HEADER_END = b"\r\n\r\n"
W3_BLOCK_SIZE = 1024
W3B_FILLER_LINE = b"a" * 62 + b"\r\n"


def w3_block() -> bytes:
    """The 1,024-byte HTTP-like request head of bench/src/workloads/w3-headers.js, byte for byte."""
    lines = [
        "GET /api/v1/items?page=2&sort=name HTTP/1.1",
        "Host: www.example.com",
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "Accept-Language: en-US,en;q=0.5",
        "Accept-Encoding: gzip, deflate, br, zstd",
        "Referer: https://www.example.com/api/v1/items?page=1&sort=name",
        "Connection: keep-alive",
        "Cookie: session=8f2c1e7a9b3d4f60a1c2e3d4b5a69788; theme=dark; lang=en-US",
        "Upgrade-Insecure-Requests: 1",
        "Sec-Fetch-Dest: document",
        "Sec-Fetch-Mode: navigate",
        "Sec-Fetch-Site: same-origin",
        "Cache-Control: max-age=0",
        "X-Request-Id: 3b9d2c1e-5f47-4a8b-9c6d-0e1f2a3b4c5d",
    ]
    head = "".join(line + "\r\n" for line in lines)
    name = "X-Trace-Context: "
    room = W3_BLOCK_SIZE - len(head) - len(name) - 4
    value = ("0123456789abcdef" * (room // 16 + 1))[:room]
    block = f"{head}{name}{value}\r\n\r\n".encode()
    if len(block) != W3_BLOCK_SIZE:
        raise AssertionError(f"W3 block is {len(block)} bytes, not {W3_BLOCK_SIZE}")
    return block


W3_BLOCK = w3_block()


def cut_periodic(record: bytes, count: int) -> list[bytes]:
    """Cuts record * count into 65,536-byte chunks without building the whole stream."""
    period = len(record)
    total = period * count
    tile = record * ((CHUNK_SIZE + period) // period + 1)
    return [tile[start % period : start % period + min(CHUNK_SIZE, total - start)] for start in range(0, total, CHUNK_SIZE)]


def expect(what: str, actual: int, expected: int) -> None:
    if actual != expected:
        raise AssertionError(f"Wrong {what}: got {actual}, expected {expected}")


# Each workload: build(params) -> chunks, and consume(reader, params) -> None (raises on a bad count).


def build_w1(params: dict) -> list[bytes]:
    return cut_periodic(W1_LINE, params["items"])


async def consume_w1(reader: asyncio.StreamReader, params: dict) -> None:
    lines = 0
    wrong = 0
    while True:
        line = await reader.readline()
        if not line:
            break
        if len(line) != 64 or line[63] != 10:
            wrong += 1
        lines += 1
    expect("W1 line count", lines, params["items"])
    expect("W1 malformed lines", wrong, 0)


def build_w2(params: dict) -> list[bytes]:
    return cut_periodic(W2_FRAME, params["items"])


async def consume_w2(reader: asyncio.StreamReader, params: dict) -> None:
    wrong = 0
    for _ in range(params["items"]):
        head = await reader.readexactly(4)
        length = int.from_bytes(head, "big")
        payload = await reader.readexactly(length)
        if length != W2_PAYLOAD or len(payload) != W2_PAYLOAD or payload[-1] != 0x70:
            wrong += 1
    rest = await reader.read()
    expect("W2 malformed frames", wrong, 0)
    expect("W2 bytes left after the last frame", len(rest), 0)


def build_w3(params: dict) -> list[bytes]:
    return cut_periodic(W3_BLOCK, params["items"])


async def consume_w3(reader: asyncio.StreamReader, params: dict) -> None:
    wrong = 0
    for _ in range(params["items"]):
        block = await reader.readuntil(HEADER_END)
        if len(block) != W3_BLOCK_SIZE or block[0] != 0x47:
            wrong += 1
    rest = await reader.read()
    expect("W3 malformed blocks", wrong, 0)
    expect("W3 bytes left after the last block", len(rest), 0)


def build_w3b(params: dict) -> list[bytes]:
    size = params["size"]
    if size % len(W3B_FILLER_LINE):
        raise ValueError(f"Cannot build W3b: {size} is not a multiple of 64")
    chunks = cut_periodic(W3B_FILLER_LINE, size // len(W3B_FILLER_LINE))
    chunks[-1] = chunks[-1][: -len(HEADER_END)] + HEADER_END  # the only separator: at the very end
    return chunks


async def consume_w3b(reader: asyncio.StreamReader, params: dict) -> None:
    block = await reader.readuntil(HEADER_END)
    rest = await reader.read()
    expect("W3b block length", len(block), params["size"])
    expect("W3b bytes left after the block", len(rest), 0)


Build = Callable[[dict], list[bytes]]
Consume = Callable[[asyncio.StreamReader, dict], Awaitable[None]]
WORKLOADS: dict[str, tuple[Build, Consume]] = {
    "W1": (build_w1, consume_w1),
    "W2": (build_w2, consume_w2),
    "W3": (build_w3, consume_w3),
    "W3b": (build_w3b, consume_w3b),
}


async def produce(reader: asyncio.StreamReader, chunks: list[bytes]) -> None:
    for chunk in chunks:
        reader.feed_data(chunk)
        await asyncio.sleep(0)
    reader.feed_eof()


async def time_pass(consume: Consume, chunks: list[bytes], params: dict) -> tuple[float, float]:
    """Returns the pass's wall-clock and CPU (user + system) seconds."""
    reader = asyncio.StreamReader(limit=params["limit"])
    cpu = time.process_time()
    start = time.perf_counter()
    await asyncio.gather(produce(reader, chunks), consume(reader, params))
    return time.perf_counter() - start, time.process_time() - cpu


async def measure(build: Build, consume: Consume, params: dict, passes: int) -> tuple[list[float], list[float]]:
    chunks = build(params)  # before any timer
    seconds = []
    cpu_seconds = []
    for _ in range(passes):
        gc.collect()
        wall, cpu = await time_pass(consume, chunks, params)
        seconds.append(wall)
        cpu_seconds.append(cpu)
    return seconds, cpu_seconds


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", required=True, choices=sorted(WORKLOADS))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--params", required=True, help="JSON: items or size, and limit")
    parser.add_argument("--warmup", required=True, help="JSON: the same at 10 %%")
    args = parser.parse_args()
    build, consume = WORKLOADS[args.workload]
    params = json.loads(args.params)
    await measure(build, consume, json.loads(args.warmup), 1)  # untimed warm-up
    seconds, cpu_seconds = await measure(build, consume, params, args.runs)
    max_rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    sys.stdout.write(json.dumps({"seconds": seconds, "cpuSeconds": cpu_seconds, "maxRssKiB": max_rss_kib}) + "\n")


if __name__ == "__main__":
    asyncio.run(main())
