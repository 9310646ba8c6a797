"""Remote store benchmark: publishing to Virtuoso beside the embedded store, and the named
questions' p50 on both.

For N generated videos (the catalogue generated once and reused; --catalogue names one already
there), with a throwaway Virtuoso started on 127.0.0.1 (tests/services.py):

- build: `publisher build --full --timings` in a fresh process, into an embedded store and into
  Virtuoso (`--store virtuoso+http://…`), wall time until the command ends (dumps included) and
  the build's own steps;
- questions (--questions): every question of queries/, with the parameters query_bench.py picks,
  p50 on the embedded version (pyoxigraph on disk, `PublishedVersion.query`) and on Virtuoso
  (`RemoteGraph.query`, over HTTP), the rows of both compared;
- loading alone (--tune): the published N-Triples posted to fresh graphs with several batch sizes
  and numbers of concurrent posts (how BATCH_BYTES and CONCURRENT_POSTS were chosen).

    .venv/bin/python benchmarks/remote_bench.py --videos 100000 --questions --tune [--catalogue DIR] [--out bench-out]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from query_bench import params_for, pick_params, timed  # noqa: E402
from web_bench import generate  # noqa: E402

from publisher.named_queries import bind, load_queries  # noqa: E402
from publisher.settings import Settings  # noqa: E402
from publisher.store import open_store  # noqa: E402
from publisher.store.version import PublishedVersion  # noqa: E402
from tests.services import Server, virtuoso_server  # noqa: E402


def build(catalogue: Path, env: dict[str, str], server: Server,
          part_mb: int = 0) -> tuple[float, dict[str, float], dict[str, float]]:
    """The wall time of `publisher build --full`, its steps, and the peak resident sets (MB) of its
    largest process and of Virtuoso, sampled every second. `part_mb`: the bulk loader's files of
    that size instead of PART_BYTES (larger than the graph: loaded once the mapping is done)."""
    start = time.perf_counter()
    publisher = ["-m", "publisher"] if not part_mb else [
        "-c", f"import publisher.store.virtuoso_bulk as b; b.PART_BYTES = {part_mb} << 20; from publisher.cli import run; run()"]
    process = subprocess.Popen(
        [sys.executable, *publisher, "build", str(catalogue), "--full", "--quiet", "--timings"],
        env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    peaks = {"build_mb": 0.0, "virtuoso_mb": 0.0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(1.0):
            try:
                tree = [psutil.Process(process.pid), *psutil.Process(process.pid).children(recursive=True)]
                peaks["build_mb"] = max(peaks["build_mb"], *(p.memory_info().rss / 2**20 for p in tree))
                peaks["virtuoso_mb"] = max(peaks["virtuoso_mb"], psutil.Process(server.process.pid).memory_info().rss / 2**20)
            except psutil.Error:
                pass

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    stop.set()
    sampler.join()
    wall = time.perf_counter() - start
    if process.returncode != 0:
        sys.exit(f"the build failed ({process.returncode}) after {wall:.0f} s: {err}")
    line = next(line for line in out.splitlines() + err.splitlines() if line.startswith("time:"))
    return wall, json.loads(line.split(":", 1)[1]), peaks


def remote_env(server: Server, files: Path, name: str, bulk_loaders: int = 0) -> dict[str, str]:
    """The settings of a build into `server`; with `bulk_loaders`, by Virtuoso's bulk loader from a
    directory inside the server's own (its DirsAllowed)."""
    env = {"PUBLISHER_STORE": server.url, "PUBLISHER_STORE_FILES": str(files), "PUBLISHER_STORE_NAME": name,
           "PUBLISHER_STORE_USER": server.user, "PUBLISHER_STORE_PASSWORD": server.password}
    if bulk_loaders:
        env |= {"PUBLISHER_STORE_BULK_DIR": str(server.directory / "bulk"),
                "PUBLISHER_STORE_SQL": f"127.0.0.1:{server.sql_port}", "PUBLISHER_STORE_BULK_LOADERS": str(bulk_loaders)}
    return env


def settings_from(env: dict[str, str]) -> Settings:
    names = {"PUBLISHER_STORE": "store", "PUBLISHER_STORE_FILES": "store_files", "PUBLISHER_STORE_NAME": "store_name",
             "PUBLISHER_STORE_USER": "store_user", "PUBLISHER_STORE_PASSWORD": "store_password"}
    given: dict[str, Any] = {names[k]: v for k, v in env.items() if k in names}
    return Settings(**given)


def rows_of(version: PublishedVersion, sparql: str, base: str, substitutions: Any) -> list[tuple[str, ...]]:
    results = version.query(sparql, base, substitutions)
    names = [v.value for v in results.variables]
    return [tuple(str(row[n]) for n in names) for row in results]


def count_rows(version: PublishedVersion, sparql: str, base: str, substitutions: Any) -> int:
    return len(rows_of(version, sparql, base, substitutions))


def questions(embedded: PublishedVersion, remote: PublishedVersion, runs: int, budget_s: float) -> str:
    base = embedded.manifest.base
    picked = pick_params(embedded.graph.store, base)  # type: ignore[attr-defined]
    print("parameters:", picked, file=sys.stderr)
    lines = ["| question | embedded p50 (ms) | Virtuoso p50 (ms) | ratio | rows | same rows |",
             "| --- | ---: | ---: | ---: | ---: | --- |"]
    for name, query in sorted(load_queries().items()):
        substitutions = bind(query, params_for(query, picked), base)
        here = timed(functools.partial(count_rows, embedded, query.sparql, base, substitutions), runs, budget_s)
        try:
            there = timed(functools.partial(count_rows, remote, query.sparql, base, substitutions), runs, budget_s)
            same = sorted(rows_of(embedded, query.sparql, base, substitutions)) == sorted(
                rows_of(remote, query.sparql, base, substitutions))
            lines.append(f"| {name} | {here.p50_ms:,.1f} | {there.p50_ms:,.1f} | {there.p50_ms / here.p50_ms:,.1f} "
                         f"| {here.rows:,} | {'yes' if same else 'NO'} |")
        except (SyntaxError, OSError, Exception) as problem:  # a question Virtuoso cannot run: say why
            lines.append(f"| {name} | {here.p50_ms:,.1f} | fails | | {here.rows:,} | {str(problem).splitlines()[0][:90]} |")
        print(lines[-1], file=sys.stderr)
    return "\n".join(lines)


def drop(settings: Settings, version_id: str) -> str:
    """Drop a version's graph the way pruning and clean-up do; how long it took."""
    from publisher.store.remote import RemoteStore

    store = open_store(settings)
    assert isinstance(store, RemoteStore)
    load = os.getloadavg()[0]
    start = time.perf_counter()
    store._drop_graph(version_id)
    seconds = time.perf_counter() - start
    left = store.client.query(f"ASK {{ GRAPH <{store.graph_of(version_id)}> {{ ?s ?p ?o }} }}", "text/csv", (), 600)
    return (f"dropped version {version_id}'s graph in {seconds:,.1f} s (load average before {load:.2f}, "
            f"after {os.getloadavg()[0]:.2f}); anything left: {left.decode().split()[-1]}")


def tune(server: Server, embedded: PublishedVersion) -> str:
    """Post the version's N-Triples to fresh graphs, by batch size and concurrent posts."""
    from publisher.store.dialects import endpoints
    from publisher.store.sparql_client import SparqlClient

    client = SparqlClient(endpoints(server.url), server.user, server.password)
    text = gzip.decompress((embedded.path / "dumps" / "catalogue.nt.gz").read_bytes())
    lines = ["| batch (MB) | concurrent posts | seconds | triples/s |", "| ---: | ---: | ---: | ---: |"]
    triples = text.count(b"\n")
    # One post at a time: two at once into one graph can hang on each other's locks in Virtuoso 7.2.
    for batch_mb, posts in ((1, 1), (4, 1), (16, 1)):
        graph = f"urn:x-bench:tune:{batch_mb}:{posts}"
        batches = _cut(text, batch_mb << 20)
        start = time.perf_counter()
        _post_all(client, graph, batches, posts)
        seconds = time.perf_counter() - start
        client.update(f"DROP SILENT GRAPH <{graph}>")
        lines.append(f"| {batch_mb} | {posts} | {seconds:,.1f} | {triples / seconds:,.0f} |")
        print(lines[-1], file=sys.stderr)
    return "\n".join(lines)


def _cut(text: bytes, size: int) -> list[bytes]:
    batches, start = [], 0
    while start < len(text):
        end = text.rfind(b"\n", start, start + size) + 1 if start + size < len(text) else len(text)
        batches.append(text[start:end])
        start = end
    return batches


def _post_all(client: Any, graph: str, batches: list[bytes], posts: int) -> None:
    remaining = list(reversed(batches))
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                if not remaining:
                    return
                batch = remaining.pop()
            client.post_graph(graph, batch)

    threads = [threading.Thread(target=worker) for _ in range(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--videos", type=int, default=100000)
    parser.add_argument("--catalogue", type=Path, help="a generated catalogue already there (default: generate one)")
    parser.add_argument("--out", type=Path, default=Path("bench-out"))
    parser.add_argument("--buffers", type=int, default=0, help="Virtuoso NumberOfBuffers (default: by size)")
    parser.add_argument("--questions", action="store_true")
    parser.add_argument("--tune", action="store_true")
    parser.add_argument("--virtuoso-only", action="store_true", help="build into Virtuoso alone (no embedded build)")
    parser.add_argument("--loads", default="gsp", help="how Virtuoso is loaded, comma-separated: gsp (Graph Store "
                        "posts), bulk (its bulk loader, --store-bulk-dir); one build each, side by side")
    parser.add_argument("--bulk-loaders", type=int, default=1, help="rdf_loader_run sessions at once (--store-bulk-loaders)")
    parser.add_argument("--part-mb", type=int, default=0, help="the bulk loader's files of this size (default: "
                        "PART_BYTES, 256 MB); larger than the graph: loaded after the mapping, not during it")
    parser.add_argument("--prune", action="store_true", help="then build once more into the last Virtuoso catalogue "
                        "with --keep-versions 1: its switch drops the version before (time and peaks)")
    parser.add_argument("--drop", action="store_true", help="at the end, drop the last Virtuoso version's graph as "
                        "pruning does (DEFINE sql:log-enable 3), timed")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--budget", type=float, default=10.0, help="seconds per question and store at most")
    args = parser.parse_args()
    args.out = args.out.resolve()  # Virtuoso runs in its own directory: its ini needs absolute paths
    args.out.mkdir(parents=True, exist_ok=True)
    catalogue = args.catalogue or generate(args.out, args.videos)
    buffers = args.buffers or min(680000, max(20000, args.videos * 5))  # 8 kB pages: 4 GB for 100k videos
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="remote-bench-", dir=args.out) as scratch, \
            virtuoso_server(Path(scratch) / "virtuoso", buffers=buffers) as server:
        work = Path(scratch)
        embedded_env = {"PUBLISHER_STORE": str(work / "embedded"), "PUBLISHER_REJECTS": str(work / "rejects.jsonl")}
        report = [f"{args.videos:,} videos, load average before {load[0]:.2f}, Virtuoso NumberOfBuffers {buffers}", ""]
        report += ["| store | whole command (s) | read | map+validate+load | describe | switch | dumps | build peak RSS (MB) "
                   "| Virtuoso peak RSS (MB) | load average after |",
                   "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
        stores = [] if args.virtuoso_only else [("embedded", embedded_env)]
        remote: dict[str, str] = {}
        for how in args.loads.split(","):
            loaders = args.bulk_loaders if how == "bulk" else 0
            label = f"Virtuoso, bulk loader ({loaders} session{'s' if loaders > 1 else ''}" + (
                f", {args.part_mb} MB files)" if args.part_mb else ")") if loaders else "Virtuoso, Graph Store posts"
            remote = {**remote_env(server, work / f"files-{how}", f"bench-{how}", loaders),
                      "PUBLISHER_REJECTS": str(work / "rejects.jsonl")}
            stores.append((label, remote))
        if args.prune:
            stores.append(("Virtuoso again, --keep-versions 1 (drops the version before)",
                           {**stores[-1][1], "PUBLISHER_KEEP_VERSIONS": "1"}))
        for label, env in stores:
            print(f"{time.strftime('%H:%M:%S')} {label}: load average {os.getloadavg()}", file=sys.stderr)
            wall, steps, peaks = build(catalogue, env, server, args.part_mb if "PUBLISHER_STORE_BULK_DIR" in env else 0)
            report.append(f"| {label} | {wall:,.1f} | " + " | ".join(
                f"{steps.get(step, 0):,.1f}" for step in ("read", "map+validate+load", "describe", "switch", "dumps"))
                + f" | {peaks['build_mb']:,.0f} | {peaks['virtuoso_mb'] if 'PUBLISHER_STORE_USER' in env else 0:,.0f} | "
                + " ".join(f"{x:.2f}" for x in os.getloadavg()) + " |")
            print(report[-1], file=sys.stderr)
        for label, env in stores:
            if "PUBLISHER_STORE_USER" in env:
                published = open_store(settings_from(env)).current()
                assert published is not None
                report.append(f"\n{label}: {len(published.graph):,} triples in Virtuoso")
        virtuoso = open_store(settings_from(remote)).current()
        assert virtuoso is not None
        report.append("")
        if args.drop:
            report.append(drop(settings_from(remote), virtuoso.id) + "\n")
        if args.virtuoso_only:
            print("\n".join(report))
            return
        embedded = open_store(settings_from(embedded_env)).current()
        assert embedded is not None
        if args.questions:
            report += [questions(embedded, virtuoso, args.runs, args.budget), ""]
        if args.tune:
            report += [tune(server, embedded), ""]
    print("\n".join(report))


if __name__ == "__main__":
    main()
