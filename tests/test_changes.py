"""The change feed at /changes: replayed from the start, or read only past the last activity
seen, it gives the IRIs the store publishes; Create / Update / Delete; HTTP; JSON-LD."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from publisher.build import build
from publisher.querying import published, run_query
from publisher.settings import Settings
from publisher.store.version import ENTITIES, LEDGER
from publisher.web import changes
from publisher.web.http import CACHE_CONTROL

from .conftest import LiveServer, serve
from .test_build import talk, write_jsonl

T1, T2, T3 = "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z"
AS = "https://www.w3.org/ns/activitystreams#"
LOCAL_CONTEXT = Path(__file__).parent / "fixtures" / "discovery-context.json"
PUBLISHED = """SELECT ?e WHERE {
  VALUES ?class { <http://schema.org/VideoObject> <http://schema.org/Person> <http://schema.org/Organization>
                  <http://www.w3.org/2004/02/skos/core#Concept> }
  ?e a ?class }"""

FIRST = [
    talk("a", "Premier", "RIVAL Madina - LIRSA-CNAM", themes=["Innovation"]),
    talk("b", "Second", "PASSANT Adrien Jean-Guy - EMLV", themes=["Histoire"]),
    talk("c", "Troisième", "GAREL Gilles - LIRSA-CNAM"),
    talk("d", "Quatrième", "RIVAL Madina - LIRSA-CNAM", "GAREL Gilles - LIRSA-CNAM"),
]
# Changes a, withdraws b (whose person, institution and theme nobody else cites), adds e.
SECOND = [
    talk("a", "Premier, revu", "RIVAL Madina - LIRSA-CNAM", "JOULLIÉ Jean-Étienne - CNAM", themes=["Innovation"]),
    {"id": "b", "deleted": True},
    talk("e", "Cinquième", "GRALL Bénédicte - IAE de Nice", themes=["Management"]),
]


@pytest.fixture
def feed_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LiveServer]:
    """FIRST, published at T1 and served, with pages of 4 activities so that the feed has several."""
    monkeypatch.setattr(changes, "PAGE_SIZE", 4)
    yield from serve(tmp_path, [write_jsonl(tmp_path / "first.jsonl", FIRST)])


def path_of(live: LiveServer, iri: str) -> str:
    assert iri.startswith(live.url), iri
    return "/" + iri[len(live.url):]


def fetch(live: LiveServer, iri: str) -> dict[str, Any]:
    reply = live.get(path_of(live, iri))
    assert reply.status == 200, reply.text
    return json.loads(reply.body)  # type: ignore[no-any-return]


def read_forwards(live: LiveServer) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The collection and its pages, from `first` through `next`."""
    collection = json.loads(live.get("/changes").body)
    pages, iri = [], collection["first"]["id"]
    while iri is not None:
        pages.append(fetch(live, iri))
        iri = pages[-1].get("next", {}).get("id")
    return collection, pages


def read_newer(live: LiveServer, since: str) -> list[dict[str, Any]]:
    """The activities after `since`, read from `last` back through `prev` as far as needed."""
    newer: list[dict[str, Any]] = []
    iri = json.loads(live.get("/changes").body)["last"]["id"]
    while iri is not None:
        page = fetch(live, iri)
        items = page["orderedItems"]
        newer[:0] = [a for a in items if a["endTime"] > since]
        if any(a["endTime"] <= since for a in items):
            break
        iri = page.get("prev", {}).get("id")
    return newer


def replay(activities: list[dict[str, Any]], held: set[str] | None = None) -> set[str]:
    held = set(held or ())
    for activity in activities:
        if activity["type"] == "Delete":
            held.discard(activity["object"]["id"])
        else:
            held.add(activity["object"]["id"])
    return held


def published_iris(settings: Settings) -> set[str]:
    return {row["e"].value for row in run_query(settings, PUBLISHED)}


def latest(activities: list[dict[str, Any]], live: LiveServer) -> dict[str, tuple[str, str]]:
    """Path of each object -> (activity type, endTime)."""
    return {path_of(live, a["object"]["id"]): (a["type"], a["endTime"]) for a in activities}


def test_replaying_the_feed_from_the_start_gives_the_published_iris(feed_server: LiveServer):
    collection, pages = read_forwards(feed_server)
    activities = [a for page in pages for a in page["orderedItems"]]
    assert collection["type"] == "OrderedCollection" and len(pages) > 2
    assert collection["totalItems"] == len(activities)
    assert collection["last"]["id"] == pages[-1]["id"]
    for n, page in enumerate(pages):
        assert page["type"] == "OrderedCollectionPage" and page["partOf"]["id"] == collection["id"]
        assert page["startIndex"] == 4 * n and 0 < len(page["orderedItems"]) <= 4
        assert ("prev" in page) == (n > 0)
    keys = [(a["endTime"], a["object"]["id"]) for a in activities]
    assert keys == sorted(keys) and len({a["object"]["id"] for a in activities}) == len(activities)
    assert replay(activities) == published_iris(feed_server.settings)
    assert {a["type"] for a in activities} == {"Create"}


def test_an_incremental_reader_follows_changes_withdrawals_and_returns(feed_server: LiveServer, tmp_path: Path):
    live = feed_server
    _, pages = read_forwards(live)
    held = replay([a for page in pages for a in page["orderedItems"]])

    live.publish(write_jsonl(tmp_path / "second.jsonl", SECOND), now=T2)
    newer = read_newer(live, T1)
    held = replay(newer, held)
    assert held == published_iris(live.settings)
    assert latest(newer, live) == {
        "/video/a": ("Update", T2),
        "/video/b": ("Delete", T2),
        "/video/e": ("Create", T2),
        "/person/passant-adrien-jean-guy": ("Delete", T2),
        "/organization/emlv": ("Delete", T2),
        "/theme/histoire": ("Delete", T2),
        "/person/joullie-jean-etienne": ("Create", T2),
        "/organization/cnam": ("Create", T2),
        "/person/grall-benedicte": ("Create", T2),
        "/organization/iae-de-nice": ("Create", T2),
        "/theme/management": ("Create", T2),
    }
    _, pages = read_forwards(live)
    everything = [a for page in pages for a in page["orderedItems"]]
    assert latest(everything, live)["/video/c"] == ("Create", T1)  # unchanged: the reader did not need it again
    assert replay(everything) == held

    live.publish(write_jsonl(tmp_path / "third.jsonl", [FIRST[1]]), now=T3)  # b comes back
    newer = read_newer(live, T2)
    assert latest(newer, live) == {
        "/video/b": ("Create", T3),
        "/person/passant-adrien-jean-guy": ("Create", T3),
        "/organization/emlv": ("Create", T3),
        "/theme/histoire": ("Create", T3),
    }
    assert replay(newer, held) == published_iris(live.settings)


def test_an_entity_whose_own_statements_change_is_updated(feed_server: LiveServer, tmp_path: Path):
    # Garel now also speaks for CNAM: his affiliations change, LIRSA-CNAM's statements do not.
    feed_server.publish(write_jsonl(tmp_path / "2.jsonl", [talk("f", "Sixième", "GAREL Gilles - CNAM")]), now=T2)
    times = latest(read_newer(feed_server, T1), feed_server)
    assert times["/person/garel-gilles"] == ("Update", T2)
    assert "/organization/lirsa-cnam" not in times and "/person/rival-madina" not in times


def test_first_publication_times_in_the_ledger(tmp_path: Path, settings: Settings):
    build([write_jsonl(tmp_path / "1.jsonl", FIRST)], settings, now=T1)
    build([write_jsonl(tmp_path / "2.jsonl", [*FIRST[:1], *SECOND[1:]])], settings, now=T2)  # a again, unchanged
    build([write_jsonl(tmp_path / "3.jsonl", [SECOND[0], FIRST[1]])], settings, now=T3)
    times = {e.record.id: (e.created, e.modified) for e in published(settings).ledger()}
    assert times == {"a": (T1, T3), "b": (T3, T3), "c": (T1, T1), "d": (T1, T1), "e": (T2, T2)}


def test_a_version_written_before_creation_times_reads_as_created_when_modified(tmp_path: Path, settings: Settings):
    build([write_jsonl(tmp_path / "1.jsonl", FIRST)], settings, now=T1)
    build([write_jsonl(tmp_path / "2.jsonl", [SECOND[0]])], settings, now=T2)
    version = published(settings)
    ledger = version.path / LEDGER
    rows = [json.loads(line) for line in ledger.read_text(encoding="utf-8").splitlines()]
    ledger.write_text("".join(json.dumps({k: v for k, v in r.items() if k != "created"}) + "\n" for r in rows))
    (version.path / ENTITIES).unlink()
    assert {e.record.id: e.created == e.modified for e in version.ledger()} == dict.fromkeys("abcd", True)
    activities = changes.activities(version)
    assert {a.kind for a in activities} == {"Create"}
    assert {a.iri for a in activities} == published_iris(settings)
    assert {a.end for a in activities if "/video/" not in a.iri} == {version.manifest.created}

    build([write_jsonl(tmp_path / "3.jsonl", [SECOND[1]])], settings, now=T3)  # the next build starts from it
    after = {a.iri[len(settings.base):]: (a.kind, a.end) for a in changes.activities(published(settings))}
    assert after["video/a"] == ("Create", T2) and after["video/c"] == ("Create", T1)
    assert after["video/b"] == after["person/passant-adrien-jean-guy"] == ("Delete", T3)
    assert after["person/rival-madina"] == ("Update", T3)  # its history is unknown: it may have changed


def test_feed_http_etag_cors_and_media_types(feed_server: LiveServer, tmp_path: Path):
    for path in ("/changes", "/changes/page/1"):
        reply = feed_server.get(path)
        assert reply.status == 200
        assert reply.headers["Content-Type"] == 'application/ld+json;profile="https://www.w3.org/ns/activitystreams"'
        assert reply.headers["Access-Control-Allow-Origin"] == "*"
        assert reply.headers["Cache-Control"] == CACHE_CONTROL
        assert feed_server.get(path, If_None_Match=reply.headers["ETag"]).status == 304
        assert feed_server.get(path, accept="application/json").media_type == "application/json"
    before = feed_server.get("/changes").headers["ETag"]
    preflight = feed_server.request("/changes", {"Origin": "https://harvester.example", "Access-Control-Request-Method": "GET"},
                                    method="OPTIONS")
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    feed_server.publish(write_jsonl(tmp_path / "2.jsonl", SECOND), now=T2)
    after = feed_server.get("/changes", If_None_Match=before)
    assert after.status == 200 and after.headers["ETag"] != before


@pytest.mark.parametrize(("page", "status"), [
    ("999", 404), ("0", 404), ("01", 404), ("99999999999999999999999999", 404),
    ("abc", 400), ("-1", 400), ("1.5", 400), ("%D9%A3", 400),  # an Arabic-Indic three
])
def test_a_page_that_does_not_exist_is_an_error_with_a_message(live_server: LiveServer, page: str, status: int):
    reply = live_server.get(f"/changes/page/{page}", accept="application/json")
    assert reply.status == status
    assert "page" in json.loads(reply.body)["message"]


def test_the_feed_is_json_ld_of_activity_streams(live_server: LiveServer):
    context = json.loads(LOCAL_CONTEXT.read_text(encoding="utf-8"))

    def loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        assert url == changes.CONTEXT, f"the tests fetch nothing from the web: {url}"
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": context}

    collection, pages = read_forwards(live_server)
    graph = Graph()
    for document in (collection, *pages):
        graph.parse(data=jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": loader}), format="nt")
    feed = URIRef(collection["id"])
    assert (feed, RDF.type, URIRef(AS + "OrderedCollection")) in graph
    assert graph.value(feed, URIRef(AS + "totalItems")).toPython() == collection["totalItems"]
    typed = {(str(o), str(graph.value(o, RDF.type))) for o in graph.objects(None, URIRef(AS + "object"))}
    assert typed == {(a["object"]["id"], a["object"]["type"]) for page in pages for a in page["orderedItems"]}
    assert len(typed) == collection["totalItems"]
