"""Build benchmark: `publisher build` of generated catalogues beside Oxigraph's bare bulk load.

For each size: generate the catalogue (once, cached), run the whole build from scratch
RUNS times in a fresh process (records/s, peak memory, where the time goes), then load the
very graph that build published into a fresh on-disk Oxigraph store with `bulk_load`, the
baseline, in the same run on the same machine. Prints a Markdown table.

    .venv/bin/python benchmarks/build_bench.py [--sizes 10000 100000] [--runs 3] [--out bench-out]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox

TIMING = re.compile(r"time: (.*)$", re.M)


def generate(out: Path, videos: int) -> Path:
    target = out / f"catalogue-{videos}"
    if not (target / "videos.jsonl").exists():
        subprocess.run([sys.executable, "-m", "publisher", "demo-data", "--videos", str(videos), "-o", str(target)], check=True)
    return target


def timed_build(catalogue: Path, store: Path) -> dict[str, object]:
    shutil.rmtree(store, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "publisher", "build", str(catalogue), "--full", "--store", str(store),
         "--rejects", str(store.parent / "rejects.jsonl"), "--quiet", "--timings"],
        capture_output=True, text=True, check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"build failed ({done.returncode}):\n{done.stderr[-3000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    steps = json.loads(TIMING.search(done.stderr + done.stdout).group(1))  # type: ignore[union-attr]
    return {"seconds": seconds, "peak_mb": max(peak, before) / 1024, "steps": steps}


def bulk_load_baseline(store: Path, scratch: Path) -> float:
    dump = scratch / "published.nt"
    subprocess.run(
        [sys.executable, "-m", "publisher", "dump", "--format", "nt", "-o", str(dump), "--store", str(store)], check=True
    )
    target = scratch / "baseline-store"
    shutil.rmtree(target, ignore_errors=True)
    start = time.perf_counter()
    graph = ox.Store(str(target))
    graph.bulk_load(path=str(dump), format=ox.RdfFormat.N_TRIPLES)
    graph.flush()
    seconds = time.perf_counter() - start
    del graph
    shutil.rmtree(target, ignore_errors=True)
    dump.unlink()
    return seconds


def triples(store: Path) -> int:
    manifest = json.loads((store / "current" / "manifest.json").read_text())
    return int(manifest["triples"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("bench-out"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    print(
        "| videos | triples | published after, median (s) | records/s | whole command with dumps (s) "
        "| peak RSS (MB) | bulk load alone (s) | published / bulk load | where the time goes (median run, s) |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for size in args.sizes:
        catalogue = generate(args.out, size)
        store = args.out / f"store-{size}"
        runs = [timed_build(catalogue, store) for _ in range(args.runs)]
        for run in runs:  # readers see the new version once `current` is switched
            run["published"] = sum(v for k, v in run["steps"].items() if k != "dumps")  # type: ignore[union-attr]
        median = statistics.median(r["published"] for r in runs)  # type: ignore[misc]
        whole = statistics.median(r["seconds"] for r in runs)  # type: ignore[misc]
        middle = sorted(runs, key=lambda r: r["published"])[len(runs) // 2]  # type: ignore[arg-type, return-value]
        baseline = statistics.median(bulk_load_baseline(store, args.out) for _ in range(args.runs))
        steps = ", ".join(f"{k} {v:.1f}" for k, v in middle["steps"].items())  # type: ignore[union-attr]
        peak = max(r["peak_mb"] for r in runs)  # type: ignore[type-var]
        each = ", ".join(f"{r['published']:.1f}" for r in runs)
        print(
            f"| {size:,} | {triples(store):,} | {median:.1f} ({each}) | {size / median:,.0f} | {whole:.1f} "
            f"| {peak:,.0f} | {baseline:.1f} | {median / baseline:.2f} | {steps} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
