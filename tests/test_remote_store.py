"""The store contract on every backend (PUBLISHER_TEST_STORE): publishing is atomic for readers, a
killed build leaves the old version served and the next one cleans up, old versions are pruned; and
what only a remote store has: its credentials, its errors, its query parameters."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from publisher import named_queries
from publisher.build import build
from publisher.cli import main
from publisher.demo import write_demo_data
from publisher.errors import StoreTimeout, StoreUnavailable, UsageError
from publisher.settings import Settings
from publisher.store import open_store
from publisher.store.binding import bind, without_constant_columns
from publisher.store.dialects import endpoints, fix_ntriples, fix_results
from publisher.store.remote import CURRENT, LOADING, RemoteStore
from publisher.store.remote_graph import RemoteGraph
from publisher.store.sparql_client import SparqlClient, query_form
from publisher.store.version import PublishedVersion

from .conftest import BASE, DATA, remote_server, store_settings
from .services import virtuoso_server

VIDEOS = "SELECT (COUNT(?v) AS ?n) WHERE { ?v a <http://schema.org/VideoObject> }"
TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def number(version: PublishedVersion, sparql: str) -> int:
    return int(next(iter(version.query(sparql)))["n"].value)


def publisher(settings: Settings, *argv: str) -> subprocess.Popen[bytes]:
    """`publisher …` in a process of its own, on the test's store (settings in the environment); what
    it says goes to rejects.jsonl's folder, in publisher.log."""
    env = {**os.environ, **{"PUBLISHER_" + k.upper(): str(v) for k, v in asdict(settings).items()}}
    with (Path(settings.rejects).parent / "publisher.log").open("wb") as log:
        return subprocess.Popen([sys.executable, "-m", "publisher", *argv, "--quiet"], env=env,
                                stdout=subprocess.DEVNULL, stderr=log)


@contextmanager
def sockets_left_open(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[socket.socket]]:
    """The connections opened inside that are still open when it ends. A response an error leaves
    unclosed holds its socket for as long as the error is kept (by a test's `pytest.raises(…) as`,
    a log record's exc_info), then until the garbage collector finds it, in some later test."""
    opened: list[socket.socket] = []
    connect = http.client.HTTPConnection.connect

    def connect_and_note(self: http.client.HTTPConnection) -> None:
        connect(self)
        opened.append(self.sock)

    monkeypatch.setattr(http.client.HTTPConnection, "connect", connect_and_note)
    left_open: list[socket.socket] = []
    yield left_open
    monkeypatch.setattr(http.client.HTTPConnection, "connect", connect)
    left_open.extend(sock for sock in opened if sock.fileno() != -1)


def version_dirs(settings: Settings) -> set[str]:
    files = Path(settings.store_files if settings.remote_store else settings.store) / "versions"
    return {p.name for p in files.iterdir()} if files.is_dir() else set()


def store_graphs(settings: Settings) -> set[str]:
    """The graphs the test's catalogue holds in the remote store (none for the embedded store)."""
    if not settings.remote_store:
        return set()
    from publisher.store.remote import RemoteStore

    store = RemoteStore(settings)
    answer = store.client.query(
        f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "urn:x-publisher:{settings.store_name}:")) }}',
        "application/sparql-results+xml", (), 30)
    return {row["g"].value for row in ox.parse_query_results(answer, ox.QueryResultsFormat.XML)}


def expected_graphs(settings: Settings, versions: set[str]) -> set[str]:
    if not settings.remote_store:
        return set()
    prefix = f"urn:x-publisher:{settings.store_name}:"
    return {prefix + "pointer"} | {f"{prefix}version:{v}" for v in versions}


@pytest.fixture(scope="module")
def catalogues(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("catalogues")
    write_demo_data(folder / "small", 200, seed=1)
    write_demo_data(folder / "large", 3000, seed=2)
    return folder / "small", folder / "large"


@pytest.mark.slow
def test_readers_see_the_old_version_or_the_new_one_whole(settings: Settings, catalogues: tuple[Path, Path]):
    small, large = catalogues
    assert build([small], settings, now="2026-01-01T00:00:00Z").exit_code == 0
    store = open_store(settings)
    old = store.current()
    assert old is not None and number(old, VIDEOS) == 200
    seen: dict[str, tuple[int, int]] = {}
    mixed: list[str] = []

    def read_until(done: threading.Event) -> None:
        reader = open_store(settings)  # a reader of its own, as in another web process
        while not done.is_set():
            version = reader.open(reader.pointer() or "")
            videos, triples = number(version, VIDEOS), number(version, TRIPLES)
            seen[version.id] = (videos, triples)
            if triples != version.manifest.triples or videos != version.manifest.counts["VideoObject"]:
                mixed.append(f"{version.id}: {videos} videos, {triples} triples")

    done = threading.Event()
    reader = threading.Thread(target=read_until, args=(done,))
    reader.start()
    try:
        process = publisher(replace(settings, workers=2), "build", str(large), "--full")
        assert process.wait(300) == 0, (Path(settings.rejects).parent / "publisher.log").read_text()
        time.sleep(0.5)  # the reader's next rounds see the new pointer
    finally:
        done.set()
        reader.join()
    new = store.current()
    assert new is not None and new.id != old.id
    assert not mixed
    assert set(seen) == {old.id, new.id}
    assert seen[new.id][0] == 3000


@pytest.mark.slow
def test_a_build_killed_midway_leaves_the_old_version_and_the_next_build_cleans_up(
        settings: Settings, catalogues: tuple[Path, Path]):
    small, large = catalogues
    assert build([small], settings).exit_code == 0
    before = open_store(settings).current()
    assert before is not None
    process = publisher(replace(settings, workers=2), "build", str(large), "--full")
    deadline = time.monotonic() + 60
    while len(version_dirs(settings)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.5)  # well inside mapping and loading
    assert process.poll() is None, "the build ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    after = open_store(settings).current()
    assert after is not None and after.id == before.id and number(after, VIDEOS) == 200
    assert len(version_dirs(settings)) == 2  # the killed build's files are still there…
    assert build([small], settings).exit_code == 0  # …until the next build, which cleans up and publishes
    kept = version_dirs(settings)
    assert len(kept) == settings.keep_versions and before.id in kept
    assert store_graphs(settings) == expected_graphs(settings, kept)


@pytest.mark.backends("oxigraph", "virtuoso")
def test_a_switch_stopped_midway_leaves_the_old_version_served_and_the_next_build_ends_it(
        settings: Settings, monkeypatch: pytest.MonkeyPatch):
    assert build([DATA], settings).exit_code == 0
    before = open_store(settings).pointer()
    update = SparqlClient.update

    def gone_after_the_new_pointer(client: SparqlClient, sparql: str, timeout: float = 300) -> None:
        update(client, sparql, timeout)
        if "INSERT" in sparql and CURRENT in sparql:
            raise StoreUnavailable("the store went away")

    monkeypatch.setattr(SparqlClient, "update", gone_after_the_new_pointer)
    with pytest.raises(StoreUnavailable, match="went away"):
        build([DATA], settings, full=True)
    monkeypatch.undo()
    store = open_store(settings)
    assert isinstance(store, RemoteStore) and len(store._pointed(CURRENT)) == 2
    served = store.current()
    assert served is not None and served.id == before and number(served, VIDEOS) == 7
    published = build([DATA], settings, full=True).version
    assert store._pointed(CURRENT) == [published] and store._pointed(LOADING) == []
    kept = version_dirs(settings)
    assert len(kept) == settings.keep_versions and published in kept
    assert store_graphs(settings) == expected_graphs(settings, kept)


def test_versions_beyond_keep_are_dropped_graphs_and_files(tmp_path: Path, settings: Settings):
    source = tmp_path / "one.jsonl"
    source.write_text(json.dumps({"id": "a", "title": "A", "speakers": "RIVAL Madina"}) + "\n", encoding="utf-8")
    published = [build([source], settings).version for _ in range(4)]
    kept = version_dirs(settings)
    assert kept == set(published[-settings.keep_versions:])
    assert open_store(settings).pointer() == published[-1]
    assert store_graphs(settings) == expected_graphs(settings, kept)
    with pytest.raises(StoreUnavailable):
        open_store(settings).open(str(published[0]))


# --- query parameters: what pyoxigraph's substitutions give, as query text for any store ----------

TRICKY = [
    ("SELECT ?person ?o WHERE { ?person ?p ?o FILTER(!BOUND(?person)) }", "person"),
    ("SELECT ?person ?n WHERE { { SELECT (COUNT(*) AS ?n) WHERE { ?person ?p ?o } } }", "person"),
    ("SELECT ?person ?n WHERE { { SELECT ?person (COUNT(*) AS ?n) WHERE { ?person ?p ?o } GROUP BY ?person } }", "person"),
    ("SELECT ?person ?name WHERE { { ?x <http://schema.org/name> ?name FILTER(?x = ?person) } }", "person"),
    ("SELECT ?person ?o WHERE { ?s ?p ?o MINUS { ?person ?p ?o } } ORDER BY ?o LIMIT 5", "person"),
    ("SELECT * WHERE { ?person <http://schema.org/name> ?name } # a } in a comment", "person"),
    ("ASK { ?person <http://schema.org/name> \"Madina Rival\" }", "person"),
    ("CONSTRUCT { ?person ?p ?o } WHERE { ?person ?p ?o }", "person"),
    ("DESCRIBE ?person", "person"),
]


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    folder = tmp_path_factory.mktemp("sample")
    settings = Settings(store=str(folder / "store"), base=BASE, rejects=str(folder / "r.jsonl"), workers=1)
    assert build([DATA], settings).exit_code == 0
    store = ox.Store()
    dump = next((folder / "store" / "versions").iterdir()) / "dumps" / "catalogue.nt.gz"
    store.load(gzip.decompress(dump.read_bytes()), ox.RdfFormat.N_TRIPLES)
    return store


def answers(results: Any) -> Any:
    if isinstance(results, ox.QueryBoolean):
        return bool(results)
    if isinstance(results, ox.QuerySolutions):
        names = [v.value for v in results.variables]
        return sorted(tuple(str(row[n]) for n in names) for row in results)
    return sorted(str(t) for t in results)


QUESTIONS = {name: q.sparql for name, q in named_queries.load_queries().items()}


@pytest.mark.parametrize("sparql", list(QUESTIONS.values()) + [q for q, _ in TRICKY],
                         ids=list(QUESTIONS) + [f"tricky-{i}" for i in range(len(TRICKY))])
def test_bound_query_text_answers_as_substitutions_do(sample_store: ox.Store, sparql: str):
    given = named_queries.header_defaults(sparql, BASE) if "# param:" in sparql or "# title:" in sparql else {
        ox.Variable("person"): ox.NamedNode(BASE + "person/rival-madina")}
    with_substitutions = sample_store.query(sparql, base_iri=BASE, substitutions=given)
    as_text = sample_store.query(bind(sparql, BASE, given, query_form(sparql)))
    assert answers(as_text) == answers(with_substitutions)


def test_a_value_is_never_query_text(sample_store: ox.Store):
    evil = ox.Literal('x" } } ; DROP ALL ; SELECT * { ?s ?p "')
    text = bind("SELECT ?name WHERE { ?p <http://schema.org/name> ?name }", None, {ox.Variable("name"): evil}, "SELECT")
    assert list(sample_store.query(text)) == []
    assert str(evil) in text


# --- what a remote store adds: its errors, its timeout, its credentials --------------------------

@pytest.mark.backends("oxigraph", "virtuoso")
def test_an_unreachable_store_is_unavailable_and_named(tmp_path: Path):
    server = remote_server()
    closed = server.url.rsplit(":", 1)[0] + ":9/"
    settings = Settings(**{**store_settings(tmp_path), "store": closed})
    with pytest.raises(StoreUnavailable, match="127.0.0.1:9") as raised:
        open_store(settings).pointer()
    assert not server.password or server.password not in str(raised.value)
    result = CliRunner().invoke(main, ["query", "--store", closed, "ASK {}"])
    assert result.exit_code == 3 and "127.0.0.1:9" in result.output


@pytest.mark.backends("oxigraph", "virtuoso")
def test_the_store_s_syntax_error_and_timeout(settings: Settings):
    assert build([DATA], settings).exit_code == 0
    version = open_store(settings).current()
    assert version is not None
    with pytest.raises(SyntaxError):
        version.query("SELECT * WHERE { ?s ?p }")
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    start = time.monotonic()
    with pytest.raises(StoreTimeout):
        version.graph.query(endless, timeout=0.5)  # type: ignore[call-arg]
    assert time.monotonic() - start < 5


@pytest.mark.backends("virtuoso")
def test_writes_need_the_right_credentials(tmp_path: Path, settings: Settings):
    wrong = replace(settings, store_password="not-the-password-4f1c")
    assert "not-the-password-4f1c" not in repr(wrong)
    with pytest.raises(StoreUnavailable, match="refused the user 'dba'") as raised:
        build([DATA], wrong)
    assert settings.store.split("//")[1].rstrip("/") in str(raised.value)
    assert "not-the-password-4f1c" not in str(raised.value)
    anonymous = replace(settings, store_user="", store_password="")
    with pytest.raises(StoreUnavailable, match="anonymous"):
        build([DATA], anonymous)
    env = {"PUBLISHER_STORE_PASSWORD": "not-the-password-4f1c"}
    result = CliRunner().invoke(main, ["build", str(DATA), "--store", settings.store], env=env)
    assert result.exit_code == 3 and "refused the user 'dba'" in result.output
    assert "not-the-password-4f1c" not in result.output
    help_text = CliRunner().invoke(main, ["build", "--help"], env=env).output
    assert "not-the-password-4f1c" not in help_text
    assert build([DATA], settings).exit_code == 0  # the right password publishes


@pytest.mark.backends("virtuoso")
def test_a_refused_write_closes_what_the_store_answered(settings: Settings, monkeypatch: pytest.MonkeyPatch):
    errors = []
    with sockets_left_open(monkeypatch) as left_open:
        for refused in (replace(settings, store_password="not-the-password"), replace(settings, store_user="")):
            with pytest.raises(StoreUnavailable, match="refused") as error:
                build([DATA], refused)
            errors.append(error)  # kept, as a log record keeps it: its answer must be closed all the same
    assert left_open == []


@pytest.mark.backends("oxigraph", "virtuoso")
def test_a_query_the_store_refuses_closes_what_it_answered(settings: Settings, monkeypatch: pytest.MonkeyPatch):
    assert build([DATA], settings).exit_code == 0
    version = open_store(settings).current()
    assert version is not None
    with sockets_left_open(monkeypatch) as left_open:
        with pytest.raises(SyntaxError) as bad_syntax:
            version.query("SELECT * WHERE { ?s ?p }")
        with pytest.raises(StoreTimeout) as too_long:
            version.graph.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
                                timeout=0.5)  # type: ignore[call-arg]
    assert left_open == [], (bad_syntax, too_long)  # the errors are still held here


@pytest.mark.backends("oxigraph", "virtuoso")
def test_no_graph_store_post_carries_more_than_the_store_s_post_bytes(settings: Settings):
    """However much one write brings (the statistics come 100,000 lines at a time), the posts are cut
    at line ends into the store's post_bytes: Virtuoso 7.2 inserts a larger post from several
    transactions at once, and at 100k videos one of 28-60 MB stopped for good (docs/benchmarks.md)."""
    store = open_store(settings)
    assert isinstance(store, RemoteStore)
    store.client.endpoints = replace(store.client.endpoints, post_bytes=64 << 10)
    posted: list[bytes] = []
    post = store.client.post_graph

    def counted(graph: str, ntriples: bytes, timeout: float = 600) -> None:
        posted.append(ntriples)
        post(graph, ntriples, timeout)

    store.client.post_graph = counted  # type: ignore[method-assign]  # the real post, its bodies kept
    lines = [f'<http://example.org/s{i}> <http://example.org/p> "statement {i}{"." * (i % 200)}" .\n'.encode()
             for i in range(12000)]
    writer = store.begin()
    try:
        stream = writer.stream()
        stream.write(b"".join(lines[:10]))
        stream.write(b"".join(lines[10:]))  # about 20 posts' worth in one write
        stream.close()
        assert len(posted) >= 20 and max(map(len, posted)) <= 64 << 10
        assert all(body.endswith(b"\n") for body in posted) and b"".join(posted) == b"".join(lines)
        assert writer.count() == len(lines)
    finally:
        store.abort(writer)


def fresh_iris(base: str = "http://example.org/") -> bytes:
    """200,000 statements naming 100,000 IRIs a store has not seen, 25 MB: what the statistics of
    100k videos look like (videos listed by duration and by day)."""
    videos = [f"{base}video/demo-{n:06d}" for n in range(100000)]
    by_duration = [f"<{base}statistics#by-duration-{i // 100}> <{base}ontology#rankedVideo> <{v}> .\n"
                   for i, v in enumerate(videos[::-1])]
    by_day = [f"<{base}statistics#published-{i}> <{base}ontology#listedVideo> <{v}> .\n" for i, v in enumerate(videos)]
    return "".join(by_duration + by_day).encode()


@pytest.mark.backends("virtuoso")
def test_one_large_write_of_new_iris_reaches_virtuoso_whole(tmp_path: Path):
    """Sent in one 25 MB post, these statements hung a fresh Virtuoso 7.2 (no answer, a loader
    thread waiting on a lock, no deadlock reported: 2 times of 2) as the statistics hung builds of
    100k videos; cut into Virtuoso's post_bytes they load in seconds. Its own Virtuoso: a hung one
    keeps its locks, and would stop every later test's writes."""
    with virtuoso_server(tmp_path / "virtuoso") as server:
        settings = Settings(store=server.url, store_name="large", store_files=str(tmp_path / "files"),
                            store_user=server.user, store_password=server.password, base=BASE)
        store = open_store(settings)
        assert isinstance(store, RemoteStore)
        writer = store.begin()
        text, problems, done = fresh_iris(), [], threading.Event()

        def load() -> None:
            try:
                stream = writer.stream()
                stream.write(text)
                stream.close()
            except (StoreUnavailable, StoreTimeout) as problem:
                problems.append(problem)
            finally:
                done.set()

        threading.Thread(target=load, daemon=True).start()
        try:
            assert done.wait(120), "Virtuoso has not answered for 120 s: hung on a post"
            assert not problems
            assert writer.count() == text.count(b"\n")
        finally:
            store.lock.release()  # no clean-up in the store: on a hung Virtuoso it would wait too


@pytest.mark.backends("virtuoso")
def test_an_answer_the_store_cut_is_an_error_not_a_shorter_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    with virtuoso_server(tmp_path / "virtuoso", max_rows=5) as server:
        graph = RemoteGraph(SparqlClient(endpoints(server.url)), "http://www.openlinksw.com/schemas/virtrdf#", "urn:x:none")
        assert len(list(graph.query("SELECT * WHERE { ?s ?p ?o } LIMIT 4"))) == 4  # at the limit, Virtuoso cannot tell
        with sockets_left_open(monkeypatch) as left_open:
            with pytest.raises(StoreUnavailable, match="cut its answer at 5 rows") as cut:
                graph.query("SELECT * WHERE { ?s ?p ?o } LIMIT 6")
        assert left_open == [], cut


@pytest.mark.backends("oxigraph")
def test_any_sparql_store_by_its_three_endpoints(tmp_path: Path):
    server = remote_server()
    generic = Settings(**{**store_settings(tmp_path), "store": server.http.replace("http://", "sparql+http://") + "query",
                          "store_update_url": server.http + "update", "store_gsp_url": server.http + "store"},
                       base=BASE, rejects=str(tmp_path / "r.jsonl"), workers=1)
    assert build([DATA], generic).exit_code == 0
    version = open_store(generic).current()
    assert version is not None and number(version, VIDEOS) == 7
    with pytest.raises(UsageError, match="--store-update-url"):
        open_store(replace(generic, store_update_url=""))


@pytest.mark.parametrize(("stored", "meant"), [
    ("239.59", "PT3M59S"), ("239.5", "PT3M59.5S"), ("60.0", "PT1M"), ("3723.3", "PT1H2M3S"), ("7200.0", "PT2H"),
    ("1450.1", "PT24M10S"), ("3170.5", "PT52M50S"), ("10.1", "PT10S"), ("PT0S", "PT0S"),
])
def test_virtuoso_s_durations_are_read_back_as_written(stored: str, meant: str):
    xsd = "http://www.w3.org/2001/XMLSchema#duration"
    answer = f'<binding name="d"><literal datatype="{xsd}">{stored}</literal></binding>'.encode()
    assert fix_results("virtuoso", answer) == f'<binding name="d"><literal datatype="{xsd}">{meant}</literal></binding>'.encode()
    assert fix_ntriples("virtuoso", f'<s> <p> "{stored}"^^<{xsd}> .'.encode()) == f'<s> <p> "{meant}"^^<{xsd}> .'.encode()
    assert fix_results("oxigraph", answer) == answer


ROUND_TRIP_DURATIONS = ["PT3M59S", "PT24M10S", "PT52M50S", "PT1M", "PT10S", "PT2H", "PT1H2M3S", "PT1H", "PT59M59S",
                        "PT3M59.5S", "PT0S"]


@pytest.mark.backends("oxigraph", "virtuoso")
def test_durations_come_back_from_the_store_as_they_were_written():
    """What the store really writes back (Virtuoso keeps a duration as seconds), read through our
    client, in both the answers of SELECT and of CONSTRUCT."""
    server = remote_server()
    client = SparqlClient(endpoints(server.url), server.user, server.password)
    graph_iri = f"urn:x-publisher:durations-{os.getpid()}"
    xsd = "http://www.w3.org/2001/XMLSchema#duration"
    written = {f"http://example.org/d{i}": value for i, value in enumerate(ROUND_TRIP_DURATIONS)}
    client.post_graph(graph_iri, "".join(f'<{s}> <http://example.org/p> "{d}"^^<{xsd}> .\n'
                                         for s, d in written.items()).encode())
    try:
        graph = RemoteGraph(client, graph_iri, "urn:x-publisher:none", 30)
        selected = {row["s"].value: row["d"].value for row in graph.query("SELECT ?s ?d WHERE { ?s ?p ?d }")}
        constructed = {t.subject.value: t.object.value for t in graph.query("CONSTRUCT WHERE { ?s ?p ?o }")}
        assert selected == written and constructed == written
    finally:
        client.update(f"DROP SILENT GRAPH <{graph_iri}>")


# --- a bound parameter's column: not asked from the store, put back in every row -----------------

@pytest.mark.parametrize(("sparql", "names", "expected"), [
    ("SELECT ?a ?x WHERE { ?x ?p ?a }", {"a"}, ("SELECT  ?x WHERE { ?x ?p ?a }", ["a", "x"], {"a"})),
    ("SELECT DISTINCT ?x $a WHERE { ?x ?p ?a }", {"a"}, ("SELECT DISTINCT ?x  WHERE { ?x ?p ?a }", ["x", "a"], {"a"})),
    ("SELECT ?a (COUNT(?x) AS ?n) WHERE { ?x ?p ?a } GROUP BY ?a", {"a"},
     ("SELECT  (COUNT(?x) AS ?n) WHERE { ?x ?p ?a } GROUP BY ?a", ["a", "n"], {"a"})),
    ("SELECT ?x # ?a\n ?a {?x ?p ?a}", {"a"}, ("SELECT ?x # ?a\n  {?x ?p ?a}", ["x", "a"], {"a"})),
])
def test_a_parameter_s_column_is_taken_out_of_the_projection(sparql: str, names: set[str], expected: Any):
    assert without_constant_columns(sparql, names) == expected


@pytest.mark.parametrize(("sparql", "names"), [
    ("SELECT * WHERE { ?x ?p ?a }", {"a"}),  # no list to take it from
    ("SELECT (?a AS ?b) ?x WHERE { ?x ?p ?a }", {"a"}),  # in an expression only
    ("SELECT ?a WHERE { ?x ?p ?a }", {"a"}),  # nothing would be left
    ("SELECT ?x WHERE { { SELECT ?a ?x WHERE { ?x ?p ?a } } }", {"a"}),  # a sub-query's projection
])
def test_a_projection_is_left_whole_when_no_column_can_go(sparql: str, names: set[str]):
    assert without_constant_columns(sparql, names) is None


@pytest.mark.backends("oxigraph", "virtuoso")
def test_bound_columns_come_back_as_the_embedded_store_gives_them():
    """Every kind of value, in any place of the projection: the answer read from the store, with
    the constant columns put back, is the embedded store's, columns and rows in the same order;
    and the spaces at either end of a stored literal are kept."""
    server = remote_server()
    client = SparqlClient(endpoints(server.url), server.user, server.password)
    graph_iri = f"urn:x-publisher:constants-{os.getpid()}"
    data = "".join(f'<http://example.org/s{i}> <http://example.org/p> "{" " * i}v{i}\\n" .\n' for i in range(5))
    client.post_graph(graph_iri, data.encode())
    local = ox.Store()
    local.load(data.encode(), ox.RdfFormat.N_TRIPLES)
    given = {ox.Variable("iri"): ox.NamedNode("http://example.org/a?b=1&c=%3C2%3E"),
             ox.Variable("text"): ox.Literal('say "hi" & <bye>\n'),
             ox.Variable("french"): ox.Literal("l'été", language="fr"),
             ox.Variable("number"): ox.Literal("7", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
             ox.Variable("day"): ox.Literal("2020-01-31", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))}
    sparql = ("SELECT ?iri ?s ?text ?french ?o ?number ?day WHERE { ?s ?p ?o } ORDER BY ?s")
    try:
        remote = RemoteGraph(client, graph_iri, "urn:x-publisher:none", 30).query(sparql, None, given)
        embedded = local.query(sparql, substitutions=given)
        assert [v.value for v in remote.variables] == [v.value for v in embedded.variables]
        assert [list(row) for row in remote] == [list(row) for row in embedded]
    finally:
        client.update(f"DROP SILENT GRAPH <{graph_iri}>")
