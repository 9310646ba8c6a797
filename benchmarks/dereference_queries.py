"""What a cache-miss dereference of a video sends to the store, and how long each query takes.

For each of N videos (a shuffled sample of the catalogue), asks `/video/SLUG` with `Accept:
text/turtle`, then with `Accept: text/html`, of an app (Flask's test client, in this process) on
each store given, the stores taking turns; every store query the request makes is timed where the
web tier sends it (`RemoteGraph.query`, `EmbeddedGraph.query`, the stores' `pointer()`). Prints,
per store and request, the queries in the order sent (median milliseconds, and how many of the
requests sent each), and the request's median. No server or store is started: name stores
already published (a directory, or a JSON file of PUBLISHER_STORE… variables as written by
remote_web_bench.py's users for --virtuoso-env).

    .venv/bin/python benchmarks/dereference_queries.py --catalogue DIR --store embedded=DIR \\
        --store virtuoso=ENV.json [--videos 30] [--seed 7]

With PYTHONPATH=OTHER_CHECKOUT (and run from there), the same is measured on another version of the code.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from publisher.settings import Settings
from publisher.store.embedded import EmbeddedStore
from publisher.store.graph import EmbeddedGraph
from publisher.store.remote import RemoteStore
from publisher.store.remote_graph import RemoteGraph
from publisher.web import create_app

sent: list[tuple[str, float]] = []  # (what, milliseconds) of the request being made


def timed(owner: type, method: str, what: Callable[[tuple[Any, ...]], str]) -> None:
    real = getattr(owner, method)

    def wrapper(self: object, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return real(self, *args, **kwargs)
        finally:
            sent.append((what(args), (time.perf_counter() - start) * 1000))

    setattr(owner, method, wrapper)


def query_name(args: tuple[Any, ...]) -> str:
    """The query's form and projection or template, on one line."""
    text = " ".join(line for line in str(args[0]).splitlines() if not line.startswith("PREFIX"))
    return text.split("WHERE")[0].strip()[:70]


def settings_of(given: str) -> Settings:
    path = Path(given)
    if path.suffix == ".json":
        env = json.loads(path.read_text(encoding="utf-8"))
        return Settings(store=env["PUBLISHER_STORE"], store_name=env.get("PUBLISHER_STORE_NAME", "catalogue"),
                        store_files=env["PUBLISHER_STORE_FILES"])
    return Settings(store=given)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--catalogue", type=Path, required=True, help="the generated catalogue the stores hold")
    parser.add_argument("--store", action="append", required=True, help="LABEL=DIR or LABEL=ENV.json")
    parser.add_argument("--videos", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    for owner in (RemoteGraph, EmbeddedGraph):
        timed(owner, "query", query_name)
    for owner in (RemoteStore, EmbeddedStore):
        timed(owner, "pointer", lambda _: "pointer")
    with (args.catalogue / "videos.jsonl").open(encoding="utf-8") as lines:
        slugs = [json.loads(line)["id"] for line in lines if line.strip()]
    random.Random(args.seed).shuffle(slugs)
    clients = {label: create_app(settings_of(where)).test_client()
               for label, where in (given.split("=", 1) for given in args.store)}
    for client in clients.values():  # the store opened, the app's first-request work done
        client.get(f"/video/{slugs[-1]}", headers={"Accept": "text/turtle"})
    queries: dict[tuple[str, str], dict[tuple[int, str], list[float]]] = defaultdict(lambda: defaultdict(list))
    requests: dict[tuple[str, str], list[float]] = defaultdict(list)
    for slug in slugs[:args.videos]:
        for accept in ("text/turtle", "text/html"):
            for label, client in clients.items():
                sent.clear()
                start = time.perf_counter()
                status = client.get(f"/video/{slug}", headers={"Accept": accept}).status_code
                requests[(label, accept)].append((time.perf_counter() - start) * 1000)
                assert status == 200, (label, slug, accept, status)
                for position, (what, ms) in enumerate(sent):
                    queries[(label, accept)][(position, what)].append(ms)
    print("| store | request | query (in the order sent) | requests that sent it | median (ms) |")
    print("| --- | --- | --- | ---: | ---: |")
    for (label, accept), found in sorted(queries.items()):
        for (position, what), times in sorted(found.items()):
            print(f"| {label} | {accept} | {position + 1}. `{what}` | {len(times)} | {statistics.median(times):.1f} |")
        print(f"| {label} | {accept} | **whole request** | {len(requests[(label, accept)])} | "
              f"{statistics.median(requests[(label, accept)]):.1f} |")


if __name__ == "__main__":
    main()
