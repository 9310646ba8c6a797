"""OAI-PMH benchmark: a full harvest of a generated catalogue with Sickle, through resumption tokens.

On a store built from N generated videos (generated and built once under --out, then reused;
or an existing store given with --store, only read), start `publisher serve` (Werkzeug,
threaded) with the page size asked for, time the first request (which builds the version's
OAI index), then harvest every record with Sickle (`ListRecords`, each --prefix in turn),
sampling the server's resident set (from /proc) every 0.2 s. Prints a Markdown table.

    .venv/bin/python benchmarks/oai_bench.py [--videos 100000] [--store DIR] [--page-size 100] [--prefix oai_dc]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from sickle import Sickle
from web_bench import build, generate, rss_mb, stop, wait_for

PORT = 5793
TARGET = "≥ 2,000 records/s, server memory flat during the harvest"


@dataclass(frozen=True)
class Harvest:
    prefix: str
    records: int
    seconds: float
    rss_start: float
    rss_max: float
    rss_end: float
    server_cpu: float  # seconds of CPU the server used during the harvest
    client_cpu: float  # and Sickle

    @property
    def rate(self) -> float:
        return self.records / self.seconds


class Sampler(threading.Thread):
    """The server's resident set, every `interval` seconds, until stopped."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.samples: list[float] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.samples.append(rss_mb(self.pid))
            self.done.wait(self.interval)

    def stop(self) -> list[float]:
        self.done.set()
        self.join()
        return self.samples


def serve(store: Path, page_size: int) -> tuple[subprocess.Popen[bytes], float, float]:
    """The server, the seconds to its first answer and those of the first OAI request (index built)."""
    started = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", "publisher", "serve", "--store", str(store), "--port", str(PORT),
         "--oai-page-size", str(page_size)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{PORT}/robots.txt", started + 60)
        up = time.monotonic() - started
        first = time.monotonic()
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/oai?verb=Identify", timeout=300) as answer:
            answer.read()
    except BaseException:
        stop(server)
        raise
    return server, up, time.monotonic() - first


def harvest(prefix: str, pid: int) -> Harvest:
    sampler = Sampler(pid)
    sampler.start()
    started, server_cpu, client_cpu = time.monotonic(), cpu_seconds(pid), time.process_time()
    count = 0
    for _ in Sickle(f"http://127.0.0.1:{PORT}/oai", max_retries=0).ListRecords(metadataPrefix=prefix, ignore_deleted=False):
        count += 1
    seconds = time.monotonic() - started
    server_cpu, client_cpu = cpu_seconds(pid) - server_cpu, time.process_time() - client_cpu
    samples = sampler.stop()
    return Harvest(prefix, count, seconds, samples[0], max(samples), samples[-1], server_cpu, client_cpu)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc (a figure other processes do not inflate)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--videos", type=int, default=100_000)
    parser.add_argument("--store", type=Path, help="an existing store, only read (default: built under --out)")
    parser.add_argument("--out", type=Path, default=Path("bench-out"))
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--prefix", action="append", help="metadata formats to harvest, in turn (default: oai_dc)")
    args = parser.parse_args()
    store = args.store
    if store is None:
        store = args.out / f"oai-store-{args.videos}"
        build(generate(args.out, args.videos), store)
    load_before = os.getloadavg()[0]
    server, up, index = serve(store, args.page_size)
    try:
        runs = [harvest(prefix, server.pid) for prefix in args.prefix or ["oai_dc"]]
    finally:
        stop(server)
    # Other processes on the machine slow every figure down: say how busy it was.
    print(f"Load average (1 min) before {load_before:.1f}, after {os.getloadavg()[0]:.1f}, on {os.cpu_count()} cores.")
    print(f"Store: {store} · page size {args.page_size} · server up in {up:.1f} s · "
          f"first OAI request (builds the version's index) {index:.1f} s · target {TARGET}\n")
    print("| format | records | seconds | records/s | server CPU s (records per CPU s) | Sickle CPU s "
          "| server RSS at start → max → end (MB) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for run in runs:
        print(f"| `{run.prefix}` | {run.records:,} | {run.seconds:.1f} | {run.rate:,.0f} | "
              f"{run.server_cpu:.1f} ({run.records / run.server_cpu:,.0f}) | {run.client_cpu:.1f} | "
              f"{run.rss_start:.0f} → {run.rss_max:.0f} → {run.rss_end:.0f} |")


if __name__ == "__main__":
    main()
