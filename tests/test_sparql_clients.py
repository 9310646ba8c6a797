"""Real SPARQL clients against `/sparql` on a live server: SPARQLWrapper (every result format it
asks for, GET and POST), Comunica (`comunica-sparql`, installed by `make clients` from
tests/clients/package-lock.json) and roqet (Debian rasqal-utils). Each answer is checked against
what the store itself answers: solutions as multisets of terms, graphs by isomorphism.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.dom.minidom import Document

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from SPARQLWrapper import CSV, GET, JSON, JSONLD, N3, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, URLENCODED, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from . import sparql_answers as answers
from .conftest import LiveServer, missing, require_tool

CLIENTS = Path(__file__).parent / "clients"
COMUNICA = CLIENTS / "node_modules" / ".bin" / "comunica-sparql"
# GET, POST of a form, POST of the query as the body
METHODS = [(GET, URLENCODED), (POST, URLENCODED), (POST, POSTDIRECTLY)]
# SPARQLWrapper hands RDF/XML and JSON-LD back in rdflib's ConjunctiveGraph, which warns of its deprecation.
conjunctive = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


def wrapper(live: LiveServer, query: str, fmt: str, method: tuple[str, str]) -> SPARQLWrapper:
    client = SPARQLWrapper(live.url + "sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method[0])
    client.setRequestMethod(method[1])
    return client


def xml_to_bytes(document: Document) -> bytes:
    return document.toxml(encoding="utf-8")


# --- SPARQLWrapper ------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS, ids=["get", "post-form", "post-body"])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
@pytest.mark.parametrize("query", [answers.ALL, answers.OPTIONAL], ids=["all", "optional"])
def test_sparqlwrapper_select(live_server: LiveServer, query: str, fmt: str, method: tuple[str, str]) -> None:
    result = wrapper(live_server, query, fmt, method).query()
    converted = result.convert()
    if fmt == CSV:
        assert isinstance(converted, bytes)
        assert answers.csv_rows(converted) == answers.store_text_rows(live_server, query)
        return
    body = json.dumps(converted).encode() if fmt == JSON else xml_to_bytes(converted) if fmt == XML else converted
    expected = answers.store_solutions(live_server, query)
    assert sum(expected[1].values()) > 1
    assert answers.solutions_of(answers.parsed(body, fmt)) == expected


def test_the_optional_query_has_unbound_values(live_server: LiveServer) -> None:
    rows = answers.store_solutions(live_server, answers.OPTIONAL)[1]
    assert any(None in row for row in rows) and any(None not in row for row in rows)


@pytest.mark.parametrize("method", METHODS, ids=["get", "post-form", "post-body"])
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
@pytest.mark.parametrize("query", [answers.ASK_TRUE, answers.ASK_FALSE], ids=["true", "false"])
def test_sparqlwrapper_ask(live_server: LiveServer, query: str, fmt: str, method: tuple[str, str]) -> None:
    expected = bool(answers.ask_store(live_server, query))
    converted = wrapper(live_server, query, fmt, method).query().convert()
    if fmt == JSON:
        assert converted["boolean"] is expected
    elif fmt == XML:
        assert converted.getElementsByTagName("boolean")[0].firstChild.data == str(expected).lower()
    else:  # CSV and TSV of a boolean: a header line, then true or false (as Jena writes it)
        lines = converted.decode("utf-8").splitlines()
        assert len(lines) == 2 and lines[1] == str(expected).lower()


def graph_formats() -> Iterator[Any]:
    yield TURTLE
    yield N3
    yield pytest.param(XML, marks=conjunctive)
    yield pytest.param(RDFXML, marks=conjunctive)
    yield pytest.param(JSONLD, marks=conjunctive)


@pytest.mark.parametrize("method", METHODS, ids=["get", "post-form", "post-body"])
@pytest.mark.parametrize("fmt", list(graph_formats()))
@pytest.mark.parametrize("form", ["construct", "describe"])
def test_sparqlwrapper_graphs(live_server: LiveServer, form: str, fmt: str, method: tuple[str, str]) -> None:
    query = answers.CONSTRUCT if form == "construct" else answers.describe(live_server)
    result = wrapper(live_server, query, fmt, method).query()
    converted = result.convert()
    if isinstance(converted, bytes):  # Turtle and N3: the text, for the caller to parse
        converted = Graph().parse(data=converted, format="turtle")
    expected = answers.store_graph(live_server, query)
    assert len(expected) > 10
    assert isomorphic(answers.graph_of(converted), expected)


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV, TURTLE, N3, pytest.param(RDFXML, marks=conjunctive),
                                 pytest.param(JSONLD, marks=conjunctive)])
def test_sparqlwrapper_by_accept_alone(live_server: LiveServer, fmt: str) -> None:
    """setOnlyConneg: no format= parameter, the Accept header alone chooses."""
    graphs = fmt in (TURTLE, N3, RDFXML, JSONLD)
    query = answers.CONSTRUCT if graphs else answers.OPTIONAL
    client = wrapper(live_server, query, fmt, METHODS[0])
    client.setOnlyConneg(True)
    assert "format=" not in client._getRequestEncodedParameters(("query", query))
    converted = client.query().convert()
    if graphs:
        got = Graph().parse(data=converted, format="turtle") if isinstance(converted, bytes) else answers.graph_of(converted)
        assert isomorphic(got, answers.store_graph(live_server, query))
    elif fmt == CSV:
        assert answers.csv_rows(converted) == answers.store_text_rows(live_server, query)
    else:
        body = json.dumps(converted).encode() if fmt == JSON else xml_to_bytes(converted) if fmt == XML else converted
        assert answers.solutions_of(answers.parsed(body, fmt)) == answers.store_solutions(live_server, query)


def test_sparqlwrapper_n_triples_by_its_accept_header(live_server: LiveServer) -> None:
    client = wrapper(live_server, answers.describe(live_server), N3, METHODS[0])
    client.setOnlyConneg(True)
    client.addCustomHttpHeader("Accept", "application/n-triples")
    result = client.query()
    assert result.info()["content-type"] == "application/n-triples"
    got = Graph().parse(data=result.convert(), format="nt")
    assert isomorphic(got, answers.store_graph(live_server, answers.describe(live_server)))


@conjunctive
def test_sparqlwrapper_construct_asking_for_json_gets_json_ld(live_server: LiveServer) -> None:
    client = wrapper(live_server, answers.CONSTRUCT, JSON, METHODS[0])
    with pytest.warns(RuntimeWarning, match="Sending Accept header"):  # it sends */* and format=json
        result = client.query()
    assert result.info()["content-type"] == "application/ld+json"
    assert isomorphic(answers.graph_of(result.convert()), answers.store_graph(live_server, answers.CONSTRUCT))


@pytest.mark.parametrize("method", METHODS, ids=["get", "post-form", "post-body"])
def test_sparqlwrapper_malformed_query_raises_query_bad_formed_with_the_parsers_message(
        live_server: LiveServer, method: tuple[str, str]) -> None:
    query = "SELECT ?s WHERE { ?s ?p }"
    with pytest.raises(SyntaxError) as parser:
        ox.Store().query(query)  # Oxigraph's own parser, whatever store serves the data
    with pytest.raises(QueryBadFormed) as raised:
        wrapper(live_server, query, JSON, method).query()
    assert str(parser.value) in str(raised.value)


@pytest.mark.parametrize("method", [URLENCODED, POSTDIRECTLY])
def test_sparqlwrapper_update_is_refused(live_server: LiveServer, method: str) -> None:
    client = SPARQLWrapper(live_server.url + "sparql")
    client.setMethod(POST)
    client.setRequestMethod(method)
    client.setQuery(f"INSERT DATA {{ <{live_server.url}video/x> <http://schema.org/name> \"x\" }}")
    assert client.isSparqlUpdateRequest()
    with pytest.raises(QueryBadFormed, match="SPARQL Update is not accepted"):
        client.query()
    assert not answers.ask_store(live_server, f"ASK {{ <{live_server.url}video/x> ?p ?o }}")


# --- Comunica -----------------------------------------------------------------------------

COMUNICA_RUNS = {
    "csv": ("text/csv", answers.ALL),
    "json": ("application/sparql-results+json", answers.OPTIONAL),
    "construct": ("application/n-triples", answers.CONSTRUCT),
}


@pytest.fixture(scope="module")
def comunica(live_server: LiveServer) -> dict[str, subprocess.CompletedProcess[str]]:
    """Each query run once by comunica-sparql, all at once (Node starts in seconds)."""
    if not COMUNICA.exists():
        require_tool("node", "nodejs npm")
        missing(f"{COMUNICA} is missing: run `make clients` (npm ci in tests/clients)")
    endpoint = f"sparql@{live_server.url}sparql"
    running = {name: subprocess.Popen([str(COMUNICA), endpoint, "-t", media, query], text=True,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for name, (media, query) in COMUNICA_RUNS.items()}
    done = {}
    for name, process in running.items():
        out, err = process.communicate(timeout=120)
        done[name] = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    return done


def test_comunica_select_csv(live_server: LiveServer, comunica: dict[str, subprocess.CompletedProcess[str]]) -> None:
    run = comunica["csv"]
    assert run.returncode == 0, run.stderr
    assert answers.csv_rows(run.stdout.encode()) == answers.store_text_rows(live_server, answers.ALL)


def test_comunica_select_json(live_server: LiveServer, comunica: dict[str, subprocess.CompletedProcess[str]]) -> None:
    run = comunica["json"]
    assert run.returncode == 0, run.stderr
    got = answers.solutions_of(answers.parsed(run.stdout.encode(), "json"))
    assert got == answers.store_solutions(live_server, answers.OPTIONAL)


def test_comunica_construct(live_server: LiveServer, comunica: dict[str, subprocess.CompletedProcess[str]]) -> None:
    run = comunica["construct"]
    assert run.returncode == 0, run.stderr
    got = Graph().parse(data=run.stdout, format="nt")
    assert isomorphic(got, answers.store_graph(live_server, answers.CONSTRUCT))


# --- roqet --------------------------------------------------------------------------------
# roqet asks for SPARQL XML whatever -R says (so only SELECT: it cannot read an XML boolean back
# from a service, and a CONSTRUCT answer in XML results does not exist); -r chooses what it writes
# (its TSV, with \u escapes in plain literals, is more than rdflib's TSV parser reads).


def roqet(live: LiveServer, output: str, query: str) -> str:
    run = subprocess.run([require_tool("roqet", "rasqal-utils"), "-W", "0", "-i", "sparql11", "-r", output,
                          "-p", live.url + "sparql", "-e", query], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return run.stdout


@pytest.mark.parametrize("query", [answers.ALL, answers.OPTIONAL], ids=["all", "optional"])
def test_roqet_csv(live_server: LiveServer, query: str) -> None:
    assert answers.csv_rows(roqet(live_server, "csv", query).encode()) == answers.store_text_rows(live_server, query)


@pytest.mark.parametrize("query", [answers.ALL, answers.OPTIONAL], ids=["all", "optional"])
def test_roqet_xml(live_server: LiveServer, query: str) -> None:
    written = roqet(live_server, "xml", query)
    written = re.sub(r'<binding name="\w+"><unbound/></binding>', "", written)  # a draft's form, which rdflib does not read
    got = answers.solutions_of(answers.parsed(written.encode(), "xml"))
    assert got == answers.store_solutions(live_server, query)


def test_roqet_reads_our_tsv_answer(live_server: LiveServer) -> None:
    """Our TSV, read by rasqal's TSV parser and written back as SPARQL XML."""
    reply = live_server.get("/sparql?format=tsv&query=" + quote(answers.ALL))
    assert reply.status == 200
    with tempfile.NamedTemporaryFile(suffix=".tsv") as answer:
        answer.write(reply.body)
        answer.flush()
        run = subprocess.run([require_tool("roqet", "rasqal-utils"), "-W", "0", "-R", "tsv", "-t", answer.name, "-r", "xml"],
                             capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert answers.solutions_of(answers.parsed(run.stdout.encode(), "xml")) == answers.store_solutions(live_server, answers.ALL)
