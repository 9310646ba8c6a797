"""The SPARQL 1.1 Protocol at `/sparql`, case by case, over HTTP on a live server: methods,
parameters, formats (by Accept and by `format=`), query forms × formats, errors, caching, CORS
and the Service Description. Every answer is read back (JSON, XML, CSV, TSV, RDF) and checked
against what the store itself answers; no case may end in a 5xx.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode
from xml.etree import ElementTree as ET

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.compare import isomorphic

from . import sparql_answers as answers
from .conftest import LiveServer, Reply
from .test_http import changed

FORM = "application/x-www-form-urlencoded"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS_NS = "http://www.w3.org/ns/formats/"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
COUNT_NAMED = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
SOLUTIONS = {  # format= name: media type
    "json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
}
GRAPHS = {  # format= name: (media type, rdflib parser)
    "turtle": ("text/turtle", "turtle"), "ntriples": ("application/n-triples", "nt"),
    "rdfxml": ("application/rdf+xml", "xml"), "jsonld": ("application/ld+json", "json-ld"),
}


def get(live: LiveServer, query: str | None = None, accept: str | None = None, **params: str | list[str]) -> Reply:
    pairs: list[tuple[str, str]] = [("query", query)] if query is not None else []
    for name, value in params.items():
        pairs += [(name.replace("_", "-"), v) for v in (value if isinstance(value, list) else [value])]
    headers = {"Accept": accept} if accept else {}
    return checked(live.request("/sparql" + ("?" + urlencode(pairs) if pairs else ""), headers))


def post(live: LiveServer, body: bytes, content_type: str, accept: str | None = None, path: str = "/sparql") -> Reply:
    headers = {"Content-Type": content_type, **({"Accept": accept} if accept else {})}
    return checked(live.request(path, headers, "POST", body))


def checked(reply: Reply) -> Reply:
    assert reply.status < 500, reply.body[:500]
    if reply.status != 304:
        assert reply.headers["Access-Control-Allow-Origin"] == "*", reply.status
    return reply


def count(reply: Reply) -> int:
    assert reply.status == 200, reply.body
    return int(json.loads(reply.body)["results"]["bindings"][0]["n"]["value"])


def store_count(live: LiveServer) -> int:
    return int(next(iter(answers.ask_store(live, COUNT)))["n"].value)


def read_solutions(reply: Reply, fmt: str) -> Any:
    """The body read the way its format says: JSON structure, XML tree, CSV/TSV header row."""
    if fmt == "json":
        document = json.loads(reply.body)
        assert set(document) == {"head", "results"} and isinstance(document["results"]["bindings"], list)
        return document["head"]["vars"]
    if fmt == "xml":
        root = ET.fromstring(reply.body)
        assert root.tag == "{http://www.w3.org/2005/sparql-results#}sparql"
        return [v.get("name") for v in root.iter("{http://www.w3.org/2005/sparql-results#}variable")]
    delimiter = "," if fmt == "csv" else "\t"
    return next(csv.reader(io.StringIO(reply.text), delimiter=delimiter))


# --- methods ------------------------------------------------------------------------------


def test_get_post_form_and_post_body_answer_alike(live_server: LiveServer) -> None:
    expected = answers.store_solutions(live_server, answers.OPTIONAL)
    replies = [
        get(live_server, answers.OPTIONAL),
        post(live_server, urlencode({"query": answers.OPTIONAL}).encode(), FORM),
        post(live_server, answers.OPTIONAL.encode(), "application/sparql-query"),
        post(live_server, answers.OPTIONAL.encode(), "application/sparql-query; charset=utf-8"),
    ]
    for reply in replies:
        assert reply.status == 200 and reply.media_type == "application/sparql-results+json"
        assert answers.solutions_of(answers.parsed(reply.body, "json")) == expected


def test_head_has_the_headers_of_get_and_no_body(live_server: LiveServer) -> None:
    path = "/sparql?query=" + quote(answers.ASK_TRUE)
    full, head = live_server.request(path), checked(live_server.request(path, method="HEAD"))
    assert head.status == 200 and head.body == b""
    for name in ("Content-Type", "ETag", "Cache-Control", "Access-Control-Allow-Origin"):
        assert head.headers[name] == full.headers[name], name


def test_options_preflight(live_server: LiveServer) -> None:
    reply = live_server.request("/sparql", {"Origin": "https://example.net", "Access-Control-Request-Method": "POST",
                                            "Access-Control-Request-Headers": "content-type"}, "OPTIONS")
    assert reply.status == 204
    assert reply.headers["Access-Control-Allow-Origin"] == "*"
    assert {"GET", "POST"} <= {m.strip() for m in reply.headers["Access-Control-Allow-Methods"].split(",")}
    assert "content-type" in reply.headers["Access-Control-Allow-Headers"].lower()
    assert "ETag" in reply.headers["Access-Control-Expose-Headers"]
    assert "Content-Type" not in reply.headers and reply.body == b""


def test_other_methods_are_405(live_server: LiveServer) -> None:
    for method in ["PUT", "DELETE", "PATCH"]:
        reply = live_server.request("/sparql", {"Content-Type": "application/sparql-update"}, method, b"CLEAR ALL")
        assert reply.status == 405 and "POST" in reply.headers["Allow"]


# --- parameters ---------------------------------------------------------------------------


def test_default_graph_uri(live_server: LiveServer) -> None:
    everything = store_count(live_server)
    assert everything > 100
    assert count(get(live_server, COUNT)) == everything
    assert count(get(live_server, COUNT, default_graph_uri=live_server.url + "dataset")) == everything
    assert count(get(live_server, COUNT, default_graph_uri="http://example.net/other")) == 0
    both = [live_server.url + "dataset", "http://example.net/other"]
    assert count(get(live_server, COUNT, default_graph_uri=both)) == everything
    # the protocol's dataset wins over the query's FROM
    assert count(get(live_server, COUNT.replace("WHERE", "FROM <http://example.net/other> WHERE"))) == 0
    from_other = COUNT.replace("WHERE", "FROM <http://example.net/other> WHERE")
    assert count(get(live_server, from_other, default_graph_uri=live_server.url + "dataset")) == everything
    form = urlencode({"query": COUNT, "default-graph-uri": "http://example.net/other"}).encode()
    assert count(post(live_server, form, FORM)) == 0
    assert count(post(live_server, COUNT.encode(), "application/sparql-query",
                      path="/sparql?default-graph-uri=" + quote("http://example.net/other"))) == 0


def test_named_graph_uri(live_server: LiveServer) -> None:
    everything = store_count(live_server)
    for named in ["http://example.net/other", live_server.url + "dataset"]:
        assert count(get(live_server, COUNT_NAMED, named_graph_uri=named)) == 0  # everything is in the default graph
        # named graphs alone: an empty default graph, as FROM NAMED alone gives
        assert count(get(live_server, COUNT, named_graph_uri=named)) == 0
        assert count(get(live_server, COUNT.replace("WHERE", f"FROM NAMED <{named}> WHERE"))) == 0
    assert count(get(live_server, COUNT, named_graph_uri="http://example.net/other",
                     default_graph_uri=live_server.url + "dataset")) == everything


@pytest.mark.parametrize("params", [
    {"default_graph_uri": "dataset"}, {"named_graph_uri": "not an iri"}, {"default_graph_uri": "http://x/<y>"},
], ids=["relative", "spaces", "angle-brackets"])
def test_a_graph_must_be_an_absolute_iri(live_server: LiveServer, params: dict[str, str]) -> None:
    reply = get(live_server, COUNT, **params)
    assert reply.status == 400 and "absolute IRI" in reply.text


def test_repeated_or_missing_query(live_server: LiveServer) -> None:
    repeated = checked(live_server.request("/sparql?" + urlencode([("query", COUNT), ("query", COUNT)])))
    assert repeated.status == 400 and "exactly one `query`" in repeated.text
    in_both = post(live_server, urlencode({"query": COUNT}).encode(), FORM, path="/sparql?" + urlencode({"query": COUNT}))
    assert in_both.status == 400
    for body, kind in [(b"", FORM), (urlencode({"default-graph-uri": "http://x/"}).encode(), FORM)]:
        reply = post(live_server, body, kind)
        assert reply.status == 400 and "`query`" in reply.text


# --- formats ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", SOLUTIONS)
@pytest.mark.parametrize("by", ["accept", "format"])
def test_select_formats(live_server: LiveServer, fmt: str, by: str) -> None:
    names, rows = answers.store_solutions(live_server, answers.OPTIONAL)
    reply = get(live_server, answers.OPTIONAL, SOLUTIONS[fmt]) if by == "accept" else \
        get(live_server, answers.OPTIONAL, "text/turtle", format=fmt)  # format= wins over Accept
    assert reply.status == 200 and reply.media_type == SOLUTIONS[fmt]
    assert read_solutions(reply, fmt) == (names if fmt != "tsv" else [f"?{n}" for n in names])
    if fmt == "csv":
        assert answers.csv_rows(reply.body) == answers.store_text_rows(live_server, answers.OPTIONAL)
    else:
        assert answers.solutions_of(answers.parsed(reply.body, fmt)) == (names, rows)
    assert ("Vary" in reply.headers) == (by == "accept")


@pytest.mark.parametrize("fmt", SOLUTIONS)
@pytest.mark.parametrize("query", [answers.ASK_TRUE, answers.ASK_FALSE], ids=["true", "false"])
def test_ask_formats(live_server: LiveServer, fmt: str, query: str) -> None:
    expected = bool(answers.ask_store(live_server, query))
    reply = get(live_server, query, SOLUTIONS[fmt])
    assert reply.status == 200 and reply.media_type == SOLUTIONS[fmt]
    if fmt in ("json", "xml"):
        assert answers.parsed(reply.body, fmt).askAnswer is expected
    else:
        assert reply.text.splitlines()[1:] == [str(expected).lower()]


@pytest.mark.parametrize("fmt", GRAPHS)
@pytest.mark.parametrize("by", ["accept", "format"])
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib's JSON-LD parser
def test_construct_and_describe_formats(live_server: LiveServer, fmt: str, by: str) -> None:
    media, parser = GRAPHS[fmt]
    for query in [answers.CONSTRUCT, answers.describe(live_server)]:
        reply = get(live_server, query, media) if by == "accept" else get(live_server, query, "text/csv", format=fmt)
        assert reply.status == 200 and reply.media_type == media
        assert isomorphic(Graph().parse(data=reply.body, format=parser), answers.store_graph(live_server, query))


@pytest.mark.parametrize(("name", "media"), [
    ("n3", "text/turtle"), ("rdf+xml", "application/rdf+xml"), ("json-ld", "application/ld+json"),
    ("xml", "application/rdf+xml"), ("json", "application/ld+json"), ("application/rdf+xml", "application/rdf+xml"),
])
def test_format_names_clients_send_for_graphs(live_server: LiveServer, name: str, media: str) -> None:
    """SPARQLWrapper sends format=n3, rdf+xml, json-ld, and xml or json whatever the query form."""
    reply = get(live_server, answers.CONSTRUCT, format=name)
    assert reply.status == 200 and reply.media_type == media


@pytest.mark.parametrize("name", ["xml", "json", "application/json", "application/xml"])
def test_format_names_that_fit_both_kinds_keep_solutions_for_select(live_server: LiveServer, name: str) -> None:
    reply = get(live_server, answers.ASK_TRUE, format=name)
    assert reply.status == 200 and reply.media_type.startswith("application/sparql-results+")


@pytest.mark.parametrize(("query", "accept"), [
    (answers.CONSTRUCT, "text/csv"), (answers.CONSTRUCT, "text/tab-separated-values"),
    (answers.CONSTRUCT, "application/sparql-results+json"), (answers.CONSTRUCT, "application/sparql-results+xml"),
    (answers.ALL, "text/turtle"), (answers.ASK_TRUE, "application/n-triples"),
    (answers.ALL, "image/png"), (answers.CONSTRUCT, "image/png"),
])
def test_formats_not_offered_for_a_query_form_are_406(live_server: LiveServer, query: str, accept: str) -> None:
    reply = get(live_server, query, accept)
    assert reply.status == 406
    assert "text/" in reply.text or "application/" in reply.text  # says what is offered


@pytest.mark.parametrize(("query", "fmt"), [(answers.CONSTRUCT, "csv"), (answers.CONSTRUCT, "tsv"), (answers.ALL, "turtle")])
def test_format_parameter_not_offered_for_a_query_form_is_406(live_server: LiveServer, query: str, fmt: str) -> None:
    assert get(live_server, query, format=fmt).status == 406


def test_unknown_format_parameter_is_400(live_server: LiveServer) -> None:
    reply = get(live_server, answers.ALL, format="yaml")
    assert reply.status == 400 and "format must be one of" in reply.text


def test_no_accept_or_any_gets_json_and_turtle(live_server: LiveServer) -> None:
    for accept in [None, "*/*"]:
        assert get(live_server, answers.ASK_TRUE, accept).media_type == "application/sparql-results+json"
        assert get(live_server, answers.CONSTRUCT, accept).media_type == "text/turtle"


# --- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["SELECT ?s WHERE { ?s ?p }", "SELEC * WHERE { ?s ?p ?o }", "ASK { ?s <http://x/ ?o }"])
def test_a_malformed_query_is_400_with_the_parsers_position(live_server: LiveServer, query: str) -> None:
    with pytest.raises(SyntaxError) as parser:
        ox.Store().query(query)
    position = re.search(r"\d+:\d+", str(parser.value))
    assert position is not None
    for reply in [get(live_server, query), post(live_server, query.encode(), "application/sparql-query")]:
        assert reply.status == 400 and reply.media_type == "text/plain"
        assert position.group() in reply.text and str(parser.value) in reply.text


def test_updates_are_refused_every_way(live_server: LiveServer) -> None:
    update = f'INSERT DATA {{ <{live_server.url}video/x> <http://schema.org/name> "x" }}'
    replies = [
        get(live_server, None, update=update),
        post(live_server, urlencode({"update": update}).encode(), FORM),
        get(live_server, update),
        get(live_server, "# a comment first\nPREFIX s: <http://schema.org/>\n" + update),
        post(live_server, urlencode({"query": update}).encode(), FORM),
        post(live_server, update.encode(), "application/sparql-query"),
        post(live_server, update.encode(), "application/sparql-update"),
        get(live_server, f"DELETE WHERE {{ <{live_server.url}video/x> ?p ?o }}"),
        get(live_server, f"LOAD <{live_server.url}dataset>"),
    ]
    for reply in replies:
        assert reply.status == 400 and "Update is not accepted" in reply.text
    assert not answers.ask_store(live_server, f"ASK {{ <{live_server.url}video/x> ?p ?o }}")


def test_unknown_content_type_is_415(live_server: LiveServer) -> None:
    for kind in ["text/plain", "application/json", "multipart/form-data; boundary=x"]:
        reply = post(live_server, answers.ASK_TRUE.encode(), kind)
        assert reply.status == 415 and "application/sparql-query" in reply.text


def test_a_body_larger_than_the_limit_is_413(live_server: LiveServer) -> None:
    limit = live_server.settings.max_request_bytes
    padding = "#" + "x" * limit + "\n"
    for body, kind in [((padding + answers.ASK_TRUE).encode(), "application/sparql-query"),
                       (urlencode({"query": padding + answers.ASK_TRUE}).encode(), FORM)]:
        assert post(live_server, body, kind).status == 413
    just_under = "#" + "x" * (limit // 2) + "\n" + answers.ASK_TRUE
    assert post(live_server, just_under.encode(), "application/sparql-query").status == 200


def test_a_query_not_in_utf8_is_400(live_server: LiveServer) -> None:
    latin1 = 'ASK { ?s <http://schema.org/name> "Jean-Étienne Joullié" }'.encode("latin-1")
    replies = [
        post(live_server, latin1, "application/sparql-query"),
        post(live_server, b"query=" + quote(latin1).encode(), FORM),
        checked(live_server.request("/sparql?query=" + quote(latin1))),
    ]
    for reply in replies:
        assert reply.status == 400 and "UTF-8" in reply.text
    assert post(live_server, b"query=" + quote(latin1.decode("latin-1").encode("utf-8")).encode(), FORM).status == 200


def test_service_is_refused(live_server: LiveServer) -> None:
    reply = get(live_server, "SELECT * WHERE { SERVICE <http://example.net/sparql> { ?s ?p ?o } }")
    assert reply.status == 400 and "SERVICE" in reply.text


# --- caching ------------------------------------------------------------------------------


def test_same_query_same_etag_and_304(live_server: LiveServer) -> None:
    first, second = get(live_server, answers.OPTIONAL), get(live_server, answers.OPTIONAL)
    assert first.headers["ETag"] and first.headers["ETag"] == second.headers["ETag"]
    assert first.body == second.body
    other = get(live_server, answers.OPTIONAL, "text/csv")
    assert other.headers["ETag"] != first.headers["ETag"]
    path = "/sparql?query=" + quote(answers.OPTIONAL)
    again = checked(live_server.request(path, {"If-None-Match": first.headers["ETag"]}))
    assert again.status == 304 and again.body == b""
    stale = checked(live_server.request(path, {"If-None-Match": '"not-the-tag"'}))
    assert stale.status == 200


def test_a_republish_changes_the_answer_and_its_etag(fresh_server: LiveServer, tmp_path: Path) -> None:
    query = f"SELECT ?title WHERE {{ <{fresh_server.url}video/management-innovation> <http://schema.org/name> ?title }}"
    before = get(fresh_server, query, "text/csv")
    assert before.status == 200 and "revu" not in before.text
    fresh_server.publish(changed("management-innovation", tmp_path, title="Le management de l’innovation, revu"),
                         now="2026-02-01T00:00:00Z")
    after = get(fresh_server, query, "text/csv")
    assert after.status == 200 and "revu" in after.text
    assert after.headers["ETag"] != before.headers["ETag"]
    assert answers.csv_rows(after.body) == answers.store_text_rows(fresh_server, query)
    path = "/sparql?query=" + quote(query)
    assert checked(fresh_server.request(path, {"Accept": "text/csv", "If-None-Match": before.headers["ETag"]})).status == 200


# --- CORS ---------------------------------------------------------------------------------


def test_cors_on_answers_and_errors(live_server: LiveServer) -> None:
    replies = [get(live_server, answers.ALL), get(live_server, "SELEC"), get(live_server, answers.ALL, "image/png"),
               post(live_server, b"x", "text/plain"), post(live_server, b"x" * 100_000, FORM)]
    assert [r.status for r in replies] == [200, 400, 406, 415, 413]
    for reply in replies:  # checked() asserts Access-Control-Allow-Origin: *
        assert reply.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-Row-Limit" in replies[0].headers["Access-Control-Expose-Headers"]


# --- without a query: the Service Description, or the page ----------------------------------


@pytest.mark.parametrize(("accept", "parser"), [("text/turtle", "turtle"), ("application/rdf+xml", "xml"),
                                                ("application/n-triples", "nt")])
def test_service_description(live_server: LiveServer, accept: str, parser: str) -> None:
    reply = get(live_server, None, accept)
    assert reply.status == 200 and reply.media_type == accept
    graph = Graph().parse(data=reply.body, format=parser)
    endpoint, dataset = URIRef(live_server.url + "sparql"), URIRef(live_server.url + "dataset")
    assert (endpoint, SD.endpoint, endpoint) in graph
    assert (endpoint, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), SD.Service) in graph
    assert (endpoint, SD.supportedLanguage, SD.SPARQL11Query) in graph
    formats = {str(f) for f in graph.objects(endpoint, SD.resultFormat)}
    assert formats == {FORMATS_NS + name for name in ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                                                      "SPARQL_Results_TSV", "Turtle", "N-Triples", "RDF_XML", "JSON-LD"]}
    default_dataset = graph.value(endpoint, SD.defaultDataset)
    default_graph = graph.value(default_dataset, SD.defaultGraph)
    assert default_graph is not None
    assert int(graph.value(default_graph, VOID.triples)) == store_count(live_server)
    assert dataset in set(graph.objects(default_dataset, None)) | set(graph.objects(default_graph, None))
    assert f"<{dataset}>" in reply.headers["Link"] and 'rel="describedby"' in reply.headers["Link"]


def test_a_browser_without_a_query_gets_the_page(live_server: LiveServer) -> None:
    for accept in ["text/html", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", None]:
        reply = live_server.request("/sparql", {"Accept": accept} if accept else {})
        assert reply.status == 200 and reply.media_type == "text/html"
        assert b"<form" in reply.body
