"""Content negotiation, table-driven, over real HTTP; every RDF answer is read back and compared
with the description built independently by rdflib from the store's N-Triples dump."""

from __future__ import annotations

import json
import subprocess

import pyoxigraph as ox
import pytest
from pyld import jsonld as pyld
from rdflib import RDFS, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from publisher.web.jsonld import document_loader
from tests.conftest import LiveServer, require_tool, store_graph

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
V = "/video/portrait-alain-burlaud"
P = "/person/rival-madina"
ORG = "/organization/lirsa-cnam"
T = "/theme/portraits"

TTL, NT, XML, JSONLD, HTML = "text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json", "text/html"

# (path, Accept or None for no header) -> (status, media type)
TABLE = [
    (V, None, 200, HTML),
    (V, "*/*", 200, HTML),
    (V, BROWSER, 200, HTML),
    (V, "text/html", 200, HTML),
    (V, "text/turtle", 200, TTL),
    (V, "application/x-turtle", 200, TTL),
    (V, "application/n-triples", 200, NT),
    (V, "application/rdf+xml", 200, XML),
    (V, "application/ld+json", 200, JSONLD),
    (V, "application/json", 200, JSONLD),
    (V, "text/*", 200, HTML),
    (V, "application/*", 200, JSONLD),
    (V, "text/turtle;q=0.5, application/rdf+xml;q=0.9", 200, XML),
    (V, "application/n-triples;q=1, text/turtle;q=0.9", 200, NT),
    (V, "text/html;q=0.1, text/turtle", 200, TTL),
    (V, "text/html;q=0, */*;q=0.1", 200, TTL),
    (V, "application/ld+json;q=0.8, */*;q=0.2", 200, JSONLD),
    (V, "image/png", 406, None),
    (V, "application/pdf, image/*", 406, None),
    (V, "text/turtle;q=0", 406, None),
    (V + ".ttl", None, 200, TTL),
    (V + ".nt", None, 200, NT),
    (V + ".rdf", None, 200, XML),
    (V + ".jsonld", None, 200, JSONLD),
    (V + ".html", None, 200, HTML),
    (V + ".ttl", "application/rdf+xml", 200, TTL),
    (V + ".jsonld", "text/html", 200, JSONLD),
    (V + ".html", "text/turtle", 200, HTML),
    (V + ".ttl", "image/png", 200, TTL),
    (P, "text/turtle", 200, TTL),
    (P + ".nt", None, 200, NT),
    (P, BROWSER, 200, HTML),
    (ORG, "application/rdf+xml", 200, XML),
    (ORG + ".jsonld", None, 200, JSONLD),
    (T, "text/turtle", 200, TTL),
    (T + ".html", None, 200, HTML),
    ("/theme/", "text/turtle", 200, TTL),
    ("/theme/index.nt", None, 200, NT),
    ("/ontology", "text/turtle", 200, TTL),
    ("/ontology.rdf", None, 200, XML),
    ("/ontology", BROWSER, 200, HTML),
    ("/video/nope", "text/turtle", 404, TTL),
    ("/video/nope.html", None, 404, HTML),
    ("/person/Not%20a%20slug", "text/turtle", 404, None),
    ("/person/nobody", "application/ld+json", 404, JSONLD),
    ("/video/", BROWSER, 200, HTML),
    ("/video/", None, 200, HTML),
    ("/person/", "text/turtle", 406, None),
    ("/search?q=x", "application/ld+json", 406, None),
]


@pytest.mark.parametrize(("path", "accept", "status", "media"), TABLE)
def test_negotiation_table(live_server: LiveServer, path: str, accept: str | None, status: int, media: str | None) -> None:
    reply = live_server.get(path, accept)
    assert reply.status == status, reply.body[:300]
    if media is not None:
        assert reply.media_type == media
    if status == 406:  # says what is offered
        assert b"text/html" in reply.body
        if not path.startswith(("/person/", "/search")):
            assert b"text/turtle" in reply.body and b"application/ld+json" in reply.body


def test_suffix_is_announced_and_negotiation_varies(live_server: LiveServer) -> None:
    negotiated = live_server.get(V, "text/turtle")
    assert negotiated.headers["Content-Location"] == V + ".ttl"
    assert "Accept" in negotiated.headers["Vary"]
    suffixed = live_server.get(V + ".ttl")
    assert suffixed.headers["Content-Location"] == V + ".ttl"
    assert suffixed.body == negotiated.body
    assert suffixed.headers["ETag"] == negotiated.headers["ETag"]


def expected_description(live_server: LiveServer, path: str) -> Graph:
    """The resource's statements (a video's also of its fragments) plus labels of what they link to."""
    store = store_graph(live_server.settings)
    iri = URIRef(live_server.url + path.lstrip("/"))
    subjects = {iri} | {o for o in store.objects(iri, None) if isinstance(o, URIRef) and str(o).startswith(str(iri) + "#")}
    out = Graph()
    for s in subjects:
        for p, o in store.predicate_objects(s):
            out.add((s, p, o))
            if isinstance(o, URIRef):
                for label_property in (RDFS.label, URIRef("http://schema.org/name")):
                    for label in store.objects(o, label_property):
                        out.add((o, label_property, label))
    return out


RESOURCES = [V, "/video/innovation-publique", P, "/person/joullie-jean-etienne", ORG, "/organization/cnam", T]
RDF_SUFFIXES = {".ttl": "turtle", ".nt": "nt", ".rdf": "xml"}


@pytest.mark.parametrize("path", RESOURCES)
@pytest.mark.parametrize("suffix", sorted(RDF_SUFFIXES))
def test_rdf_is_the_independent_description(live_server: LiveServer, path: str, suffix: str) -> None:
    reply = live_server.get(path + suffix)
    assert reply.status == 200
    got = Graph().parse(data=reply.body, format=RDF_SUFFIXES[suffix])
    assert len(got) > 3
    assert isomorphic(got, expected_description(live_server, path))


@pytest.mark.parametrize("path", RESOURCES + ["/theme/index", "/ontology"])
def test_jsonld_means_what_turtle_says(live_server: LiveServer, path: str) -> None:
    document = json.loads(live_server.get(path + ".jsonld").body)
    assert document["@context"] == "https://schema.org/"
    nquads = pyld.to_rdf(document, {"format": "application/n-quads", "documentLoader": document_loader})
    from_jsonld = Graph().parse(data=nquads, format="nt")
    from_turtle = Graph().parse(data=live_server.get(path + ".ttl").body, format="turtle")
    assert isomorphic(from_jsonld, from_turtle)


@pytest.mark.parametrize("path", RESOURCES + ["/theme/index", "/ontology"])
@pytest.mark.parametrize(("suffix", "syntax"), [(".ttl", "turtle"), (".nt", "ntriples"), (".rdf", "rdfxml")])
def test_rapper_reads_every_rdf_answer(live_server: LiveServer, tmp_path, path: str, suffix: str, syntax: str) -> None:
    rapper = require_tool("rapper")
    document = tmp_path / f"answer{suffix}"
    document.write_bytes(live_server.get(path + suffix).body)
    run = subprocess.run([rapper, "-i", syntax, "-c", str(document), live_server.url], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "returned 0 triples" not in run.stderr


def test_ontology_is_served_under_the_base(live_server: LiveServer) -> None:
    graph = Graph().parse(data=live_server.get("/ontology.ttl").body, format="turtle")
    ontology = URIRef(live_server.url + "ontology")
    assert (ontology, RDFS.label, Literal("Research-video catalogue ontology", lang="en")) in graph


@pytest.mark.parametrize("path", RESOURCES + ["/theme/index", "/ontology"])
def test_jsonld_is_compacted_as_with_the_whole_schema_org_context(live_server: LiveServer, path: str) -> None:
    from publisher.web.jsonld import compact

    served = json.loads(live_server.get(path + ".jsonld").body)
    triples = list(ox.parse(live_server.get(path + ".nt").body, format=ox.RdfFormat.N_TRIPLES))
    assert served == compact([q.triple for q in triples], full=True)
