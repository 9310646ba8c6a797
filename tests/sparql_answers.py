"""What the published store itself answers, and answers read back from the wire, in rdflib terms.

Solutions are compared as multisets of rows (a row: a tuple of terms, None when unbound), never
as text; graphs with rdflib.compare.isomorphic. CSV loses term types, so CSV is compared on the
strings the SPARQL 1.1 CSV format keeps (an IRI's or literal's text, `_:label` for a blank node).
"""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.query import Result
from rdflib.term import Node

from publisher.querying import published

from .conftest import LiveServer

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
Rows = Counter[tuple[Node | None, ...]]
TextRows = Counter[tuple[str, ...]]

# Queries every client runs: all the published statements (typed, tagged and long literals with line
# breaks, quotes and accents), a SELECT with unbound values, ASK true and false, CONSTRUCT, DESCRIBE.
ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
OPTIONAL = """PREFIX schema: <http://schema.org/>
SELECT ?org ?name ?parent WHERE { ?org a schema:Organization ; schema:name ?name OPTIONAL { ?org schema:parentOrganization ?parent } }"""
ASK_TRUE = "ASK { ?v a <http://schema.org/VideoObject> }"
ASK_FALSE = "ASK { ?v a <http://example.org/NoSuchClass> }"
CONSTRUCT = "PREFIX schema: <http://schema.org/> CONSTRUCT { ?v schema:name ?t ; schema:creator ?p } WHERE { ?v schema:name ?t ; schema:creator ?p }"


def describe(live: LiveServer) -> str:
    return f"DESCRIBE <{live.url}video/innovation-publique>"


def ask_store(live: LiveServer, query: str) -> Any:
    version = published(live.settings)
    return version.query(query, version.manifest.base)


def rdflib_term(term: Any) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == XSD_STRING else URIRef(datatype))
    raise AssertionError(f"unexpected term {term!r}")


def plain(term: Node | None) -> Node | None:
    """A literal rebuilt as rdflib builds it: xsd:string written without its datatype, as SPARQL
    results may write it, and the lexical form normalised as rdflib's constructor does (its TSV
    parser keeps `...Z` where its other parsers write `...+00:00`)."""
    if isinstance(term, Literal):
        datatype = None if term.datatype is None or str(term.datatype) == XSD_STRING else term.datatype
        return Literal(str(term), lang=term.language, datatype=datatype)
    return term


def store_solutions(live: LiveServer, query: str) -> tuple[list[str], Rows]:
    solutions = ask_store(live, query)
    names = [v.value for v in solutions.variables]
    return names, Counter(tuple(plain(rdflib_term(row[name])) for name in names) for row in solutions)


def store_text_rows(live: LiveServer, query: str) -> tuple[list[str], TextRows]:
    """The store's answer as the CSV format keeps it: lexical forms as stored (rdflib would normalise them)."""
    solutions = ask_store(live, query)
    names = [v.value for v in solutions.variables]
    return names, Counter(tuple(csv_text(row[name]) for name in names) for row in solutions)


def csv_text(term: Any) -> str:
    if term is None:
        return ""
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else str(term.value)


def store_graph(live: LiveServer, query: str) -> Graph:
    triples = ask_store(live, query)
    return Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", format="nt")


def parsed(body: bytes, fmt: str) -> Result:
    """An answer in a SPARQL results format, read by rdflib's parsers (code nobody here wrote)."""
    return Result.parse(io.BytesIO(body), format=fmt)


def solutions_of(result: Result) -> tuple[list[str], Rows]:
    names = [str(v) for v in result.vars or []]
    rows: Rows = Counter()
    for binding in result.bindings:
        values = {str(k): v for k, v in binding.items()}
        rows[tuple(plain(values.get(name)) for name in names)] += 1
    return names, rows


def csv_rows(body: bytes) -> tuple[list[str], TextRows]:
    import csv

    lines = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    return lines[0], Counter(tuple(line) for line in lines[1:])


def graph_of(triples: Any) -> Graph:
    """An rdflib graph of any iterable of triples (a client may hand back a ConjunctiveGraph)."""
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph
