"""HTTP semantics of the resources over a real server: ETags and Last-Modified, 304s, HEAD,
Link and CORS headers, 404 and 410, and ETags across a publication."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from publisher.web import create_app
from tests.conftest import LiveServer

V = "/video/portrait-alain-burlaud"
FORMATS = ["text/html", "text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"]
PATHS = [V, "/person/rival-madina", "/organization/lirsa-cnam", "/theme/portraits", "/theme/", "/ontology"]


@pytest.mark.parametrize("accept", FORMATS)
@pytest.mark.parametrize("path", PATHS)
def test_conditional_requests_answer_304_without_a_body(live_server: LiveServer, path: str, accept: str) -> None:
    first = live_server.get(path, accept)
    assert first.status == 200
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('"') and not etag.startswith('W/')
    by_tag = live_server.get(path, accept, If_None_Match=etag)
    assert (by_tag.status, by_tag.body) == (304, b"")
    assert by_tag.headers["ETag"] == etag
    by_date = live_server.get(path, accept, If_Modified_Since=modified)
    assert (by_date.status, by_date.body) == (304, b"")
    other = live_server.get(path, accept, If_None_Match='"something-else"')
    assert other.status == 200 and other.body == first.body


def test_each_format_has_its_own_etag(live_server: LiveServer) -> None:
    tags = {live_server.get(V, accept).headers["ETag"] for accept in FORMATS}
    assert len(tags) == len(FORMATS)


def test_head_has_the_headers_and_length_of_get(live_server: LiveServer) -> None:
    for accept in FORMATS:
        get = live_server.get(V, accept)
        head = live_server.request(V, {"Accept": accept}, method="HEAD")
        assert head.status == 200 and head.body == b""
        assert head.headers["Content-Length"] == str(len(get.body))
        assert head.headers["ETag"] == get.headers["ETag"]


def test_link_cors_and_cache_headers(live_server: LiveServer) -> None:
    reply = live_server.get(V, "text/turtle")
    link = reply.headers["Link"]
    for suffix, media in [(".html", "text/html"), (".jsonld", "application/ld+json"), (".nt", "application/n-triples"), (".rdf", "application/rdf+xml")]:
        assert f'<{V}{suffix}>; rel="alternate"; type="{media}"' in link
    assert ".ttl>" not in link
    assert f'<{live_server.url}dataset>; rel="describedby"' in link
    assert f'<{live_server.url}video/portrait-alain-burlaud>; rel="cite-as"' in link
    assert reply.headers["Access-Control-Allow-Origin"] == "*"
    assert "max-age" in reply.headers["Cache-Control"] and "public" in reply.headers["Cache-Control"]


def test_cors_preflight(live_server: LiveServer) -> None:
    reply = live_server.request(V, {"Origin": "https://example.net", "Access-Control-Request-Method": "GET",
                                    "Access-Control-Request-Headers": "Accept"}, method="OPTIONS")
    assert reply.status == 200
    assert reply.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in reply.headers["Access-Control-Allow-Methods"]
    assert "Accept" in reply.headers["Access-Control-Allow-Headers"]


def test_a_video_is_last_modified_when_its_record_changed(live_server: LiveServer) -> None:
    assert live_server.get(V + ".ttl").headers["Last-Modified"] == "Thu, 01 Jan 2026 00:00:00 GMT"


@pytest.mark.parametrize(("path", "media"), [("/video/nope", "text/turtle"), ("/video/nope", "text/html"),
                                             ("/person/nobody", "text/turtle"), ("/organization/nothing.html", None)])
def test_unknown_resources_are_404(live_server: LiveServer, path: str, media: str | None) -> None:
    reply = live_server.get(path, media)
    assert reply.status == 404
    assert reply.headers["Access-Control-Allow-Origin"] == "*"
    if media == "text/turtle":
        Graph().parse(data=reply.body, format="turtle")  # a (small) Turtle document
    if media == "text/html" or path.endswith(".html"):
        assert reply.media_type == "text/html" and b"<h1>" in reply.body


def changed(record_id: str, tmp_path: Path, **fields: object) -> Path:
    lines = (Path(__file__).parent.parent / "data" / "videos.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    record = next(r for r in records if r["id"] == record_id)
    path = tmp_path / f"{record_id}.jsonl"
    path.write_text(json.dumps({**record, **fields}, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_a_republish_changes_the_etags_of_what_changed_only(fresh_server: LiveServer, tmp_path: Path) -> None:
    changed_video, unrelated = "/video/management-innovation", ["/video/business-history", "/person/passant-adrien-jean-guy"]
    before = {(p, a): fresh_server.get(p, a).headers["ETag"] for p in [changed_video, *unrelated] for a in FORMATS}
    fresh_server.publish(changed("management-innovation", tmp_path, title="Le management de l’innovation, revu"),
                         now="2026-02-01T00:00:00Z")
    for accept in FORMATS:
        assert fresh_server.get(changed_video, accept).headers["ETag"] != before[(changed_video, accept)], accept
        for path in unrelated:
            reply = fresh_server.get(path, accept, If_None_Match=before[(path, accept)])
            assert reply.status == 304, (path, accept)
    assert fresh_server.get(changed_video + ".ttl").headers["Last-Modified"] == "Sun, 01 Feb 2026 00:00:00 GMT"
    assert "revu" in fresh_server.get(changed_video + ".html").text


def test_a_withdrawn_video_is_410_gone(fresh_server: LiveServer, tmp_path: Path) -> None:
    tombstone = tmp_path / "gone.jsonl"
    tombstone.write_text('{"id": "managerialisme", "deleted": true}\n', encoding="utf-8")
    fresh_server.publish(tombstone, now="2026-03-01T00:00:00Z")
    turtle = fresh_server.get("/video/managerialisme", "text/turtle")
    assert turtle.status == 410 and turtle.media_type == "text/turtle"
    graph = Graph().parse(data=turtle.body, format="turtle")
    iri = URIRef(fresh_server.url + "video/managerialisme")
    when = Literal("2026-03-01T00:00:00Z", datatype=URIRef("http://www.w3.org/2001/XMLSchema#dateTime"))
    assert (iri, URIRef("http://www.w3.org/ns/prov#invalidatedAtTime"), when) in graph
    page = fresh_server.get("/video/managerialisme.html")
    assert page.status == 410 and page.media_type == "text/html" and b"2026-03-01" in page.body
    assert fresh_server.get("/video/managerialisme.jsonld").status == 410
    assert fresh_server.get("/video/business-history.ttl").status == 200


def test_ids_with_dots_and_suffix_like_endings(fresh_server: LiveServer, tmp_path: Path) -> None:
    records = tmp_path / "dots.jsonl"
    records.write_text(
        '{"id": "report.nt", "title": "Rapport", "speakers": "RIVAL Madina - LIRSA-CNAM"}\n'
        '{"id": "v1.2", "title": "Version 1.2", "speakers": "RIVAL Madina - LIRSA-CNAM"}\n', encoding="utf-8")
    fresh_server.publish(records)
    whole = fresh_server.get("/video/report.nt", "text/turtle")  # an id that looks suffixed is the id
    assert whole.status == 200 and whole.media_type == "text/turtle"
    assert f"<{fresh_server.url}video/report.nt>".encode() in whole.body
    suffixed = fresh_server.get("/video/v1.2.ttl")
    assert suffixed.status == 200 and suffixed.media_type == "text/turtle"
    assert f"<{fresh_server.url}video/v1.2>".encode() in suffixed.body
    assert fresh_server.get("/video/report.nt.jsonld").media_type == "application/ld+json"


def test_a_video_is_served_without_building_the_catalogue_index(live_server: LiveServer) -> None:
    """A video's own representations ask the store for its date: the index of the whole ledger
    (seconds and a hundred MB per process at 100k videos) is only for browse and search pages."""
    app = create_app(live_server.settings)
    client = app.test_client()
    turtle = client.get(V + ".ttl")
    assert turtle.status_code == 200 and turtle.headers["Last-Modified"] == "Thu, 01 Jan 2026 00:00:00 GMT"
    assert client.get(V, headers={"Accept": "text/html"}).status_code == 200
    assert client.get("/video/no-such-video.ttl").status_code == 404
    assert app.extensions["publisher.catalogues"]._current is None
    assert client.get("/search?q=burlaud").status_code == 200
    assert app.extensions["publisher.catalogues"]._current is not None
