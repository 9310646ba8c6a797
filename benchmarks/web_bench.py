"""Web benchmark: dereferencing one video, our server beside rdflib-endpoint, in the same run.

On a store built from N generated videos (generated and built once, then reused), start
`publisher serve --workers 2` (gunicorn) and time process start -> first 200 on `/`; then
`wrk --latency` (127.0.0.1 only) on one video's Turtle and HTML, with 1 connection (-t1 -c1)
and 8 (-t2 -c8), each after a warm-up. Beside it, rdflib-endpoint (uvicorn, 2 workers) serves
a SPARQL CONSTRUCT of the same video's description, the very query our server runs, over an
rdflib graph holding that description (the video's statements, its speaker and counter nodes,
and the labels of what it links to: what the CONSTRUCT returns, loaded from N-Triples).
Finally the resident set of our server (gunicorn master + workers, from /proc). Prints a
Markdown table.

    .venv/bin/python benchmarks/web_bench.py [--videos 100000] [--seconds 10] [--runs 3] [--out bench-out]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from publisher.store.version import PublishedVersion  # noqa: E402
from publisher.web import describe  # noqa: E402

VIDEO = "demo-000042"
OUR_PORT = 5791
RDFLIB_PORT = 5792
CONNECTIONS = (("-t1", "-c1"), ("-t2", "-c8"))
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}
TARGETS = "≥ 2,500 req/s with 8 connections, p99 < 25 ms, start < 2 s, RSS < 400 MB"


@dataclass(frozen=True)
class Run:
    server: str
    what: str
    connections: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def generate(out: Path, videos: int) -> Path:
    target = out / f"catalogue-{videos}"
    if not (target / "videos.jsonl").exists():
        subprocess.run([sys.executable, "-m", "publisher", "demo-data", "--videos", str(videos), "-o", str(target)], check=True)
    return target


def build(catalogue: Path, store: Path, rejects: str = "web-rejects.jsonl") -> None:
    if (store / "current").exists():
        return
    subprocess.run(
        [sys.executable, "-m", "publisher", "build", str(catalogue), "--full", "--store", str(store),
         "--rejects", str(store.parent / rejects), "--quiet"],
        check=True,
    )


def video_description(store: Path, scratch: Path) -> tuple[str, Path, int]:
    """The video's IRI, its description as N-Triples (what rdflib-endpoint loads), its size."""
    version = PublishedVersion((store / "current").resolve())
    iri = f"{version.manifest.base}video/{VIDEO}"
    triples = describe.construct(version, describe.DESCRIPTION, iri)
    target = scratch / f"{VIDEO}.nt"
    target.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
    return iri, target, len(triples)


def wait_for(url: str, deadline: float, headers: dict[str, str] | None = None) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.005)
    raise SystemExit(f"{url} did not answer 200 in time")


def start_ours(store: Path) -> tuple[subprocess.Popen[bytes], float]:
    started = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", "publisher", "serve", "--store", str(store), "--workers", "2", "--port", str(OUR_PORT)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    wait_for(f"http://127.0.0.1:{OUR_PORT}/", started + 60)
    return server, time.monotonic() - started


def start_rdflib(graph_file: Path) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "web_bench:rdflib_app", "--app-dir", str(Path(__file__).parent),
         "--host", "127.0.0.1", "--port", str(RDFLIB_PORT), "--workers", "2", "--no-access-log", "--log-level", "warning"],
        env={**os.environ, "WEB_BENCH_GRAPH": str(graph_file)}, start_new_session=True,
    )
    wait_for(f"http://127.0.0.1:{RDFLIB_PORT}/sparql?query=ASK%7B%7D", time.monotonic() + 60)
    return server


def rdflib_app() -> Any:
    """The ASGI app uvicorn's workers import: rdflib-endpoint over the video's description."""
    from rdflib import Graph
    from rdflib_endpoint import SparqlEndpoint

    graph = Graph()
    graph.parse(os.environ["WEB_BENCH_GRAPH"], format="nt")
    return SparqlEndpoint(graph=graph, path="/sparql")


def stop(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def rss_mb(pid: int) -> float:
    """Resident set of a process and of all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        status = Path(f"/proc/{current}/status").read_text()
        total += int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))  # type: ignore[union-attr]
    return total / 1024


def latency_ms(output: str, percentile: str) -> float:
    value, unit = re.search(rf"^\s*{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()  # type: ignore[union-attr]
    return float(value) * UNITS[unit]


def wrk(url: str, flags: tuple[str, str], seconds: int, headers: dict[str, str]) -> str:
    command = ["wrk", *flags, f"-d{seconds}s", "--latency", *[f"-H{k}: {v}" for k, v in headers.items()], url]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def measure(server: str, what: str, url: str, headers: dict[str, str], seconds: int) -> list[Run]:
    wrk(url, CONNECTIONS[-1], 3, headers)  # warm-up on every worker: caches filled, connections up
    runs = []
    for flags in CONNECTIONS:
        output = wrk(url, flags, seconds, headers)
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        runs.append(Run(
            server, what, int(flags[1][2:]), float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
            latency_ms(output, "50"), latency_ms(output, "99"), int(errors.group(1)) if errors else 0,
        ))
        print(f"  {server} {what} c={runs[-1].connections}: {runs[-1].rps:,.0f} req/s, p99 {runs[-1].p99_ms} ms",
              file=sys.stderr)
    return runs


def one_run(store: Path, iri: str, graph_file: Path, seconds: int) -> tuple[list[Run], float, float]:
    """Our server, then rdflib-endpoint, one at a time (they would share the same two cores)."""
    server, start_s = start_ours(store)
    try:
        ours = f"http://127.0.0.1:{OUR_PORT}/video/{VIDEO}"
        runs = measure("ours", "Turtle (`.ttl`)", ours + ".ttl", {}, seconds)
        runs += measure("ours", "HTML", ours, {"Accept": "text/html"}, seconds)
        rss = rss_mb(server.pid)
    finally:
        stop(server)
    rdflib = start_rdflib(graph_file)
    try:
        query = describe.bind(describe.DESCRIPTION, this=ox.NamedNode(iri))
        url = f"http://127.0.0.1:{RDFLIB_PORT}/sparql?" + urllib.parse.urlencode({"query": query})
        runs += measure("rdflib-endpoint", "Turtle (CONSTRUCT)", url, {"Accept": "text/turtle"}, seconds)
    finally:
        stop(rdflib)
    return runs, start_s, rss


def medians(runs: list[list[Run]]) -> list[Run]:
    """Each measurement's median over the runs (req/s, p50 and p99 each on its own)."""
    return [
        Run(same[0].server, same[0].what, same[0].connections, statistics.median(r.rps for r in same),
            statistics.median(r.p50_ms for r in same), statistics.median(r.p99_ms for r in same), sum(r.errors for r in same))
        for same in zip(*runs, strict=True)
    ]


def table(runs: list[list[Run]], starts: list[float], rss: list[float], triples: int) -> str:
    middle = medians(runs)
    baseline = {r.connections: r for r in middle if r.server == "rdflib-endpoint"}
    lines = [
        "| server | representation | connections | req/s, median (runs) | p50 (ms) | p99 (ms) | ÷ rdflib-endpoint | errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for i, r in enumerate(middle):
        each = ", ".join(f"{run[i].rps:,.0f}" for run in runs)
        ratio = f"{r.rps / baseline[r.connections].rps:.1f}" if r.server != "rdflib-endpoint" else "1"
        lines.append(f"| {r.server} | {r.what} | {r.connections} | {r.rps:,.0f} ({each}) | {r.p50_ms:.2f} | {r.p99_ms:.2f} | "
                     f"{ratio} | {r.errors} |")
    lines += ["", f"Our server (gunicorn, 2 workers): start to first 200 on `/` **{statistics.median(starts):.2f} s** "
              f"({', '.join(f'{s:.2f}' for s in starts)}), resident set after the runs **{statistics.median(rss):.0f} MB** "
              f"({', '.join(f'{m:.0f}' for m in rss)}; master + workers). rdflib-endpoint holds the video's description, "
              f"{triples} triples. Targets: {TARGETS}."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--videos", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("bench-out"))
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    args.out.mkdir(parents=True, exist_ok=True)
    store = args.out / "web-store"
    build(generate(args.out, args.videos), store)
    iri, graph_file, triples = video_description(store, args.out)
    runs, starts, rss = [], [], []
    for _ in range(args.runs):
        measured, start_s, rss_run = one_run(store, iri, graph_file, args.seconds)
        runs.append(measured)
        starts.append(start_s)
        rss.append(rss_run)
    print(table(runs, starts, rss, triples))


if __name__ == "__main__":
    main()
