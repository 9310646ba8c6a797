"""What a user's query can reach: the published version's statements and nothing else, on every
backend. A remote store keeps every version in a graph of its own beside the pointer graph; a
query naming them (`FROM`, `FROM NAMED`, `GRAPH`, `default-graph-uri`, Virtuoso's `define`)
finds what it would find on the embedded store, where no such graph exists: nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from publisher.store import open_store
from tests.conftest import LiveServer

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def count(server: LiveServer, query: str, **params: Any) -> int:
    reply = server.get("/sparql?" + urlencode({"query": query, **params}, doseq=True), "application/sparql-results+json")
    assert reply.status == 200, reply.text
    rows = json.loads(reply.body)["results"]["bindings"]
    return int(rows[0]["n"]["value"]) if rows and "n" in rows[0] else len(rows)


@pytest.fixture
def two_versions(fresh_server: LiveServer, tmp_path: Path) -> tuple[LiveServer, str, str]:
    """The sample data published twice: (server, the older version's graph, the pointer graph),
    as a remote store names them (on the embedded store, graphs that do not exist)."""
    store = open_store(fresh_server.settings)
    older = store.pointer()
    assert older is not None
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({"id": "extra-talk", "title": "Un exposé de plus", "speakers": "DUPONT Jean - LIRSA-CNAM"}) + "\n")
    fresh_server.publish(extra)
    assert store.pointer() != older
    graph_of = getattr(store, "graph_of", lambda version: f"urn:x-publisher:catalogue:version:{version}")
    return fresh_server, graph_of(older), getattr(store, "pointer_graph", "urn:x-publisher:catalogue:pointer")


def test_a_query_reaches_no_other_graph_of_the_store(two_versions: tuple[LiveServer, str, str]) -> None:
    server, older, pointer = two_versions
    everything = count(server, COUNT)
    assert everything > 100
    for graph in (older, pointer):
        assert count(server, COUNT.replace("WHERE", f"FROM <{graph}> WHERE")) == 0
        assert count(server, COUNT, **{"default-graph-uri": graph}) == 0
        # rows, not COUNT(*): Virtuoso 7.2 counts 1 for a GRAPH <iri> that is not a named graph of the query
        assert count(server, f"SELECT * WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}") == 0
        assert count(server, f"SELECT ?g FROM NAMED <{graph}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") == 0
        assert count(server, "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", **{"named-graph-uri": graph}) == 0
        # the protocol's dataset wins over the query's own
        dataset = server.url + "dataset"
        assert count(server, COUNT.replace("WHERE", f"FROM <{graph}> WHERE"), **{"default-graph-uri": dataset}) == everything
    assert count(server, "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }") == 0
    assert count(server, "SELECT ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } FILTER(BOUND(?g)) }") == 0


@pytest.mark.parametrize("query", [
    "define input:default-graph-uri <urn:x-publisher:catalogue:pointer> SELECT * WHERE { ?s ?p ?o }",  # Virtuoso's pragma
    "PREFIX b: <bif:> SELECT (b:sprintf('%s', 'x') AS ?x) WHERE {}",  # Virtuoso's SQL built-ins
    "SELECT (<sql:anything>('x') AS ?x) WHERE {}",
])
def test_vendor_extensions_are_refused(live_server: LiveServer, query: str) -> None:
    reply = live_server.get("/sparql?" + urlencode({"query": query}), "application/sparql-results+json")
    assert reply.status == 400, reply.text
