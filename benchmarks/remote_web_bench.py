"""Remote web benchmark: our web tier (2 gunicorn worker processes) on Virtuoso beside the same on
the embedded store, in the same run, the two measured alternately.

For N generated videos (the catalogue generated once and reused; --catalogue names one already
there; --embedded-store reuses an embedded store already built from it), with a throwaway
Virtuoso started on 127.0.0.1 (tests/services.py, `NumberOfBuffers` by size as in
remote_bench.py) and the catalogue built into it with `publisher build --full`:

- dereference: `publisher serve --workers 2` (gunicorn, sync workers) on each store, and a
  Python client of C threads (default 8) each on its own connection (kept alive when the server
  allows it; gunicorn's sync workers close each one, so the client reconnects), for S seconds
  per measurement: GET /video/<slug> with `Accept: text/turtle` and with `Accept: text/html`,
  (a) "misses": every request a video not asked of that server before (a fresh slice of the
  catalogue's shuffled ids for each measurement, so each process's representation cache misses;
  the miss ratio printed is the share of requests for a representation that server had not been
  asked for, a lower bound) and (b) "cached": the same 10 videos again, after a warm-up.
  Requests/s, p50 and p99 latency, errors (any answer but 200). Each measurement is made ROUNDS
  times, the stores alternating (embedded first in even rounds, Virtuoso first in odd ones).
- questions: every question of queries/ through our HTTP API (`GET /api/queries/NAME?...`, the
  parameters query_bench.py picks from the embedded store), one client, on a server of each
  store started with `--sparql-cache-mb 0` (every request evaluated): p50 / p99 over RUNS
  requests or BUDGET seconds (at least 3), after one warm-up, the stores alternating by question;
  the ratio Virtuoso p50 / embedded p50 against the target (within 2x).

With --baseline SRC (another checkout of the publisher, e.g. /work/main), a third server runs
that code on the same Virtuoso ("Virtuoso (baseline)"), measured in turn with the other two: before
and after a change, side by side. With --virtuoso-env FILE (JSON: the PUBLISHER_STORE… variables of
a Virtuoso already running with the catalogue built into it), that store is read and nothing is
built into Virtuoso.

Prints Markdown tables and the load average around each part.

    .venv/bin/python benchmarks/remote_web_bench.py --videos 100000 [--catalogue DIR] [--embedded-store DIR]
        [--virtuoso-env FILE] [--baseline SRC] [--connections 8] [--seconds 10] [--rounds 2] [--runs 20]
        [--budget 6] [--out bench-out]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from query_bench import params_for, percentile, pick_params, server_uncached  # noqa: E402
from remote_bench import build as timed_build  # noqa: E402
from remote_bench import remote_env  # noqa: E402
from web_bench import generate, stop, wait_for  # noqa: E402

from publisher.named_queries import load_queries  # noqa: E402
from publisher.store.version import PublishedVersion  # noqa: E402
from tests.services import free_port, virtuoso_server  # noqa: E402

KINDS = (("Turtle", "text/turtle"), ("HTML", "text/html"))
CACHED_VIDEOS = 10
TARGET_RATIO = 2.0


@dataclass
class Server:
    store: str
    url: str
    process: subprocess.Popen[bytes]
    asked: set[tuple[str, str]] = field(default_factory=set)  # (slug, Accept) asked of it so far


@dataclass
class Measure:
    store: str
    what: str
    requests: int
    seconds: float
    latencies: list[float]
    errors: int
    misses: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def start_server(label: str, env: dict[str, str], *options: str, source: Path | None = None) -> Server:
    """`source`: another checkout whose code serves (its directory first on the path), else this one's."""
    port = free_port()
    path = {"PYTHONPATH": str(source)} if source else {}
    process = subprocess.Popen(
        [sys.executable, "-m", "publisher", "serve", "--workers", "2", "--port", str(port), *options],
        env={**os.environ, **env, **path}, cwd=source, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    wait_for(f"{url}/", time.monotonic() + 120)
    return Server(label, url, process)


def load(server: Server, what: str, accept: str, slugs: list[str], connections: int, seconds: float) -> Measure:
    """`connections` threads, each with its own connection, asking for `slugs` in turn for `seconds`."""
    host, port = server.url.removeprefix("http://").split(":")
    lock = threading.Lock()
    state = {"next": 0, "errors": 0, "misses": 0, "requests": 0}
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    def worker() -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        mine: list[float] = []
        while time.perf_counter() < deadline:
            with lock:
                slug = slugs[state["next"] % len(slugs)]
                state["next"] += 1
                if (slug, accept) not in server.asked:
                    server.asked.add((slug, accept))
                    state["misses"] += 1
            start = time.perf_counter()
            try:
                connection.request("GET", f"/video/{slug}", headers={"Accept": accept})
                answer = connection.getresponse()
                answer.read()
                ok = answer.status == 200
                if answer.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException):
                connection.close()
                ok = False
            mine.append((time.perf_counter() - start) * 1000)
            if not ok:
                with lock:
                    state["errors"] += 1
        connection.close()
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return Measure(server.store, what, len(latencies), elapsed, latencies, state["errors"], state["misses"])


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def dereference(servers: list[Server], slugs: list[str], args: argparse.Namespace) -> str:
    pool = list(slugs)
    random.Random(42).shuffle(pool)
    fresh = iter(range(0, 10**9, args.slice))
    cached = pool[:CACHED_VIDEOS]
    pool = pool[CACHED_VIDEOS:]
    results: dict[tuple[str, str], list[Measure]] = {}
    for server in servers:  # connections up, workers loaded, the cached videos cached in both processes
        for _, accept in KINDS:
            load(server, "warm-up", accept, cached, args.connections, 3)
    for round_ in range(args.rounds):
        order = servers if round_ % 2 == 0 else list(reversed(servers))
        for kind, accept in KINDS:
            for server in order:
                start = next(fresh)
                chunk = [pool[(start + i) % len(pool)] for i in range(args.slice)]
                measured = load(server, f"{kind}, misses", accept, chunk, args.connections, args.seconds)
                results.setdefault((server.store, measured.what), []).append(measured)
                print(f"  round {round_}: {server.store} {measured.what}: {measured.rps:,.0f} req/s, "
                      f"miss {measured.misses / max(1, measured.requests):.0%}, load {loadavg()}", file=sys.stderr)
            for server in order:
                measured = load(server, f"{kind}, cached", accept, cached, args.connections, args.seconds)
                results.setdefault((server.store, measured.what), []).append(measured)
                print(f"  round {round_}: {server.store} {measured.what}: {measured.rps:,.0f} req/s, "
                      f"load {loadavg()}", file=sys.stderr)
    lines = ["| store | request | req/s, median (rounds) | p50 (ms) | p99 (ms) | requests | miss ratio | errors |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for kind, _ in KINDS:
        for what in (f"{kind}, misses", f"{kind}, cached"):
            for server in servers:
                runs = results[(server.store, what)]
                every = [x for r in runs for x in r.latencies]
                requests = sum(r.requests for r in runs)
                misses = sum(r.misses for r in runs)
                rates = ", ".join(f"{r.rps:,.0f}" for r in runs)
                lines.append(f"| {server.store} | {what} | {statistics.median(r.rps for r in runs):,.0f} ({rates}) | "
                             f"{statistics.median(every):.1f} | {percentile(every, 99):.1f} | {requests:,} | "
                             f"{misses / max(1, requests):.0%} | {sum(r.errors for r in runs)} |")
    return "\n".join(lines)


def questions(servers: list[Server], picked: dict[str, str], args: argparse.Namespace) -> str:
    remote = [server.store for server in servers if server.store != "embedded"]
    lines = ["| question | embedded p50 / p99 (ms) | " + " | ".join(f"{r} p50 / p99 (ms) | ratio | within 2×" for r in remote)
             + " | rows |", "| --- | ---: | " + " | ".join("---: | ---: | ---" for _ in remote) + " | ---: |"]
    within = dict.fromkeys(remote, 0)
    for index, (name, query) in enumerate(sorted(load_queries().items())):
        if args.only and name not in args.only:
            continue
        given = params_for(query, picked)
        order = servers if index % 2 == 0 else list(reversed(servers))
        timing: dict[str, object] = {}
        for server in order:
            try:
                timing[server.store] = server_uncached(server.url, name, given, args.runs, args.budget)
            except Exception as problem:  # noqa: BLE001 (a question a store cannot answer: say why)
                timing[server.store] = str(problem).splitlines()[0][:80]
        here = timing["embedded"]
        cells = [here.cell() if hasattr(here, "cell") else f"fails: {here}"]  # type: ignore[attr-defined]
        rows = [f"{here.rows:,}" if hasattr(here, "rows") else ""]  # type: ignore[attr-defined]
        for label in remote:
            there = timing[label]
            if hasattr(here, "p50_ms") and hasattr(there, "p50_ms"):
                ratio = there.p50_ms / here.p50_ms  # type: ignore[attr-defined]
                within[label] += ratio <= TARGET_RATIO
                cells.append(f"{there.cell()} | {ratio:.2f} | {'yes' if ratio <= TARGET_RATIO else '**no**'}")  # type: ignore[attr-defined]
                if there.rows != here.rows:  # type: ignore[attr-defined]
                    rows.append(f"{there.rows:,} ({label})")  # type: ignore[attr-defined]
            else:
                cells.append(f"fails: {there} | | **no**")
        lines.append(f"| {name} | {' | '.join(cells)} | {' / '.join(rows)} |")
        print(f"  {lines[-1]}  (load {loadavg()})", file=sys.stderr)
    lines += ["", "; ".join(f"{label}: {n} questions within {TARGET_RATIO:g}× of embedded" for label, n in within.items())]
    return "\n".join(lines)


def video_slugs(catalogue: Path, rejects: Path) -> list[str]:
    rejected = set()
    if rejects.exists():
        for line in rejects.read_text(encoding="utf-8").splitlines():
            try:
                rejected.add(json.loads(line).get("id"))
            except (ValueError, AttributeError):
                pass
    with (catalogue / "videos.jsonl").open(encoding="utf-8") as lines:
        return [slug for slug in (json.loads(line)["id"] for line in lines if line.strip()) if slug not in rejected]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--videos", type=int, default=100_000)
    parser.add_argument("--catalogue", type=Path, help="a generated catalogue already there (default: generate one)")
    parser.add_argument("--embedded-store", type=Path, help="an embedded store already built from the catalogue (reused)")
    parser.add_argument("--virtuoso-env", type=Path,
                        help="JSON of the PUBLISHER_STORE… variables of a Virtuoso already holding the catalogue (reused)")
    parser.add_argument("--baseline", type=Path, help="another checkout of the publisher to serve the same Virtuoso too")
    parser.add_argument("--out", type=Path, default=Path("bench-out"))
    parser.add_argument("--buffers", type=int, default=0, help="Virtuoso NumberOfBuffers (default: by size)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent client connections")
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds per dereference measurement")
    parser.add_argument("--rounds", type=int, default=2, help="dereference measurements per store, alternating")
    parser.add_argument("--slice", type=int, default=8000, help="distinct videos given to each 'misses' measurement")
    parser.add_argument("--runs", type=int, default=20, help="requests per question and store at most")
    parser.add_argument("--budget", type=float, default=6.0, help="seconds per question and store at most")
    parser.add_argument("--only", nargs="*", help="only these questions")
    parser.add_argument("--skip-questions", action="store_true")
    parser.add_argument("--skip-dereference", action="store_true")
    args = parser.parse_args()
    args.out = args.out.resolve()  # Virtuoso runs in a directory of its own: its paths must be absolute
    args.out.mkdir(parents=True, exist_ok=True)
    catalogue = args.catalogue or generate(args.out, args.videos)
    buffers = args.buffers or min(680000, max(20000, args.videos * 5))
    report = [f"{args.videos:,} videos; load average at the start {loadavg()}; Virtuoso NumberOfBuffers {buffers}; "
              f"{args.connections} connections, {args.seconds:.0f} s a measurement, {args.rounds} rounds", ""]
    with tempfile.TemporaryDirectory(prefix="remote-web-bench-", dir=args.out) as scratch, \
            virtuoso_store(args, Path(scratch), buffers) as remote:
        work = Path(scratch)
        embedded_dir = args.embedded_store or work / "embedded"
        embedded_env = {"PUBLISHER_STORE": str(embedded_dir), "PUBLISHER_REJECTS": str(work / "rejects.jsonl")}
        builds = [] if args.virtuoso_env else [("Virtuoso", remote)]
        if not (embedded_dir / "current").exists():
            builds.insert(0, ("embedded", embedded_env))
        for label, env in builds:
            wall, _ = timed_build(catalogue, env)
            report.append(f"built into {label} in {wall:,.0f} s (load average after {loadavg()})")
            print(report[-1], file=sys.stderr)
        version = PublishedVersion((embedded_dir / "current").resolve())
        report.append(f"{version.manifest.triples:,} triples in the embedded version\n")
        slugs = video_slugs(catalogue, work / "rejects.jsonl")
        stores: list[tuple[str, dict[str, str], Path | None]] = [("embedded", embedded_env, None), ("Virtuoso", remote, None)]
        if args.baseline:
            stores.append(("Virtuoso (baseline)", remote, args.baseline.resolve()))
        servers = []
        try:
            if not args.skip_dereference:
                servers = [start_server(label, env, source=source) for label, env, source in stores]
                report += [f"Dereference (load average before {loadavg()}):", "", dereference(servers, slugs, args), "",
                           f"load average after {loadavg()}", ""]
        finally:
            for server in servers:
                stop(server.process)
        if not args.skip_questions:
            disk = ox.Store.read_only(str(version.path / "oxigraph"))
            picked = pick_params(disk, version.manifest.base)
            del disk
            print("parameters:", picked, file=sys.stderr)
            servers = []
            try:
                servers = [start_server(label, env, "--sparql-cache-mb", "0", source=source) for label, env, source in stores]
                report += [f"Questions, uncached (load average before {loadavg()}; parameters {picked}):", "",
                           questions(servers, picked, args), "", f"load average after {loadavg()}"]
            finally:
                for server in servers:
                    stop(server.process)
    print("\n".join(report))


@contextlib.contextmanager
def virtuoso_store(args: argparse.Namespace, work: Path, buffers: int) -> Iterator[dict[str, str]]:
    """The PUBLISHER_… variables of the Virtuoso to read: the one --virtuoso-env names, else a throwaway one."""
    if args.virtuoso_env:
        yield json.loads(args.virtuoso_env.read_text(encoding="utf-8"))
        return
    with virtuoso_server(work / "virtuoso", buffers=buffers) as virtuoso:
        yield {**remote_env(virtuoso, work / "files", "bench"), "PUBLISHER_REJECTS": str(work / "rejects.jsonl")}


if __name__ == "__main__":
    main()
