"""The questions of queries/ as an API over HTTP: listed, run with typed parameters bound as
values, answered in every SPARQL results format, described by an OpenAPI 3 document."""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from openapi_spec_validator import validate
from rdflib import Graph
from rdflib.compare import isomorphic

from publisher.cli import main
from publisher.named_queries import QUERIES, load_queries, run_named
from publisher.settings import SETTINGS

from .conftest import LiveServer

LIBRARY = load_queries()
RESULTS = "http://www.w3.org/2005/sparql-results#"


def rows_of_json(body: bytes) -> list[dict[str, str]]:
    return [{name: value["value"] for name, value in binding.items()} for binding in json.loads(body)["results"]["bindings"]]


def rows_of_store(live: LiveServer, name: str, given: dict[str, str]) -> list[dict[str, str]]:
    results = run_named(live.settings, name, given, LIBRARY)
    assert isinstance(results, ox.QuerySolutions)
    names = [v.value for v in results.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in results]


def api(live: LiveServer, name: str, params: dict[str, str] | None = None, accept: str | None = None):
    query = f"?{urlencode(params)}" if params else ""
    return live.get(f"/api/queries/{name}{query}", accept)


def test_the_list_names_every_question_with_its_typed_parameters(live_server: LiveServer):
    reply = live_server.get("/api/queries")
    listed = {item["name"]: item for item in json.loads(reply.body)}
    assert reply.status == 200 and set(listed) == set(LIBRARY)
    for name, query in LIBRARY.items():
        assert listed[name]["title"] == query.title
        assert [(p["name"], p["type"], p["default"]) for p in listed[name]["parameters"]] == [
            (p.name, p.type, p.default) for p in query.params]
        assert listed[name]["url"].endswith(f"/api/queries/{name}")


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_each_question_answers_over_http_what_the_store_answers(live_server: LiveServer, name: str):
    example = LIBRARY[name].example_values
    reply = api(live_server, name, example, "application/sparql-results+json")
    assert reply.status == 200, reply.text
    assert rows_of_json(reply.body) == rows_of_store(live_server, name, example)


@pytest.mark.parametrize(("fmt", "media_type"), [("json", "application/sparql-results+json"), ("csv", "text/csv"),
                                                 ("tsv", "text/tab-separated-values"),
                                                 ("xml", "application/sparql-results+xml")])
def test_every_results_format_by_accept_and_by_parameter(live_server: LiveServer, fmt: str, media_type: str):
    given = {"institution": "LIRSA-CNAM"}
    expected = rows_of_store(live_server, "speakers-of-institution", given)
    for reply in (api(live_server, "speakers-of-institution", given, media_type),
                  api(live_server, "speakers-of-institution", {**given, "format": fmt})):
        assert reply.status == 200 and reply.media_type == media_type
        assert [row["person"] for row in _rows(reply.body, fmt)] == [row["person"] for row in expected]


def _rows(body: bytes, fmt: str) -> list[dict[str, Any]]:
    if fmt == "json":
        return rows_of_json(body)
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(body.decode())))
    if fmt == "tsv":
        lines = body.decode().splitlines()
        names = [n[1:] for n in lines[0].split("\t")]
        return [{n: v.strip("<>") for n, v in zip(names, line.split("\t"), strict=True)} for line in lines[1:]]
    root = ET.fromstring(body)
    return [{b.get("name"): next(iter(b)).text for b in result} for result in root.iter(f"{{{RESULTS}}}result")]


@pytest.mark.parametrize(("name", "params", "problem"), [
    ("co-speakers", {"person": 'x> } ; DROP ALL #'}, "person must be an IRI"),
    ("co-speakers", {"person": "javascript:alert(1)"}, "http(s) IRI"),
    ("long-talks", {"minutes": "10 } UNION { ?s ?p ?o"}, "minutes must be an integer"),
    ("talks-published-between", {"start": "2020-02-30"}, "real date"),
    ("talks-published-between", {"start": "2020-01-01'"}, "real date"),
    ("co-speakers", {"who": "x"}, "no parameter who"),
    ("co-speakers", {"format": "png"}, "format must be one of"),
])
def test_a_bad_or_hostile_parameter_gets_400_with_the_reason(live_server: LiveServer, name: str,
                                                            params: dict[str, str], problem: str):
    reply = api(live_server, name, params)
    assert reply.status == 400 and problem in reply.text


def test_a_repeated_parameter_or_an_unknown_question_is_refused(live_server: LiveServer):
    assert live_server.get("/api/queries/long-talks?minutes=10&minutes=20").status == 400
    missing = live_server.get("/api/queries/nope")
    assert missing.status == 404 and "/api/queries" in missing.text
    assert api(live_server, "co-speakers", None, "image/png").status == 406


def test_a_string_that_tries_to_break_out_is_looked_up_as_a_plain_value(live_server: LiveServer):
    reply = api(live_server, "talks-with-keyword", {"keyword": 'x" } UNION { ?video ?p ?title } #'})
    assert reply.status == 200 and rows_of_json(reply.body) == []


def test_answers_are_cached_with_an_etag_and_revalidated(live_server: LiveServer):
    first = api(live_server, "top-institutions")
    again = live_server.get("/api/queries/top-institutions", If_None_Match=first.headers["ETag"])
    assert first.status == 200 and again.status == 304 and again.body == b""


def test_the_openapi_document_is_valid_and_has_every_question(live_server: LiveServer):
    document = json.loads(live_server.get("/api/openapi.json").body)
    validate(document)
    for name, query in LIBRARY.items():
        operation = document["paths"][f"/api/queries/{name}"]["get"]
        assert operation["summary"] == query.title
        types = {p["name"]: p["schema"]["type"] for p in operation["parameters"]}
        assert all(types[p.name] == ("integer" if p.type == "integer" else "string") for p in query.params)


def test_the_docs_page_shows_every_question_with_a_form(live_server: LiveServer):
    page = live_server.get("/api", "text/html")
    assert page.status == 200 and page.media_type == "text/html"
    for name, query in LIBRARY.items():
        assert f'action="/api/queries/{name}"' in page.text
        assert query.title.replace("'", "&#39;") in page.text


def test_a_library_file_sent_to_sparql_answers_its_default_question(live_server: LiveServer):
    text = (QUERIES / "speakers-of-institution.rq").read_text(encoding="utf-8")
    reply = live_server.get("/sparql?" + urlencode({"query": text}), "application/sparql-results+json")
    assert reply.status == 200 and rows_of_json(reply.body) == rows_of_store(live_server, "speakers-of-institution", {})


def test_the_command_line_runs_the_same_question(live_server: LiveServer):
    given = {"person": "person/burlaud-alain"}
    store = {s.env: str(getattr(live_server.settings, s.name)) for s in SETTINGS if s.name.startswith("store")}
    result = CliRunner().invoke(main, ["query", "--named", "co-speakers", "--param", "person=person/burlaud-alain",
                                       "--format", "json"], env=store)
    assert result.exit_code == 0, result.output
    assert rows_of_json(result.output.encode()) == rows_of_json(api(live_server, "co-speakers", given).body)


def test_the_command_line_prints_a_construct_as_the_endpoint_answers_it(live_server: LiveServer):
    query = "CONSTRUCT { ?p <http://schema.org/name> ?n } WHERE { ?p a <http://schema.org/Person> ; <http://schema.org/name> ?n }"
    store = {s.env: str(getattr(live_server.settings, s.name)) for s in SETTINGS if s.name.startswith("store")}
    result = CliRunner().invoke(main, ["query", query], env=store)
    assert result.exit_code == 0, result.output
    reply = live_server.get("/sparql?" + urlencode({"query": query}), "text/turtle")
    printed = Graph().parse(data=result.output, format="turtle")
    assert len(printed) > 5 and isomorphic(printed, Graph().parse(data=reply.body, format="turtle"))


def test_json_answers_are_written_as_the_sparql_json_format_says() -> None:
    """The JSON writer builds text term by term: the same document as the format's dicts through json.dumps."""
    from publisher.sparql.results import write

    store = ox.Store()
    subject = ox.NamedNode("http://example.org/s")
    objects: list[ox.NamedNode | ox.BlankNode | ox.Literal] = [
        ox.Literal('say "hé"\n\\ \u2028'), ox.Literal("chat", language="fr"),
        ox.Literal("7", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")), ox.BlankNode("b1"),
        ox.NamedNode("http://example.org/é")]
    for n, value in enumerate(objects):
        store.add(ox.Quad(subject, ox.NamedNode(f"http://example.org/p{n}"), value))
    answer = write(store.query("SELECT ?o ?missing ?s WHERE { ?s ?p ?o } ORDER BY ?p"), "json", None, 100)
    s = {"type": "uri", "value": "http://example.org/s"}
    assert json.loads(answer.body) == {"head": {"vars": ["o", "missing", "s"]}, "results": {"bindings": [
        {"o": {"type": "literal", "value": 'say "hé"\n\\ \u2028'}, "s": s},
        {"o": {"type": "literal", "value": "chat", "xml:lang": "fr"}, "s": s},
        {"o": {"type": "literal", "value": "7", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}, "s": s},
        {"o": {"type": "bnode", "value": "b1"}, "s": s},
        {"o": {"type": "uri", "value": "http://example.org/é"}, "s": s},
    ]}}
    assert "hé".encode() in answer.body  # not escaped as \u00e9
