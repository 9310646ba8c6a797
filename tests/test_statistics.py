"""The statistics the build publishes: they follow the records from one build to the next, and
the ontology documents each of their terms."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import RDFS, Graph, Literal, URIRef

from publisher.build import build
from publisher.querying import run_query
from publisher.settings import Settings

from .conftest import BASE, DATA, ROOT

PUB = BASE + "ontology#"


def figures(settings: Settings, sparql: str) -> list[tuple[str, ...]]:
    results = run_query(settings, f"PREFIX pub: <{PUB}>\n{sparql}")
    return [tuple(term.value for term in row) for row in results]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_a_changed_record_changes_the_statistics_of_the_next_build(tmp_path: Path, settings: Settings) -> None:
    assert not build([DATA], settings).rejections
    portraits = f"SELECT ?n {{ <{BASE}theme/portraits> pub:talkCount ?n }}"
    most_viewed = "SELECT ?id { ?v pub:viewRank 1 ; <http://schema.org/identifier> ?id }"
    years = "SELECT ?y ?n ?views { ?t pub:year ?y ; pub:talkCount ?n ; pub:viewCount ?views }"
    assert figures(settings, portraits) == [("1",)]
    assert figures(settings, most_viewed) == [("innovation-publique",)]
    assert figures(settings, years) == []
    change = {"id": "business-history", "title": "La business history", "views": 10**6, "published": "2021-05-04",
              "themes": ["Portraits"], "speakers": ["PASSANT Adrien Jean-Guy - EMLV"]}
    assert not build([write_jsonl(tmp_path / "change.jsonl", [change])], settings).rejections
    assert figures(settings, portraits) == [("2",)]
    assert figures(settings, most_viewed) == [("business-history",)]
    assert figures(settings, years) == [("2021", "1", "1000000")]


def test_every_statistics_term_is_documented_in_english_and_french(tmp_path: Path, settings: Settings) -> None:
    extra = {"id": "keyworded", "title": "T", "published": "2024-03-01T10:00:00+01:00", "duration": "03:59", "views": 3,
             "keywords": ["Innovation"], "themes": ["Portraits"], "speakers": ["RIVAL Madina - LIRSA-CNAM"]}
    assert not build([DATA, write_jsonl(tmp_path / "extra.jsonl", [extra])], settings).rejections
    used = {URIRef(p) for (p,) in figures(settings, f'SELECT DISTINCT ?p {{ ?s ?p ?o FILTER(STRSTARTS(STR(?p), "{PUB}")) }}')}
    used |= {URIRef(c) for (c,) in figures(settings, f'SELECT DISTINCT ?c {{ ?s a ?c FILTER(STRSTARTS(STR(?c), "{PUB}")) }}')}
    assert len(used) == 35
    ontology = Graph().parse(ROOT / "ontology" / "ontology.ttl", format="turtle", publicID=BASE)
    on_statistics = {URIRef(PUB + "Tally"), URIRef(PUB + "KeywordKey")}
    for term in used:
        for predicate in (RDFS.label, RDFS.comment):
            assert {o.language for o in ontology.objects(term, predicate) if isinstance(o, Literal)} == {"en", "fr"}, term
        said = " ".join(str(o) for o in ontology.objects(term, RDFS.comment))
        assert "publish time" in said or set(ontology.objects(term, URIRef(PUB + "usedOn"))) <= on_statistics, term


def test_a_duration_in_seconds_is_exact(tmp_path: Path, settings: Settings) -> None:
    talks = [{"id": "hour", "title": "Une heure", "duration": "PT1H2M3.5S", "speakers": ["RIVAL Madina - LIRSA-CNAM"]},
             {"id": "short", "title": "Court", "duration": "03:59", "speakers": ["RIVAL Madina - LIRSA-CNAM"]},
             {"id": "unknown", "title": "Sans durée", "speakers": ["RIVAL Madina - LIRSA-CNAM"]}]
    assert not build([write_jsonl(tmp_path / "talks.jsonl", talks)], settings).rejections
    seconds = "SELECT ?id ?s { ?v pub:durationSeconds ?s ; <http://schema.org/identifier> ?id } ORDER BY ?id"
    assert [(video, float(s)) for video, s in figures(settings, seconds)] == [("hour", 3723.5), ("short", 239.0)]
