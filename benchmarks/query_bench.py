"""Question benchmark: every question of `queries/*.rq`, p50 and p99 over N runs, on a generated catalogue.

On a store built from N generated videos (generated and built once, then reused; or the store
given with --store), each question is asked with parameters that exist in that catalogue (the
busiest person, theme, institution, keyword..., picked once from the store and printed) and timed:

- raw pyoxigraph on disk: `Store.read_only` on the published version, the question's parameters
  bound with `substitutions`, every row read;
- raw pyoxigraph in memory: the version's N-Triples dump loaded into `ox.Store()`;
- optional, with --serve (or --server URL): our server over HTTP (`GET /api/queries/{name}?param=value`),
  uncached (a server started with its answer cache off, `--sparql-cache-mb 0`: every request is
  evaluated) and cached (a server with its cache, the same URL again);
- optional, with --serve-rdflib (or --rdflib-endpoint URL): rdflib-endpoint (`GET /sparql?query=...`)
  over the store's dump, which takes only query text, so the values are written into the query
  as a remote store gets them (VALUES blocks opening each group where the substitutions bind
  them, `publisher.store.binding`), checked on the raw store to give the rows the substitutions
  give; each query has a timeout. Its column is
  measured last, after every other one: it goes on with a query given up, so the benchmark then
  waits (--rdflib-wait) until it answers again before the next question.

A question is asked once to warm up, then RUNS times or until BUDGET seconds have gone (at least
three times). Prints a Markdown table.

    .venv/bin/python benchmarks/query_bench.py [--videos 100000] [--store DIR] [--runs 30] [--out bench-out]
        [--queries DIR] [--no-memory] [--server http://127.0.0.1:5000] [--rdflib-endpoint http://127.0.0.1:5792/sparql]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from web_bench import build, generate, stop, wait_for  # noqa: E402

from publisher.named_queries import QUERIES, NamedQuery, bind, load_queries  # noqa: E402
from publisher.store.binding import bind as bind_text  # noqa: E402
from publisher.store.sparql_client import query_form  # noqa: E402
from publisher.store.version import PublishedVersion  # noqa: E402

RESULTS_JSON = "application/sparql-results+json"
RDFLIB_TIMEOUT_S = 60.0
SCHEMA = "PREFIX schema: <http://schema.org/>\n"


@dataclass
class Timing:
    p50_ms: float
    p99_ms: float
    runs: int
    rows: int

    def cell(self) -> str:
        return f"{self.p50_ms:,.1f} / {self.p99_ms:,.1f}"


@dataclass
class Row:
    name: str
    params: dict[str, str]
    columns: dict[str, str] = field(default_factory=dict)
    rows: int = 0


# --- parameters that exist in the generated catalogue ------------------------------------------

def first_value(store: ox.Store, sparql: str) -> ox.NamedNode | ox.Literal:
    solutions = store.query(SCHEMA + sparql)
    assert isinstance(solutions, ox.QuerySolutions), sparql
    (row,) = list(solutions)
    return row[0]


def pick_params(store: ox.Store, base: str) -> dict[str, str]:
    """One value per kind of parameter: the busiest of each, asked once of the raw store."""
    def relative(term: Any) -> str:
        return term.value[len(base):] if term.value.startswith(base) else term.value

    person = first_value(store, "SELECT ?p (COUNT(*) AS ?n) WHERE { ?v schema:creator ?p } "
                                "GROUP BY ?p ORDER BY DESC(?n) ?p LIMIT 1")
    theme = first_value(store, "SELECT ?t (COUNT(*) AS ?n) WHERE { ?v schema:about ?t } "
                               "GROUP BY ?t ORDER BY DESC(?n) ?t LIMIT 1")
    parent = first_value(store, "SELECT ?o (COUNT(*) AS ?n) WHERE { ?c schema:parentOrganization ?o } "
                                "GROUP BY ?o ORDER BY DESC(?n) ?o LIMIT 1")
    busiest = first_value(store, "SELECT ?o (COUNT(*) AS ?n) WHERE { ?v schema:sourceOrganization ?o } "
                                 "GROUP BY ?o ORDER BY DESC(?n) ?o LIMIT 1")
    label = first_value(store, f"SELECT ?l WHERE {{ <{busiest.value}> schema:alternateName ?l }} ORDER BY ?l LIMIT 1")
    keyword = first_value(store, "SELECT ?k (COUNT(*) AS ?n) WHERE { ?v schema:keywords ?t BIND(STR(?t) AS ?k) } "
                                 "GROUP BY ?k ORDER BY DESC(?n) ?k LIMIT 1")
    video = first_value(store, f"SELECT ?v WHERE {{ ?v schema:about <{theme.value}> ; "
                               f"schema:sourceOrganization <{busiest.value}> }} ORDER BY ?v LIMIT 1")
    return {
        "person": relative(person), "theme": relative(theme), "institution-iri": relative(parent),
        "institution-label": label.value, "keyword": keyword.value, "video-iri": relative(video),
        "video-id": relative(video).rsplit("/", 1)[-1],
    }


def params_for(query: NamedQuery, picked: dict[str, str]) -> dict[str, str]:
    """The picked value of each parameter by its name and type; integers and dates keep their defaults."""
    kinds = {("institution", "iri"): "institution-iri", ("institution", "string"): "institution-label",
             ("video", "iri"): "video-iri", ("video", "string"): "video-id"}
    given = {}
    for param in query.params:
        key = kinds.get((param.name, param.type), param.name)
        if key in picked:
            given[param.name] = picked[key]
    return given


# --- timing ------------------------------------------------------------------------------------

def timed(ask: Callable[[], int], runs: int, budget_s: float) -> Timing:
    rows = ask()  # warm-up
    times: list[float] = []
    deadline = time.perf_counter() + budget_s
    while len(times) < runs and (len(times) < 3 or time.perf_counter() < deadline):
        start = time.perf_counter()
        ask()
        times.append((time.perf_counter() - start) * 1000)
    return Timing(statistics.median(times), percentile(times, 99), len(times), rows)


def percentile(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def raw_rows(store: ox.Store, query: NamedQuery, given: dict[str, str], base: str) -> list[tuple[Any, ...]]:
    results = store.query(query.sparql, base_iri=base, substitutions=bind(query, given, base))
    assert isinstance(results, ox.QuerySolutions)
    names = [v.value for v in results.variables]
    return [tuple(row[n] for n in names) for row in results]


def raw(store: ox.Store, query: NamedQuery, given: dict[str, str], base: str, runs: int, budget_s: float) -> Timing:
    return timed(lambda: len(raw_rows(store, query, given, base)), runs, budget_s)


def memory_store(version: PublishedVersion) -> ox.Store:
    store = ox.Store()
    dump = version.path / "dumps" / "catalogue.nt.gz"
    with gzip.open(dump) as handle:
        store.bulk_load(cast(IO[bytes], handle), format=ox.RdfFormat.N_TRIPLES)
    return store


# --- hook: our server over HTTP (GET /api/queries/{name}) ---------------------------------------



def server_answers(server: str) -> bool:
    try:
        with urllib.request.urlopen(f"{server}/api/queries", timeout=5) as answer:
            return bool(answer.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def http_get(url: str, timeout: float = RDFLIB_TIMEOUT_S) -> int:
    """GET a SPARQL JSON result; the number of rows."""
    request = urllib.request.Request(url, headers={"Accept": RESULTS_JSON})
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        return len(json.load(answer)["results"]["bindings"])


def server_url(server: str, name: str, given: dict[str, str], order: list[str] | None = None) -> str:
    pairs = [(k, given[k]) for k in (order or list(given))]
    return f"{server}/api/queries/{name}" + ("?" + urllib.parse.urlencode(pairs) if pairs else "")


def server_uncached(server: str, name: str, given: dict[str, str], runs: int, budget_s: float) -> Timing:
    """`server` runs with its answer cache off (`--sparql-cache-mb 0`): every request is evaluated."""
    url = server_url(server, name, given)
    return timed(lambda: http_get(url), runs, budget_s)


def server_cached(server: str, name: str, given: dict[str, str], runs: int, budget_s: float) -> Timing:
    url = server_url(server, name, given)
    return timed(lambda: http_get(url), runs, budget_s)


# --- hook: rdflib-endpoint (GET /sparql?query=...), values written into the text -----------------

def with_values(query: NamedQuery, given: dict[str, str], base: str) -> str:
    """The query as a remote store receives it (`publisher.store.binding.bind`): the base written
    in the text (the library's `PREFIX pub: <ontology#>` is relative) and the parameters as
    `VALUES` blocks opening each group where pyoxigraph's substitutions would bind them, for an
    endpoint that takes only query text."""
    return bind_text(query.sparql, base, bind(query, given, base) or None, query_form(query.sparql))


def check_values(store: ox.Store, query: NamedQuery, given: dict[str, str], base: str) -> None:
    """The VALUES form answers like the substitutions, on the raw store (same rows, same order)."""
    results = store.query(with_values(query, given, base), base_iri=base)
    assert isinstance(results, ox.QuerySolutions)
    names = [v.value for v in results.variables]
    textual = [tuple(row[n] for n in names) for row in results]
    if textual != raw_rows(store, query, given, base):
        raise ValueError(f"{query.name}: the VALUES form does not give the rows of the substitutions")


def idle_again(endpoint: str, wait_s: float) -> bool:
    """Whether rdflib-endpoint, which goes on with a query its client gave up, answers a trivial
    query again within `wait_s` seconds (one worker: the next question would queue behind it)."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        try:
            http_get(endpoint + "?" + urllib.parse.urlencode({"query": "SELECT (1 AS ?one) WHERE {}"}),
                     timeout=max(1.0, deadline - time.monotonic()))
            return True
        except (TimeoutError, urllib.error.URLError):
            time.sleep(1)
    return False


def rdflib_endpoint(endpoint: str, query: NamedQuery, given: dict[str, str], base: str, runs: int,
                    budget_s: float) -> Timing | str:
    url = endpoint + "?" + urllib.parse.urlencode({"query": with_values(query, given, base)})
    try:
        return timed(lambda: http_get(url, RDFLIB_TIMEOUT_S), runs, budget_s)
    except TimeoutError:
        return f"> {RDFLIB_TIMEOUT_S:.0f} s"
    except urllib.error.HTTPError as problem:  # rdflib's engine fails on some queries (e.g. sorting unbound values)
        return f"fails (HTTP {problem.code})"
    except urllib.error.URLError as problem:
        if isinstance(problem.reason, TimeoutError):
            return f"> {RDFLIB_TIMEOUT_S:.0f} s"
        raise


# --- servers started by the benchmark itself (--serve, --serve-rdflib) ----------------------------

OUR_PORT, RDFLIB_PORT = 5794, 5796


class Servers:
    def __init__(self) -> None:
        self.started: list[subprocess.Popen[bytes]] = []

    @staticmethod
    def port_free(port: int) -> None:
        """A server left over from an earlier run would answer in place of the one started here."""
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                raise SystemExit(f"port {port} is taken (a server left from an earlier run?): stop it first")

    def ours(self, store: Path, port: int, *options: str) -> str:
        """`publisher serve` (Werkzeug, threaded) on the store; its URL once it answers."""
        self.port_free(port)
        self.started.append(subprocess.Popen(
            [sys.executable, "-m", "publisher", "serve", "--store", str(store), "--port", str(port), *options],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
        url = f"http://127.0.0.1:{port}"
        wait_for(f"{url}/api/queries", time.monotonic() + 60)
        return url

    def rdflib(self, version: PublishedVersion, out: Path) -> str:
        """rdflib-endpoint (uvicorn, one worker) over the version's N-Triples dump."""
        self.port_free(RDFLIB_PORT)
        graph_file = out / f"rdflib-{version.id}.nt"
        if not graph_file.exists():
            with gzip.open(version.path / "dumps" / "catalogue.nt.gz", "rb") as dump, graph_file.open("wb") as copy:
                copy.write(dump.read())
        self.started.append(subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "web_bench:rdflib_app", "--app-dir", str(Path(__file__).parent),
             "--host", "127.0.0.1", "--port", str(RDFLIB_PORT), "--workers", "1", "--no-access-log", "--log-level", "warning"],
            env={**os.environ, "WEB_BENCH_GRAPH": str(graph_file)}, start_new_session=True))
        url = f"http://127.0.0.1:{RDFLIB_PORT}/sparql"
        started = time.monotonic()
        wait_for(url + "?query=ASK%7B%7D", started + 1800)
        print(f"rdflib-endpoint loaded the graph in {time.monotonic() - started:.0f} s", file=sys.stderr)
        return url

    def stop(self) -> None:
        for server in self.started:
            stop(server)


# --- the table ---------------------------------------------------------------------------------

def table(rows: list[Row], columns: list[str]) -> str:
    lines = ["| question | parameters | rows | " + " | ".join(f"{c} p50 / p99 (ms)" for c in columns) + " |",
             "| --- | --- | ---: | " + " | ".join("---:" for _ in columns) + " |"]
    for row in rows:
        params = ", ".join(f"`{k}={v}`" for k, v in row.params.items()) or "—"
        lines.append(f"| {row.name} | {params} | {row.rows:,} | " + " | ".join(row.columns.get(c, "—") for c in columns) + " |")
    return "\n".join(lines)


def main() -> None:
    global RDFLIB_TIMEOUT_S
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--videos", type=int, default=100_000)
    parser.add_argument("--store", type=Path, help="an existing store to reuse (read only)")
    parser.add_argument("--queries", type=Path, default=QUERIES, help="the question library to time")
    parser.add_argument("--only", nargs="*", help="only these questions")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--budget", type=float, default=30.0, help="seconds per question and column, at least 3 runs")
    parser.add_argument("--out", type=Path, default=Path("bench-out"))
    parser.add_argument("--no-memory", action="store_true", help="skip the in-memory column")
    parser.add_argument("--server", help="our server, e.g. http://127.0.0.1:5000 (column left empty if it does not answer)")
    parser.add_argument("--rdflib-endpoint", help="rdflib-endpoint's SPARQL URL, e.g. http://127.0.0.1:5792/sparql")
    parser.add_argument("--serve", action="store_true",
                        help="start our server on the store (once with its answer cache off, once on) for the two server columns")
    parser.add_argument("--serve-rdflib", action="store_true",
                        help="also start rdflib-endpoint over the store's N-Triples dump (loading takes minutes at 100k)")
    parser.add_argument("--rdflib-timeout", type=float, default=RDFLIB_TIMEOUT_S,
                        help="seconds before a rdflib query is given up")
    parser.add_argument("--rdflib-wait", type=float, default=300.0,
                        help="after a query given up, seconds to wait for rdflib-endpoint to finish it; if it has "
                             "not, its other questions are not run")
    args = parser.parse_args()
    store_dir = args.store
    if store_dir is None:
        args.out.mkdir(parents=True, exist_ok=True)
        store_dir = args.out / f"query-store-{args.videos}"
        build(generate(args.out, args.videos), store_dir, "query-rejects.jsonl")
    version = PublishedVersion((store_dir / "current").resolve())
    base = version.manifest.base
    disk = ox.Store.read_only(str(version.path / "oxigraph"))
    picked = pick_params(disk, base)
    print(f"parameters picked from the store: {picked}", file=sys.stderr)
    library = {k: v for k, v in load_queries(args.queries).items() if not args.only or k in args.only}

    columns = ["pyoxigraph on disk"]
    memory = None if args.no_memory else memory_store(version)
    if memory is not None:
        columns.append("pyoxigraph in memory")
    servers = Servers()
    try:
        server = uncached_server = args.server if args.server and server_answers(args.server) else None
        if args.serve:
            uncached_server = servers.ours(store_dir, OUR_PORT, "--sparql-cache-mb", "0")
            server = servers.ours(store_dir, OUR_PORT + 1)
        if args.serve_rdflib:
            args.rdflib_endpoint = servers.rdflib(version, args.out)
        if server:
            columns += ["our server, uncached", "our server, cached"]
        if args.rdflib_endpoint:
            columns.append("rdflib-endpoint")
        RDFLIB_TIMEOUT_S = args.rdflib_timeout

        rows = []
        for name, query in library.items():
            given = params_for(query, picked)
            row = Row(name, given)
            timing = raw(disk, query, given, base, args.runs, args.budget)
            row.rows, row.columns[columns[0]] = timing.rows, timing.cell()
            if memory is not None:
                row.columns["pyoxigraph in memory"] = raw(memory, query, given, base, args.runs, args.budget).cell()
            if server and uncached_server:
                row.columns["our server, uncached"] = server_uncached(uncached_server, name, given, args.runs, args.budget).cell()
                row.columns["our server, cached"] = server_cached(server, name, given, args.runs, args.budget).cell()
            print(f"  {name}: {row.columns}", file=sys.stderr)
            rows.append(row)
        if args.rdflib_endpoint:  # last, so that a query it is still running slows none of the others
            busy = False
            for row in rows:
                query, given = library[row.name], row.params
                if busy:
                    row.columns["rdflib-endpoint"] = "not run (still busy)"
                    continue
                try:
                    check_values(disk, query, given, base)
                except ValueError as problem:  # reported in its cell; the other columns are kept
                    row.columns["rdflib-endpoint"] = f"not run ({problem})"
                    continue
                answer = rdflib_endpoint(args.rdflib_endpoint, query, given, base, args.runs, args.budget)
                row.columns["rdflib-endpoint"] = answer if isinstance(answer, str) else answer.cell()
                if isinstance(answer, str) and answer.startswith(">"):
                    busy = not idle_again(args.rdflib_endpoint, args.rdflib_wait)
                print(f"  {row.name}: rdflib-endpoint {row.columns['rdflib-endpoint']}", file=sys.stderr)
    finally:
        servers.stop()
    load = os.getloadavg()
    print(table(rows, columns))
    print(f"\n{version.manifest.triples:,} triples; load average before the last question "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; at most {args.runs} runs or {args.budget:.0f} s a question.")


if __name__ == "__main__":
    main()
