"""Property: any valid record is published, and its fields read back from the store equal it."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from publisher.build import build
from publisher.querying import run_query
from publisher.settings import Settings
from publisher.terms import fold

ID = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9._~-]{0,20}\Z")
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(lambda s: s.strip())
LONG_TEXT = st.lists(TEXT, min_size=1, max_size=3).map("\n".join)
FAMILY = st.sampled_from(["RIVAL", "JOULLIÉ", "DE LA FONTAINE", "D'ALMEIDA", "GARÇON", "ŒHLER", "MARTIN-DUPONT"])
GIVEN = st.sampled_from(["Madina", "Jean-Étienne", "Adrien Jean-Guy", "Bénédicte", "J."])
INSTITUTION = st.sampled_from([None, "LIRSA-CNAM", "IAE de Nice", "EMLV", "Université Paris-Dauphine"])
LABEL = st.text(st.characters(whitelist_categories=("L", "N", "Zs")), min_size=1, max_size=20).filter(lambda s: s.strip())


@st.composite
def durations(draw) -> tuple[str, str]:
    h, m, s = draw(st.integers(0, 9)), draw(st.integers(0, 59)), draw(st.integers(0, 59))
    iso = "PT" + (f"{h}H" if h else "") + (f"{m}M" if m else "") + (f"{s}S" if s or not (h or m) else "")
    written = draw(st.sampled_from([f"{h}:{m:02d}:{s:02d}", iso] + ([f"{m:02d}:{s:02d}"] if not h else [])))
    return written, iso


@st.composite
def records(draw) -> tuple[dict, dict]:
    """A valid record, and what the store must say about it."""
    duration, iso = draw(durations())
    speakers = draw(st.lists(st.tuples(FAMILY, GIVEN, INSTITUTION), min_size=1, max_size=3, unique_by=lambda t: t[:2]))
    keywords = draw(st.lists(LABEL.map(str.strip), max_size=3, unique=True))
    themes = draw(st.lists(LABEL.map(str.strip), max_size=2, unique_by=fold))
    record = {
        "id": draw(ID),
        "title": draw(TEXT),
        "description": draw(LONG_TEXT),
        "duration": duration,
        "views": draw(st.integers(0, 10**9)),
        "published": draw(st.dates()).isoformat(),
        "language": draw(st.sampled_from(["fr", "en", "de"])),
        "keywords": keywords,
        "themes": themes,
        "speakers": [{"name": f"{f} {g}", **({"institution": i} if i else {})} for f, g, i in speakers],
    }
    expected = {
        **record,
        "title": record["title"].strip(),
        "description": record["description"].strip(),  # text loses surrounding white space (README)
        "duration": iso,
        "speakers": [(f"{f} {g}", i) for f, g, i in speakers],
        "themes": sorted(themes),
        "keywords": sorted(keywords),
    }
    return record, expected


READ_BACK = """
PREFIX schema: <http://schema.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?id ?title ?description ?duration ?views ?published ?language WHERE {
  ?v a schema:VideoObject ; schema:identifier ?id ; schema:name ?title ; schema:description ?description ;
     schema:duration ?duration ; schema:datePublished ?published ; schema:inLanguage ?language ;
     schema:interactionStatistic/schema:userInteractionCount ?views .
}"""
SPEAKERS = """
PREFIX schema: <http://schema.org/>
SELECT ?written ?label WHERE {
  ?v schema:contributor ?role . ?role schema:position ?n ; schema:contributor/schema:alternateName ?written .
  OPTIONAL { ?role schema:affiliation/schema:alternateName ?label }
} ORDER BY ?n"""


def values(settings: Settings, query: str) -> list[dict[str, str]]:
    results = run_query(settings, query)
    names = [v.value for v in results.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in results]


@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records())
def test_any_valid_record_reads_back_equal(pair: tuple[dict, dict]):
    record, expected = pair
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.jsonl"
        path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
        settings = Settings(store=f"{tmp}/store", base="http://example.org/", rejects=f"{tmp}/rejects.jsonl", workers=1)
        report = build([path], settings)
        assert report.exit_code == 0, report.rejections
        [row] = values(settings, READ_BACK)
        assert row == {
            "id": expected["id"], "title": expected["title"], "description": expected["description"],
            "duration": expected["duration"], "views": str(expected["views"]), "published": expected["published"],
            "language": expected["language"],
        }
        kw = values(settings, "SELECT ?k WHERE { ?v <http://schema.org/keywords> ?k }")
        assert sorted(r["k"] for r in kw) == expected["keywords"]
        th = values(settings, "SELECT ?t WHERE { ?v <http://schema.org/about>/<http://www.w3.org/2004/02/skos/core#prefLabel> ?t }")
        assert sorted(r["t"] for r in th) == expected["themes"]
        speakers = values(settings, SPEAKERS)
        assert [(r["written"], r["label"]) for r in speakers] == expected["speakers"]
