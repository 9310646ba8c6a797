"""The dataset over real HTTP: its description in every format with the dumps' sizes and
checksums, the dumps with ranges and conditionals, the sitemaps, robots.txt, the statistics."""

from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from pyld import jsonld
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, RDF, VOID, XSD

from publisher.build import build
from publisher.dumps import read_index
from publisher.querying import published
from publisher.settings import Settings
from publisher.web import create_app, sitemap

from .conftest import DATA, LiveServer

SPDX = Namespace("http://spdx.org/rdf/terms#")
SCHEMA = "http://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
RDF_FORMATS = [  # (Accept, rdflib parser, suffix)
    ("text/turtle", "turtle", ".ttl"),
    ("application/n-triples", "nt", ".nt"),
    ("application/rdf+xml", "xml", ".rdf"),
    ("application/ld+json", "json-ld", ".jsonld"),
]
DUMP = "/dumps/catalogue.nt.gz"


def parsed(body: bytes, fmt: str) -> Graph:
    if fmt == "json-ld":  # through pyld: rdflib's own JSON-LD parser warns of a deprecation
        return Graph().parse(data=jsonld.to_rdf(json.loads(body), {"format": "application/n-quads"}), format="nt")
    return Graph().parse(data=body, format=fmt)


# --- the description ------------------------------------------------------------------------


@pytest.mark.parametrize(("accept", "fmt", "suffix"), RDF_FORMATS)
def test_the_description_carries_the_counts_in_every_format(live_server: LiveServer, accept: str, fmt: str, suffix: str):
    for reply in (live_server.get("/dataset", accept=accept), live_server.get("/dataset" + suffix)):
        assert reply.status == 200 and reply.media_type == accept
        assert reply.headers["Access-Control-Allow-Origin"] == "*"
        graph = parsed(reply.body, fmt)
        dataset = URIRef(live_server.url + "dataset")
        manifest = published(live_server.settings).manifest
        # void:triples counts the catalogue without the description's own statements
        assert 0 < int(str(graph.value(dataset, VOID.triples))) < manifest.triples
        partitions = {graph.value(p, VOID["class"]): int(str(graph.value(p, VOID.entities)))
                      for p in graph.objects(dataset, VOID.classPartition)}
        assert partitions[URIRef(SCHEMA + "VideoObject")] == manifest.counts["VideoObject"] == 7
        assert partitions[URIRef(SKOS + "Concept")] == manifest.counts["Concept"]


@pytest.mark.parametrize(("accept", "fmt", "suffix"), RDF_FORMATS)
def test_each_distribution_has_the_real_size_and_checksum(live_server: LiveServer, accept: str, fmt: str, suffix: str):
    graph = parsed(live_server.get("/dataset", accept=accept).body, fmt)
    distributions = set(graph.objects(URIRef(live_server.url + "dataset"), DCAT.distribution))
    assert len(distributions) == 3
    for url in distributions:
        body = live_server.get(str(url).removeprefix(live_server.url.rstrip("/"))).body
        assert graph.value(url, DCAT.byteSize) == Literal(str(len(body)), datatype=XSD.decimal)
        checksum = graph.value(url, SPDX.checksum)
        assert (checksum, RDF.type, SPDX.Checksum) in graph
        assert graph.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(graph.value(checksum, SPDX.checksumValue)) == hashlib.sha256(body).hexdigest()


def test_well_known_void_sends_to_the_description(live_server: LiveServer):
    reply = live_server.get("/.well-known/void", accept="text/turtle")
    assert reply.status == 303 and reply.headers["Location"].endswith("/dataset")
    assert live_server.get("/dataset", accept="text/turtle").status == 200


def test_the_dataset_page_shows_counts_dumps_and_links(live_server: LiveServer):
    reply = live_server.get("/dataset", accept="text/html")
    assert reply.status == 200 and reply.media_type == "text/html"
    page = reply.text
    for dump in read_index(published(live_server.settings).path):
        assert dump.name in page and str(dump.bytes) in page and dump.sha256 in page
    assert live_server.url + "sparql" in page
    assert "/dataset/stats" in page
    assert "creativecommons.org/licenses/by/4.0/" in page
    assert "video/" in page  # an example resource


def test_the_description_answers_conditional_requests(live_server: LiveServer):
    first = live_server.get("/dataset", accept="text/turtle")
    again = live_server.get("/dataset", accept="text/turtle", If_None_Match=first.headers["ETag"])
    assert again.status == 304


# --- the dumps --------------------------------------------------------------------------------


def test_a_dump_downloads_whole_with_its_headers(live_server: LiveServer):
    reply = live_server.get(DUMP)
    dump = {d.name: d for d in read_index(published(live_server.settings).path)}["catalogue.nt.gz"]
    assert reply.status == 200
    assert int(reply.headers["Content-Length"]) == len(reply.body) == dump.bytes
    assert reply.headers["ETag"] == f'"{dump.sha256}"' == f'"{hashlib.sha256(reply.body).hexdigest()}"'
    assert reply.headers["Accept-Ranges"] == "bytes"
    assert reply.headers["Last-Modified"] == "Thu, 01 Jan 2026 00:00:00 GMT"
    assert reply.headers["Access-Control-Allow-Origin"] == "*"
    assert reply.media_type == "application/gzip"


def test_a_dump_answers_if_none_match_with_304(live_server: LiveServer):
    etag = live_server.get(DUMP).headers["ETag"]
    reply = live_server.get(DUMP, If_None_Match=etag)
    assert reply.status == 304 and reply.body == b""


def test_a_dump_serves_a_single_range(live_server: LiveServer):
    whole = live_server.get(DUMP).body
    reply = live_server.get(DUMP, Range="bytes=0-99")
    assert reply.status == 206
    assert reply.body == whole[:100]
    assert reply.headers["Content-Range"] == f"bytes 0-99/{len(whole)}"
    assert reply.headers["Content-Length"] == "100"


def test_an_unsatisfiable_range_is_416(live_server: LiveServer):
    size = len(live_server.get(DUMP).body)
    reply = live_server.get(DUMP, Range=f"bytes={size + 10}-{size + 20}")
    assert reply.status == 416
    assert reply.headers["Content-Range"] == f"bytes */{size}"


def test_head_of_a_dump_has_the_headers_and_no_body(live_server: LiveServer):
    reply = live_server.request(DUMP, method="HEAD")
    assert reply.status == 200 and reply.body == b""
    assert int(reply.headers["Content-Length"]) == len(live_server.get(DUMP).body)


def test_an_unknown_dump_is_404(live_server: LiveServer):
    assert live_server.get("/dumps/catalogue.csv.gz").status == 404
    assert live_server.get("/dumps/..%2Fmanifest.json").status == 404


# --- sitemaps and robots.txt ---------------------------------------------------------------


ENTITIES = f"""SELECT ?s WHERE {{ VALUES ?c {{ <{SCHEMA}VideoObject> <{SCHEMA}Person> <{SCHEMA}Organization> <{SKOS}Concept> }} ?s a ?c }}"""


def expected_pages(settings: Settings) -> dict[str, str]:
    """Every page the sitemap must list, with its lastmod."""
    version = published(settings)
    ledger = {e.record.id: e.modified for e in version.ledger()}
    out = {}
    for row in version.query(ENTITIES):  # type: ignore[attr-defined]
        iri = row["s"].value
        video_id = iri.removeprefix(settings.base + "video/")
        out[iri] = ledger[video_id] if video_id != iri else version.manifest.created
    return out


def urls_of(body: bytes) -> list[tuple[str, str]]:
    root = ET.fromstring(body)
    assert root.tag == SM + "urlset"
    return [(u.findtext(SM + "loc") or "", u.findtext(SM + "lastmod") or "") for u in root.findall(SM + "url")]


def test_the_sitemap_lists_every_page_once_with_its_lastmod(live_server: LiveServer):
    reply = live_server.get("/sitemap.xml")
    assert reply.status == 200 and reply.media_type == "application/xml"
    urls = urls_of(reply.body)
    assert len(urls) == len({loc for loc, _ in urls})
    assert dict(urls) == expected_pages(live_server.settings)


def test_a_large_sitemap_is_split_into_an_index_and_parts(live_server: LiveServer, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(sitemap, "MAX_URLS", 5)
    client = create_app(live_server.settings).test_client()  # a new app: nothing cached yet
    root = ET.fromstring(client.get("/sitemap.xml").data)
    assert root.tag == SM + "sitemapindex"
    parts = [s.findtext(SM + "loc") or "" for s in root.findall(SM + "sitemap")]
    expected = expected_pages(live_server.settings)
    assert len(parts) == -(-len(expected) // 5)
    found: list[tuple[str, str]] = []
    for n, loc in enumerate(parts, start=1):
        assert loc == f"{live_server.url}sitemap-{n}.xml"
        chunk = urls_of(client.get(f"/sitemap-{n}.xml").data)
        assert 0 < len(chunk) <= 5
        found += chunk
    assert len(found) == len(expected) and dict(found) == expected
    assert client.get(f"/sitemap-{len(parts) + 1}.xml").status_code == 404


def test_robots_txt_names_the_sitemap(live_server: LiveServer):
    reply = live_server.get("/robots.txt")
    assert reply.status == 200 and reply.media_type == "text/plain"
    assert f"Sitemap: {live_server.url}sitemap.xml" in reply.text.splitlines()


# --- statistics -----------------------------------------------------------------------------


def test_the_statistics_page_draws_its_figures(live_server: LiveServer):
    reply = live_server.get("/dataset/stats")
    assert reply.status == 200 and reply.media_type == "text/html"
    assert "<svg" in reply.text
    assert "Histoire et critique du management" in reply.text  # a theme with the most talks
    assert live_server.get("/dataset", accept="text/html").text.count("/dataset/stats") >= 1


@pytest.fixture
def odd_labels(tmp_path: Path) -> FlaskClient:
    records = tmp_path / "odd.jsonl"
    rows = [
        {"id": f"odd-{n}", "title": f"Exposé {n}", "published": f"202{n}-01-15", "themes": ["R&D <critique>"],
         "speakers": [{"name": "DUPONT Jean", "institution": "Lab <&> Co"}]}
        for n in range(3)
    ]
    records.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    settings = Settings(store=str(tmp_path / "store"), base="http://example.org/", rejects=str(tmp_path / "r.jsonl"), workers=1)
    assert build([records], settings).exit_code == 0
    return create_app(settings).test_client()


def test_labels_are_escaped_in_the_figures(odd_labels: FlaskClient):
    page = odd_labels.get("/dataset/stats").get_data(as_text=True)
    assert "R&amp;D &lt;critique&gt;" in page and "Lab &lt;&amp;&gt; Co" in page
    assert "<critique>" not in page and "<&>" not in page
    svgs = page.split("<svg")[1:]
    assert len(svgs) == 4
    for svg in svgs:
        root = ET.fromstring("<svg" + svg.split("</svg>")[0] + "</svg>")  # well-formed XML
        assert root.find("{http://www.w3.org/2000/svg}title") is not None


def test_the_sitemap_limit_is_the_protocols():
    assert sitemap.MAX_URLS == 50_000


def test_dataset_page_lists_no_dumps_for_a_version_without_them(tmp_path: Path):
    settings = Settings(store=str(tmp_path / "store"), base="http://example.org/", rejects=str(tmp_path / "r.jsonl"), workers=1)
    assert build([DATA], settings).exit_code == 0
    version = published(settings)
    for path in (version.path / "dumps").iterdir():
        path.unlink()
    (version.path / "dumps").rmdir()
    client = create_app(settings).test_client()
    assert client.get("/dumps/catalogue.nt.gz").status_code == 404
    graph = parsed(client.get("/dataset.ttl").data, "turtle")
    assert not list(graph.objects(None, DCAT.byteSize))
