"""Slow and idle clients against a running madoguchi (issue #13), driven by bench/clients.sh.

Phase 1 holds N connections that send a request header one byte a second and never finish
it (reconnecting when the server closes them); phase 2 holds N keep-alive connections that
made one request and then stay silent. Meanwhile a probe asks for /healthz and posts a
search every 100 ms on fresh connections and records how long each answer took, and the
server's resident memory is sampled. The probe runs in a process of its own, so that the
clients' event loop does not delay it. At the end of phase 2 the server gets SIGTERM with the
idle connections still open, and the time until it exits is measured.

    python3 bench/clients.py PID PORT [N] [SECONDS]
    python3 bench/clients.py PID PORT probe SECONDS      (started by the first form)
"""

import asyncio
import os
import json
import signal
import subprocess
import sys
import time

PID, PORT = int(sys.argv[1]), int(sys.argv[2])
PROBE = len(sys.argv) > 3 and sys.argv[3] == "probe"
N = 0 if PROBE else int(sys.argv[3]) if len(sys.argv) > 3 else 10_000
SECONDS = float(sys.argv[4]) if len(sys.argv) > 4 else 20
HOST = "127.0.0.1"
SLOW_HEAD = b"GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: slow\r\n"
SEARCH = "いじめの動画を消してほしい".encode()
FORM = b"q=" + "".join(f"%{b:02X}" for b in SEARCH).encode()


def rss_kib():
    try:
        with open(f"/proc/{PID}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except FileNotFoundError:
        return 0
    return 0


async def slow_client(stop, opened, gate):
    while not stop.is_set():
        try:
            async with gate:
                reader, writer = await asyncio.open_connection(HOST, PORT)
            opened[0] += 1
            for byte in SLOW_HEAD * 100:
                if stop.is_set():
                    break
                writer.write(bytes([byte]))
                await writer.drain()
                await asyncio.sleep(1)
        except (ConnectionError, OSError):
            await asyncio.sleep(0.5)
        finally:
            try:
                writer.close()
            except Exception:
                pass


async def idle_client(stop, opened, gate):
    while not stop.is_set():
        try:
            async with gate:
                reader, writer = await asyncio.open_connection(HOST, PORT)
            writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            await writer.drain()
            await reader.readuntil(b"ok\n")
            opened[0] += 1
            # Silent until the server closes the connection (its idle timeout) or the end.
            while not stop.is_set():
                if await asyncio.wait_for(reader.read(1), timeout=None) == b"":
                    break
        except (ConnectionError, OSError, asyncio.IncompleteReadError):
            await asyncio.sleep(0.5)
        finally:
            try:
                writer.close()
            except Exception:
                pass


async def timed(request):
    start = time.perf_counter()
    try:
        reader, writer = await asyncio.open_connection(HOST, PORT)
        writer.write(request)
        await writer.drain()
        response = await asyncio.wait_for(reader.read(), timeout=5)
        writer.close()
        ok = response.startswith(b"HTTP/1.1 200")
    except (ConnectionError, OSError, asyncio.TimeoutError):
        ok = False
    return (time.perf_counter() - start) * 1000, ok


async def probe(stop, results, memory):
    health = b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    search = (
        b"POST /search HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: " + str(len(FORM)).encode() + b"\r\n\r\n" + FORM
    )
    while not stop.is_set():
        results["healthz"].append(await timed(health))
        results["search"].append(await timed(search))
        memory.append(rss_kib())
        await asyncio.sleep(0.1)


def summary(name, samples):
    times = sorted(t for t, _ in samples)
    failed = sum(1 for _, ok in samples if not ok)
    p = lambda q: times[min(len(times) - 1, int(q * len(times)))]
    return f"{name:8} {len(times):4} probes  p50 {p(0.5):6.1f} ms  p99 {p(0.99):6.1f} ms  max {times[-1]:6.1f} ms  failed {failed}"


async def phase(name, client, keep_open=False):
    stop = asyncio.Event()
    opened = [0]
    gate = asyncio.Semaphore(256)  # connections being opened at once
    clients = [asyncio.create_task(client(stop, opened, gate)) for _ in range(N)]
    # Let the crowd connect, then probe while it holds on.
    await asyncio.sleep(2)
    probing = await asyncio.create_subprocess_exec(
        sys.executable, __file__, str(PID), str(PORT), "probe", str(SECONDS),
        stdout=subprocess.PIPE,
    )
    report = json.loads((await probing.communicate())[0])
    print(f"{name}: {N} clients, {opened[0]} connections opened in {SECONDS + 2:.0f} s")
    for key in ("healthz", "search"):
        print("  " + summary(key, report[key]))
    memory = report["memory"]
    print(f"  RSS     max {max(memory) / 1024:.1f} MB, last {memory[-1] / 1024:.1f} MB")
    exit_ms = None
    if keep_open:
        start = time.perf_counter()
        os.kill(PID, signal.SIGTERM)
        while os.path.exists(f"/proc/{PID}") and open(f"/proc/{PID}/stat").read().split()[2] != "Z":
            await asyncio.sleep(0.01)
            if time.perf_counter() - start > 60:
                break
        exit_ms = (time.perf_counter() - start) * 1000
        print(f"  SIGTERM with the connections open: gone after {exit_ms:.0f} ms")
    stop.set()
    for task in clients:
        task.cancel()
    await asyncio.gather(*clients, return_exceptions=True)


async def probe_only():
    stop = asyncio.Event()
    results = {"healthz": [], "search": []}
    memory = []
    probing = asyncio.create_task(probe(stop, results, memory))
    await asyncio.sleep(SECONDS)
    stop.set()
    await probing
    print(json.dumps({**results, "memory": memory}))


async def main():
    await phase("slow clients (one header byte a second)", slow_client)
    await asyncio.sleep(2)
    await phase("idle keep-alive connections", idle_client, keep_open=True)


asyncio.run(probe_only() if PROBE else main())
