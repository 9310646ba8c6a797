"""How a user's query is rewritten before a remote store gets it: its own dataset clauses out,
and a SELECT limited to one row more than the endpoint's row limit. Each rewritten query must
mean, on the published graph, what the original means there (checked with Oxigraph)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from publisher.sparql.guard import without_dataset
from publisher.sparql.scoped import at_most

GRAPH = ox.Store()
GRAPH.bulk_load(input="".join(f"<urn:s{i}> <urn:p> \"{i}\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n" for i in range(50)),
                format=ox.RdfFormat.N_TRIPLES)


def rows(query: str) -> list[str]:
    return [str(row[0]) for row in GRAPH.query(query)]


@pytest.mark.parametrize(("query", "sent"), [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT * WHERE { ?s ?p ?o }\nLIMIT 11\n"),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 5", "SELECT * WHERE { ?s ?p ?o } LIMIT 5"),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 500 OFFSET 3", "SELECT * WHERE { ?s ?p ?o } LIMIT 11 OFFSET 3"),
    ("SELECT * WHERE { ?s ?p ?o } ORDER BY ?o LIMIT 500", "SELECT * WHERE { ?s ?p ?o } ORDER BY ?o LIMIT 500"),
    ("SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 40 } } VALUES ?s { <urn:s1> }",
     "SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 40 } } \nLIMIT 11\nVALUES ?s { <urn:s1> }"),
    ("SELECT ?s WHERE { ?s ?p \"}\" } # LIMIT 1", "SELECT ?s WHERE { ?s ?p \"}\" } # LIMIT 1\nLIMIT 11\n"),
    ("ASK { ?s ?p ?o }", "ASK { ?s ?p ?o }"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"),
])
def test_a_select_asks_the_store_for_one_row_more_than_the_limit(query: str, sent: str) -> None:
    assert at_most(query, 11) == sent
    if query.startswith("SELECT"):
        assert rows(sent)[:11] == rows(query)[:11]  # the rows the endpoint keeps (the limit, and one to tell a cut)


@pytest.mark.parametrize(("query", "sent"), [
    ("SELECT * FROM <urn:a> FROM NAMED <urn:b> WHERE { ?s ?p ?o }", "SELECT *     WHERE { ?s ?p ?o }"),
    ("PREFIX : <urn:> SELECT * FROM : FROM NAMED :x{ ?s ?p ?o }", "PREFIX : <urn:> SELECT *    { ?s ?p ?o }"),
    ("SELECT * FROM ex:a\\#b WHERE { ?s <urn:FROM> 'FROM' } # FROM <x>", "SELECT *   WHERE { ?s <urn:FROM> 'FROM' } # FROM <x>"),
    ("SELECT ?from WHERE { ?from ?p ?o }", "SELECT ?from WHERE { ?from ?p ?o }"),
])
def test_a_querys_own_dataset_clauses_are_taken_out(query: str, sent: str) -> None:
    assert without_dataset(query) == (sent, sent != query)
