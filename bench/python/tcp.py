#!/usr/bin/env python3
"""CPython asyncio streams on the TCP workloads W4-W6 and the scale workloads M1-M3 of BENCH.md.

Standard library only. Server and client run in this one process on 127.0.0.1 (asyncio's
start_server() and open_connection(), TCP_NODELAY on as asyncio sets it), except M1, whose idle
clients run in a second process (this script with --idle-client). bench/src/main.js passes the sizes
as JSON, so Node and Python run the same workload:

    python3 bench/python/tcp.py --workload W5 --runs 3 \\
        --params '{"connections": 1, "roundTrips": 50000, "limit": 65536}' \\
        --warmup '{"connections": 1, "roundTrips": 5000, "limit": 65536}'

Prints one JSON line: {"seconds": [...], "cpuSeconds": [...], "measures": [...], "maxRssKiB": ...}.
One untimed warm-up pass (the --warmup sizes) runs first; every pass checks its counts and raises
when one is wrong. The clock covers the measured part only: connections are opened before it starts.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import resource
import socket
import sys
import time
from collections.abc import Awaitable, Callable

HOST = "127.0.0.1"
PING = b"PING\n"
PONG = b"PONG\n"
# Connections opened at once: below the listen backlog (100, asyncio's default).
CONNECT_BATCH = 50
# Descriptors kept free for stdio, the listener and the runtime (M1).
FD_RESERVE = 100
SAMPLE_SECONDS = 0.01
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

Measure = dict[str, float]
PassResult = tuple[float, float, Measure]


def expect(what: str, actual: int, expected: int) -> None:
    if actual != expected:
        raise AssertionError(f"Wrong {what}: got {actual}, expected {expected}")


class Clock:
    """Wall-clock and CPU (user + system) seconds from construction to stop()."""

    def __init__(self) -> None:
        self.cpu = time.process_time()
        self.start = time.perf_counter()

    def stop(self) -> tuple[float, float]:
        return time.perf_counter() - self.start, time.process_time() - self.cpu


def rss() -> int:
    """The resident set size of this process, in bytes."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * PAGE_SIZE
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class RssPeak:
    """The peak RSS over a span: sampled on a timer and whenever sample() is called."""

    def __init__(self) -> None:
        self.base = rss()
        self.peak = self.base
        self._task = asyncio.ensure_future(self._tick())

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(SAMPLE_SECONDS)
            self.sample()

    def sample(self) -> None:
        now = rss()
        if now > self.peak:
            self.peak = now

    def stop(self) -> float:
        """Returns the growth over the span, in KiB."""
        self._task.cancel()
        self.sample()
        return (self.peak - self.base) / 1024


async def serve(handler: Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]], limit: int) -> tuple[asyncio.Server, int]:
    server = await asyncio.start_server(handler, HOST, 0, limit=limit)
    return server, server.sockets[0].getsockname()[1]


async def shut_down(server: asyncio.Server, writers: list[asyncio.StreamWriter]) -> None:
    for writer in writers:
        writer.close()
    await asyncio.gather(*(writer.wait_closed() for writer in writers))
    server.close()
    await server.wait_closed()


def fail(done: asyncio.Future, error: BaseException) -> None:
    if not done.done():
        done.set_exception(error)


async def wait_until(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"Timed out waiting for {what}")
        await asyncio.sleep(0.005)


async def in_batches(count: int, open_one: Callable[[], Awaitable]) -> list:
    opened = []
    for first in range(0, count, CONNECT_BATCH):
        opened.extend(await asyncio.gather(*(open_one() for _ in range(min(CONNECT_BATCH, count - first)))))
    return opened


async def w4(params: dict) -> PassResult:
    """64 KiB write() + drain() to write_eof(); the server reads with read(65536) until EOF."""
    size, chunk_size, limit = params["size"], params["chunk"], params["limit"]
    chunk = b"x" * chunk_size
    done = asyncio.get_running_loop().create_future()
    received = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal received
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                received += len(data)
            done.set_result(None)
        except BaseException as error:
            fail(done, error)
            raise
        finally:
            writer.close()

    server, port = await serve(handle, limit)
    reader, writer = await asyncio.open_connection(HOST, port, limit=limit)
    clock = Clock()
    for _ in range(size // chunk_size):
        writer.write(chunk)
        await writer.drain()
    writer.write_eof()
    await done
    wall, cpu = clock.stop()
    expect("W4 bytes received", received, size)
    expect("W4 bytes sent back", len(await reader.read()), 0)
    await shut_down(server, [writer])
    return wall, cpu, {}


async def ping_pong(params: dict) -> PassResult:
    """W5 and W6: each client writes PING + drain(), then readline(); the server answers PONG + drain()."""
    connections, round_trips, limit = params["connections"], params["roundTrips"], params["limit"]
    done = asyncio.get_running_loop().create_future()
    pings = bad_pings = ended = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal pings, bad_pings, ended
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                if len(line) != 5 or line[1] != 0x49:
                    bad_pings += 1
                pings += 1
                writer.write(PONG)
                await writer.drain()
            ended += 1
            if ended == connections:
                done.set_result(None)
        except BaseException as error:
            fail(done, error)
            raise
        finally:
            writer.close()

    server, port = await serve(handle, limit)
    clients = await in_batches(connections, lambda: asyncio.open_connection(HOST, port, limit=limit))
    pongs = bad_pongs = 0

    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal pongs, bad_pongs
        for _ in range(round_trips):
            writer.write(PING)
            await writer.drain()
            line = await reader.readline()
            if len(line) != 5 or line[1] != 0x4F:
                bad_pongs += 1
            pongs += 1

    clock = Clock()
    await asyncio.gather(*(client(reader, writer) for reader, writer in clients))
    wall, cpu = clock.stop()
    for _, writer in clients:
        writer.write_eof()
    await done
    expect("round trips answered by the server", pings, connections * round_trips)
    expect("round trips completed by the clients", pongs, connections * round_trips)
    expect("malformed PING lines", bad_pings, 0)
    expect("malformed PONG lines", bad_pongs, 0)
    for reader, _ in clients:
        expect("bytes after the last PONG", len(await reader.read()), 0)
    await shut_down(server, [writer for _, writer in clients])
    return wall, cpu, {}


async def m1(params: dict) -> PassResult:
    """Idle connections from a second process; each server connection waits in readline()."""
    requested, limit = params["connections"], params["limit"]
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    count = max(1, min(requested, (soft if soft != resource.RLIM_INFINITY else requested + FD_RESERVE) - FD_RESERVE))
    opened = ended = unexpected = 0
    failure = asyncio.get_running_loop().create_future()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal opened, ended, unexpected
        opened += 1
        try:
            line = await reader.readline()
            if line:
                unexpected += 1
            ended += 1
        except BaseException as error:
            fail(failure, error)
            raise
        finally:
            writer.close()

    server, port = await serve(handle, limit)

    async def hold(n: int, offset: int) -> asyncio.subprocess.Process:
        """Starts an idle-client process for n connections and waits until the server accepted them."""
        process = await asyncio.create_subprocess_exec(
            sys.executable, os.path.abspath(__file__), "--idle-client", "--port", str(port), "--count", str(n),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )
        assert process.stdout is not None and process.stdin is not None

        async def report_accepts() -> None:
            # The client waits for each batch to be accepted before the next (see idle_client()).
            reported = -1
            while True:
                if opened - offset != reported:
                    reported = opened - offset
                    process.stdin.write(f"{reported}\n".encode())
                await asyncio.sleep(0.001)

        reporting = asyncio.ensure_future(report_accepts())
        report = (await process.stdout.readline()).decode().split()
        reporting.cancel()
        if len(report) != 2 or report[0] != "connected":
            raise AssertionError(f"The idle-client process failed: {report}")
        expect("M1 connections opened by an idle-client process", int(report[1]), n)
        await wait_until(lambda: opened == offset + n or failure.done(), f"{offset + n} server connections")
        return process

    # As the Node rows (holdIdleConnections): half, then the rest, RSS after a full GC at each point.
    half = count // 2
    gc.collect()
    base = rss()
    clock = Clock()
    first = await hold(half, 0)
    gc.collect()
    middle = rss()
    second = await hold(count - half, half)
    wall, cpu = clock.stop()
    gc.collect()
    end = rss()
    growth = end - base
    for process in (first, second):
        assert process.stdin is not None
        process.stdin.close()
        await process.wait()
    await wait_until(lambda: ended == count or failure.done(), f"EOF on {count} server connections")
    if failure.done():
        failure.result()
    expect("M1 idle connections that received data", unexpected, 0)
    server.close()
    await server.wait_closed()
    return wall, cpu, {
        "kibPerConnection": growth / 1024 / count,
        "marginalKiB": (end - middle) / 1024 / (count - half),
        "connections": count,
        "fdLimited": 1 if count < requested else 0,
        "rssGrowthKiB": growth / 1024,
    }


async def m2(params: dict) -> PassResult:
    """write(64 KiB) + drain() for durationMs to a peer (a plain socket) that never reads."""
    loop = asyncio.get_running_loop()
    chunk_size, limit = params["chunk"], params["limit"]
    chunk = b"x" * chunk_size
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind((HOST, 0))
    listener.listen(100)
    listener.setblocking(False)
    accepting = asyncio.ensure_future(loop.sock_accept(listener))
    reader, writer = await asyncio.open_connection(HOST, listener.getsockname()[1], limit=limit)
    peer, _ = await accepting
    transport = writer.transport
    bound = transport.get_write_buffer_limits()[1] + chunk_size  # (low, high)
    gc.collect()
    memory = RssPeak()
    clock = Clock()
    deadline = time.perf_counter() + params["durationMs"] / 1000
    written = peak = 0
    while True:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            break
        writer.write(chunk)
        written += chunk_size
        peak = max(peak, transport.get_write_buffer_size())
        memory.sample()
        try:
            await asyncio.wait_for(writer.drain(), remaining)
        except TimeoutError:
            break
    wall, cpu = clock.stop()
    rss_growth = memory.stop()

    async def read_all() -> int:
        received = 0
        while True:
            data = await loop.sock_recv(peer, 262144)
            if not data:
                return received
            received += len(data)

    async def finish() -> None:
        await writer.drain()
        writer.write_eof()

    received, _ = await asyncio.gather(read_all(), finish())
    expect("M2 bytes received by the peer", received, written)
    if peak > bound:
        raise AssertionError(f"M2 write buffer not bounded: peak {peak} bytes, high-water mark + one write = {bound}")
    peer.close()
    expect("M2 bytes sent back", len(await reader.read()), 0)
    writer.close()
    await writer.wait_closed()
    listener.close()
    return wall, cpu, {"peakWriteBufferKiB": peak / 1024, "boundKiB": bound / 1024, "rssGrowthKiB": rss_growth, "writtenKiB": written / 1024}


async def m3(params: dict) -> PassResult:
    """size bytes without a newline to a readline() loop with limit 64 KiB; each ValueError is caught."""
    loop = asyncio.get_running_loop()
    size, chunk_size, limit = params["size"], params["chunk"], params["limit"]
    chunk = b"x" * chunk_size
    done = loop.create_future()
    ready = loop.create_future()
    fed = peak = max_chunk = overruns = lines = bad_lines = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal overruns, lines, bad_lines
        feed = reader.feed_data

        def feed_data(data: bytes) -> None:
            nonlocal fed, peak, max_chunk
            feed(data)
            fed += len(data)
            peak = max(peak, len(reader._buffer))  # noqa: SLF001 - the buffer's size, no copy
            max_chunk = max(max_chunk, len(data))

        # The handler task starts a loop turn after the connection is made: the client waits for
        # `ready`, so no byte arrives before the wrapper is in place.
        reader.feed_data = feed_data  # type: ignore[method-assign]
        ready.set_result(None)
        try:
            while True:
                try:
                    line = await reader.readline()
                except ValueError:  # asyncio's LimitOverrunError from readline(), after discarding
                    overruns += 1
                    continue
                if not line:
                    break
                lines += 1
                if b"\n" in line:
                    bad_lines += 1
            done.set_result(None)
        except BaseException as error:
            fail(done, error)
            raise
        finally:
            writer.close()

    server, port = await serve(handle, limit)
    reader, writer = await asyncio.open_connection(HOST, port, limit=limit)
    await ready
    gc.collect()
    memory = RssPeak()  # on its timer only, as the Node rows
    clock = Clock()
    for _ in range(size // chunk_size):
        writer.write(chunk)
        await writer.drain()
    writer.write_eof()
    await done
    wall, cpu = clock.stop()
    rss_growth = memory.stop()
    expect("M3 bytes fed to the reader", fed, size)
    expect("M3 lines with a newline", bad_lines, 0)
    if lines > 1:
        raise AssertionError(f"M3 returned {lines} lines: expected only the final partial one")
    if size > 2 * limit and overruns == 0:
        raise AssertionError("M3 never overran the limit")
    if peak > 2 * limit + max_chunk:
        raise AssertionError(f"M3 reader buffer not bounded: peak {peak} bytes > 2 x limit + one chunk ({2 * limit + max_chunk})")
    expect("M3 bytes sent back", len(await reader.read()), 0)
    await shut_down(server, [writer])
    return wall, cpu, {"peakReaderBufferKiB": peak / 1024, "rssGrowthKiB": rss_growth, "overruns": overruns, "megabytesPerSecond": size / wall / 1e6}


WORKLOADS: dict[str, Callable[[dict], Awaitable[PassResult]]] = {
    "W4": w4,
    "W5": ping_pong,
    "W6": ping_pong,
    "M1": m1,
    "M2": m2,
    "M3": m3,
}


async def measure(run_pass: Callable[[dict], Awaitable[PassResult]], params: dict, passes: int) -> tuple[list[float], list[float], list[Measure]]:
    seconds: list[float] = []
    cpu_seconds: list[float] = []
    measures: list[Measure] = []
    for _ in range(passes):
        gc.collect()
        wall, cpu, result = await run_pass(params)
        seconds.append(wall)
        cpu_seconds.append(cpu)
        measures.append(result)
    return seconds, cpu_seconds, measures


def idle_client(port: int, count: int) -> None:
    """M1's second process: opens count idle connections, reports, holds them until stdin closes.

    The server writes how many connections it has accepted to our stdin, one number a line; each
    batch of connects waits until the previous ones were all accepted: running ahead would overflow
    the listen backlog (100), and every dropped SYN costs a one-second retry.
    """
    sockets = []
    accepted = 0
    for first in range(0, count, CONNECT_BATCH):
        while accepted < first:
            line = sys.stdin.readline()
            if not line:
                return
            accepted = int(line)
        for _ in range(min(CONNECT_BATCH, count - first)):
            connection = socket.create_connection((HOST, port))
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sockets.append(connection)
    sys.stdout.write(f"connected {len(sockets)}\n")
    sys.stdout.flush()
    sys.stdin.read()  # until the parent closes our stdin; exiting closes every socket (FIN)


async def main(args: argparse.Namespace) -> None:
    run_pass = WORKLOADS[args.workload]
    await measure(run_pass, json.loads(args.warmup), 1)  # untimed warm-up
    seconds, cpu_seconds, measures = await measure(run_pass, json.loads(args.params), args.runs)
    max_rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    sys.stdout.write(json.dumps({"seconds": seconds, "cpuSeconds": cpu_seconds, "measures": measures, "maxRssKiB": max_rss_kib}) + "\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workload", choices=sorted(WORKLOADS))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--params", help="JSON: sizes and limit")
    parser.add_argument("--warmup", help="JSON: the warm-up pass's sizes")
    parser.add_argument("--idle-client", action="store_true", help="run as M1's client process")
    parser.add_argument("--port", type=int)
    parser.add_argument("--count", type=int)
    arguments = parser.parse_args()
    if arguments.idle_client:
        idle_client(arguments.port, arguments.count)
    else:
        if arguments.workload is None or arguments.params is None or arguments.warmup is None:
            parser.error("--workload, --params and --warmup are required")
        asyncio.run(main(arguments))
