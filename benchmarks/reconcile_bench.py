"""Reconciliation benchmark on a published store (read-only): the first request (which builds
the index of people, institutions and themes), the one that first needs videos, then batches
of 10 queries through the Flask app (JSON parsing and encoding included, no network), median
of `--runs`. Queries are built from the store's own people: `FAMILY Given` or `Family, G.`,
each with the institution it was shown with.

    .venv/bin/python benchmarks/reconcile_bench.py --store bench-out/web-store [--runs 50]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from publisher.settings import Settings  # noqa: E402
from publisher.web import create_app  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", required=True)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    client = create_app(Settings(store=args.store)).test_client()

    def get(path: str) -> float:
        started = time.perf_counter()
        reply = client.get(path)
        assert reply.status_code == 200, reply.text
        return time.perf_counter() - started

    first = get("/reconcile?queries=" + quote(json.dumps({"q": {"query": "x", "type": "Person"}})))
    index = client.application.extensions["publisher.reconcile"]._current[1]
    rng = random.Random(1)
    people = [p for p in index.by_kind["person"] if p.affiliations]

    def batch(initials: bool) -> str:
        queries = {}
        for n, p in enumerate(rng.sample(people, 10)):
            family, given = " ".join(p.family), " ".join(p.given)
            name = f"{family.title()}, {given[:1].upper()}." if initials else f"{family.upper()} {given}"
            org = index.entities[p.affiliations[0]].name
            queries[f"q{n}"] = {"query": name, "type": "Person", "properties": [{"pid": "affiliation", "v": org}]}
        return "/reconcile?queries=" + quote(json.dumps(queries))

    videos = get("/reconcile?queries=" + quote(json.dumps({"q": {"query": "x", "type": "VideoObject"}})))
    titles = [v.name for v in rng.sample(index.by_kind["video"], 10)]
    title_queries = {f"q{n}": {"query": t, "type": "VideoObject"} for n, t in enumerate(titles)}
    title_batch = "/reconcile?queries=" + quote(json.dumps(title_queries))
    rows = [
        ("first request (index of people, institutions, themes)", first * 1000),
        ("first request for videos (their titles added)", videos * 1000),
        ("10 people, `FAMILY Given` + institution", statistics.median(get(batch(False)) for _ in range(args.runs)) * 1000),
        ("10 people, `Family, G.` + institution", statistics.median(get(batch(True)) for _ in range(args.runs)) * 1000),
        ("10 video titles", statistics.median(get(title_batch) for _ in range(args.runs)) * 1000),
        ("suggest `mar`", statistics.median(get("/reconcile/suggest/entity?prefix=mar") for _ in range(args.runs)) * 1000),
    ]
    counts = {k: len(v) for k, v in index.by_kind.items()}
    print(f"store: {args.store} ({counts})\n\n| request | ms |\n| --- | ---: |")
    for name, ms in rows:
        print(f"| {name} | {ms:,.1f} |")


if __name__ == "__main__":
    main()
