"""The question library (queries/*.rq): headers, exact answers on the sample, answers on a
generated catalogue checked against the same questions answered in plain Python, and the
binding of parameters."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from publisher.build import build
from publisher.demo import INSTITUTION_FIELDS, generate_institutions, generate_records
from publisher.errors import UsageError
from publisher.named_queries import (
    QUERIES,
    NamedQuery,
    QueryFileError,
    bind,
    load_queries,
    run_named,
)
from publisher.querying import run_query
from publisher.settings import Settings

from .conftest import BASE, DATA, store_settings
from .plain_catalogue import LEADING_PARTICLES, Catalogue, Talk, read_catalogue, slug

LIBRARY = load_queries()
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def build_store(tmp: Path, inputs: list[Path]) -> Settings:
    settings = Settings(**store_settings(tmp), base=BASE, rejects=str(tmp / "rejects.jsonl"), workers=1)
    report = build(inputs, settings)
    assert not report.rejections
    return settings


def plain(term: Any) -> Any:
    """A result term as a Python value: integers as int, our IRIs relative to the base."""
    if term is None:
        return None
    if isinstance(term, ox.Literal) and term.datatype.value == XSD_INTEGER:
        return int(term.value)
    if isinstance(term, ox.NamedNode) and term.value.startswith(BASE):
        return term.value[len(BASE):]
    return term.value


def answer(settings: Settings, name: str, given: dict[str, str], *columns: str) -> list[tuple[Any, ...]]:
    results = run_named(settings, name, given, LIBRARY)
    assert isinstance(results, ox.QuerySolutions)
    return [tuple(plain(row[c]) for c in columns) for row in results]


def paged(settings: Settings, name: str, given: dict[str, str], *columns: str) -> Callable[..., list[tuple[Any, ...]]]:
    """A page of a paged question: page(limit=.., offset=..) with the other parameters fixed."""
    def page(**paging: int) -> list[tuple[Any, ...]]:
        return answer(settings, name, {**given, **{k: str(v) for k, v in paging.items()}}, *columns)
    return page


def assert_pages(page: Callable[..., list[tuple[Any, ...]]], expected: list[tuple[Any, ...]], size: int = 25) -> None:
    """The first page by default, any slice, and the pages one after the other are the plain list."""
    assert page() == expected[:100]
    middle = len(expected) // 2
    assert page(limit=7, offset=middle) == expected[middle:middle + 7]
    assert page(limit=size, offset=max(len(expected) - 3, 0)) == expected[-3:]
    walked, offset = [], 0
    while rows := page(limit=size, offset=offset):
        walked += rows
        offset += size
    assert walked == expected


# --- (a) every file has a complete header and parses ---------------------------------------

def test_the_library_holds_at_least_fifteen_questions() -> None:
    assert len(LIBRARY) >= 15
    assert sorted(LIBRARY) == sorted(p.stem for p in QUERIES.glob("*.rq"))


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_header_is_complete_and_query_parses(name: str) -> None:
    query = LIBRARY[name]
    assert query.title and query.description
    for param in query.params:
        assert param.type in ("iri", "string", "integer", "date") and param.text
        assert re.search(rf"\?{param.name}\b", query.sparql)
    assert set(query.example_values) <= {p.name for p in query.params}
    ox.Store().query(query.sparql, base_iri=BASE)  # unbound parameters: still valid SPARQL
    ox.Store().query(query.sparql, base_iri=BASE, substitutions=bind(query, query.example_values, BASE))


HEADER = '# title: T\n# description: D\n# param: x ({type}, default 1): the x\n# example:\nSELECT ?x WHERE {{ {body} }}\n'


@pytest.mark.parametrize(("text", "problem"), [
    (HEADER.format(type="number", body="?x ?p ?o"), "unknown type 'number'"),
    (HEADER.format(type="integer", body="?s ?p ?o").replace("SELECT ?x", "SELECT ?s"), "not used as ?x"),
    (HEADER.format(type="integer", body="?x ?p ?o").replace("# title: T\n", ""), "no `# title:` line"),
    (HEADER.format(type="integer", body="?x ?p ?o").replace("# example:\n", ""), "no `# example:` line"),
    (HEADER.format(type="integer", body="?x ?p"), "does not run"),
    (HEADER.format(type="integer", body="?x ?p ?o").replace("# param: x (integer, default 1)", "# param: x"),
     "write a parameter as"),
    (HEADER.format(type="integer", body="?x ?p ?o").replace("SELECT ?x", "SELECT ?p"), "does not run"),
    (HEADER.format(type="integer", body="?x ?p ?o").replace("# example:", "# example: y=2"), "NAME=VALUE"),
    (HEADER.format(type="integer", body="?x ?p ?o").replace("# example:", "# param: x (string, default a): x\n# example:"),
     "declared twice"),
    (HEADER.format(type="integer", body="?x ?p ?o").replace("default 1", "default one"), "does not run"),
])
def test_a_malformed_header_fails_at_load_time(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "broken.rq").write_text(text, encoding="utf-8")
    with pytest.raises(QueryFileError, match=re.escape(problem)):
        load_queries(tmp_path)


def test_header_fields_continue_on_indented_lines_and_defaults_lose_their_quotes() -> None:
    query = LIBRARY["institutions-of-video"]
    assert query.description.startswith("For one video, each institution")
    assert "taken from the appearance's display line" in query.description
    assert [(p.name, p.type, p.default) for p in query.params] == [("video", "string", "portrait-alain-burlaud")]
    assert LIBRARY["talks-published-between"].example_values == {"start": "2024-03-01", "end": "2024-03-31", "limit": "20",
                                                                 "offset": "0"}


# --- (b) exact answers on the sample (data/) ------------------------------------------------

@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return build_store(tmp_path_factory.mktemp("sample"), [DATA])


LIRSA = "Laboratoire interdisciplinaire de recherche en sciences de l'action"
IAE_NICE = "Institut d'administration des entreprises de Nice"
CNAM = "Conservatoire national des arts et métiers"
EMLV = "École de management Léonard de Vinci"
UCA = "Université Côte d'Azur"
TITLES = {
    "innovation-publique": "Qu’est-ce que l’Innovation publique ?",
    "innovation-secteur-public": "L’innovation dans le secteur public",
    "management-innovation": "Le management de l’innovation",
    "sous-utilisation-outils-gestion": "La sous-utilisation des outils de gestion : le cas d’un CRM",
    "portrait-alain-burlaud": "Portrait du Professeur Alain Burlaud",
    "business-history": "La business history",
    "managerialisme": "Le managérialisme",
}


def talks(*ids: str) -> list[tuple[str, str]]:
    return [(i, TITLES[i]) for i in ids]


SAMPLE: list[tuple[str, dict[str, str], tuple[str, ...], list[tuple[Any, ...]]]] = [
    ("speakers-of-institution", {}, ("institution", "name", "person", "talks"), [
        ("LIRSA-CNAM", "Madina Rival", "person/rival-madina", 2),
        ("LIRSA-CNAM", "Alain Burlaud", "person/burlaud-alain", 1),
        ("LIRSA-CNAM", "Bénédicte Grall", "person/grall-benedicte", 1),
        ("LIRSA-CNAM", "Gilles Garel", "person/garel-gilles", 1),
    ]),
    ("speakers-of-institution", {"institution": "IAE Nice"}, ("name", "talks"), [("Elisabeth Walliser", 1)]),
    ("speakers-of-institution", {"institution": "Le Cnam"}, ("name", "talks"), []),
    ("institutions-of-video", {}, ("video", "label", "name", "organization", "speakers"), [
        ("portrait-alain-burlaud", "LIRSA-CNAM", LIRSA, "organization/lirsa-cnam", "Alain Burlaud"),
        ("portrait-alain-burlaud", "IAE de Nice", IAE_NICE, "organization/iae-de-nice", "Elisabeth Walliser"),
    ]),
    ("institutions-of-video", {"video": "business-history"}, ("label", "speakers"),
     [("EMLV", "Adrien Jean-Guy Passant")]),
    ("institutions-of-theme", {}, ("theme", "organization", "name", "talks"),
     [("theme/innovation-publique", "organization/lirsa-cnam", LIRSA, 2)]),
    ("institutions-of-theme", {"theme": "theme/portraits"}, ("name", "talks"), [(IAE_NICE, 1), (LIRSA, 1)]),
    ("co-speakers", {}, ("other", "name", "talks"), []),
    ("co-speakers", {"person": "person/burlaud-alain"}, ("person", "other", "name", "talks"),
     [("person/burlaud-alain", "person/walliser-elisabeth", "Elisabeth Walliser", 1)]),
    ("related-talks", {}, ("video", "id", "title", "themes", "institutions"),
     [("video/innovation-publique", *talks("innovation-secteur-public")[0], 1, 1)]),
    ("related-talks", {"video": "video/managerialisme"}, ("id", "themes", "institutions", "shared", "place"),
     [("business-history", 1, 1, 2, 1)]),
    ("related-talks", {"video": "video/managerialisme", "after_shared": "2", "after_place": "1"}, ("id",), []),
    ("related-talks", {"video": "video/managerialisme", "after_shared": "3", "after_place": "9"}, ("id",),
     [("business-history",)]),
    ("related-talks", {"video": "video/management-innovation"}, ("id",), []),
    ("same-institution-talks", {}, ("organization", "label", "id", "title"), [
        ("organization/lirsa-cnam", LIRSA, *talk) for talk in talks(
            "sous-utilisation-outils-gestion", "management-innovation", "innovation-secteur-public",
            "portrait-alain-burlaud")]),
    ("same-institution-talks", {"video": "video/portrait-alain-burlaud"}, ("id", "title"), talks(
        "sous-utilisation-outils-gestion", "management-innovation", "innovation-secteur-public",
        "innovation-publique")),
    ("same-institution-talks", {"video": "video/innovation-publique", "limit": "2", "offset": "1"}, ("id",),
     [("management-innovation",), ("innovation-secteur-public",)]),
    ("same-theme-talks", {}, ("video", "theme", "label", "other", "id", "title"),
     [("video/innovation-publique", "theme/innovation-publique", "Innovation publique", "video/innovation-secteur-public",
       *talks("innovation-secteur-public")[0])]),
    ("same-theme-talks", {"video": "video/business-history"}, ("theme", "id", "title"),
     [("theme/histoire-et-critique-du-management", *talks("managerialisme")[0])]),
    ("same-theme-talks", {"video": "video/portrait-alain-burlaud"}, ("id",), []),
    ("talks-of-person", {}, ("person", "id", "title", "organization", "institution", "published"), [
        ("person/rival-madina", *talks("innovation-secteur-public")[0], "organization/lirsa-cnam", LIRSA, None),
        ("person/rival-madina", *talks("innovation-publique")[0], "organization/lirsa-cnam", LIRSA, None),
    ]),
    ("talks-of-person", {"person": "person/walliser-elisabeth"}, ("id", "institution"),
     [("portrait-alain-burlaud", IAE_NICE)]),
    ("themes-of-institution", {}, ("institution", "theme", "label", "talks"), [
        ("organization/cnam", "theme/innovation-publique", "Innovation publique", 2),
        ("organization/cnam", "theme/management-de-l-innovation", "Management de l’innovation", 1),
        ("organization/cnam", "theme/portraits", "Portraits", 1),
        ("organization/cnam", "theme/systemes-d-information", "Systèmes d’information", 1),
    ]),
    ("themes-of-institution", {"institution": "organization/universite-cote-d-azur"}, ("label", "talks"),
     [("Portraits", 1)]),
    ("themes-of-institution", {"institution": "organization/emlv"}, ("label", "talks"),
     [("Histoire et critique du management", 2)]),
    ("sub-organizations", {}, ("institution", "organization", "name", "parent", "talks"),
     [("organization/cnam", "organization/lirsa-cnam", LIRSA, "organization/cnam", 5)]),
    ("sub-organizations", {"institution": "organization/universite-cote-d-azur"}, ("name", "talks"),
     [(IAE_NICE, 1)]),
    ("sub-organizations", {"institution": "organization/lirsa-cnam"}, ("name",), []),
    ("top-institutions", {}, ("organization", "name", "talks"), [
        ("organization/cnam", CNAM, 5), ("organization/lirsa-cnam", LIRSA, 5),
        ("organization/emlv", EMLV, 2), ("organization/iae-de-nice", IAE_NICE, 1),
        ("organization/universite-cote-d-azur", UCA, 1),
    ]),
    ("keywords-of-theme", {}, ("keyword", "talks"), []),  # the seed page's "Mots clés" are empty
    ("talks-with-keyword", {}, ("id",), []),
    ("most-viewed-talks", {}, ("video", "id", "title", "views"),
     [("video/innovation-publique", *talks("innovation-publique")[0], 2024)]),
    ("talks-per-year", {}, ("year", "talks", "views"), []),  # the page dates no talk
    ("theme-per-year", {}, ("year", "talks"), []),
    ("talks-published-between", {}, ("id",), []),
    ("long-talks", {}, ("id",), []),
    ("long-talks", {"minutes": "5"}, ("minutes", "id", "title", "duration"), [
        (5, *talks("portrait-alain-burlaud")[0], "PT52M52S"),
        (5, *talks("sous-utilisation-outils-gestion")[0], "PT5M3S"),
    ]),
    ("long-talks", {"minutes": "0"}, ("id",), [
        ("portrait-alain-burlaud",), ("sous-utilisation-outils-gestion",), ("management-innovation",),
        ("innovation-secteur-public",),
    ]),
    ("top-speakers-of-theme", {}, ("theme", "person", "name", "talks"),
     [("theme/innovation-publique", "person/rival-madina", "Madina Rival", 2)]),
    ("top-speakers-of-theme", {"theme": "theme/histoire-et-critique-du-management"}, ("name", "talks"),
     [("Adrien Jean-Guy Passant", 1), ("Jean-Étienne Joullié", 1)]),
    ("affiliations-of-person", {}, ("person", "organization", "name", "talks", "first", "last"),
     [("person/rival-madina", "organization/lirsa-cnam", LIRSA, 2, None, None)]),
    ("affiliations-of-person", {"person": "person/burlaud-alain"}, ("name", "talks"), [(LIRSA, 1)]),
]


def test_every_question_has_a_sample_answer() -> None:
    assert {name for name, *_ in SAMPLE} == set(LIBRARY)


@pytest.mark.parametrize(("name", "given", "columns", "expected"), SAMPLE,
                         ids=[f"{s[0]}-{'-'.join(s[1].values()) or 'default'}" for s in SAMPLE])
def test_sample_answer(sample: Settings, name: str, given: dict[str, str], columns: tuple[str, ...],
                       expected: list[tuple[Any, ...]]) -> None:
    assert answer(sample, name, given, *columns) == expected


# --- (c) a generated catalogue, each answer also worked out in plain Python (plain_catalogue) ---

GENERATED_VIDEOS, GENERATED_SEED = 3000, 7


@dataclass
class Generated:
    settings: Settings
    catalogue: Catalogue


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    records = list(generate_records(GENERATED_VIDEOS, GENERATED_SEED))
    return publish(tmp_path_factory.mktemp("generated"), records, generate_institutions(GENERATED_SEED))


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    """A generated catalogue where most talks share a theme and an institution with the first one
    (some two themes): its related talks take several pages."""
    records = list(generate_records(400, GENERATED_SEED))
    first = records[0]
    first["themes"] = sorted({*first["themes"], "Prospective", "Innovation publique"})
    for n, record in enumerate(records[1:300], start=1):
        record["themes"] = sorted({*record["themes"], first["themes"][n % 3 == 0]})
        record["speakers"] = [*record["speakers"], first["speakers"][0]]
    return publish(tmp_path_factory.mktemp("crowded"), records, generate_institutions(GENERATED_SEED))


def publish(tmp: Path, records: list[dict[str, Any]], institutions: list[dict[str, str]]) -> Generated:
    data = tmp / "data"
    data.mkdir()
    (data / "videos.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                                       encoding="utf-8")
    with (data / "institutions.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(INSTITUTION_FIELDS), restval="", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(institutions)
    return Generated(build_store(tmp, [data]), read_catalogue(records, institutions))


def top(counts: Counter[Any], key: Callable[[Any], Any], limit: int | None = None) -> list[tuple[Any, int]]:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], key(item[0])))
    return ranked[:limit]


def themes_by_size(catalogue: Catalogue) -> list[str]:
    counts = Counter(theme for talk in catalogue.talks for theme in talk.themes)
    return [theme for theme, _ in top(counts, str)]


def ranked_institutions(catalogue: Catalogue, counts: Counter[str], limit: int) -> list[tuple[str, str, int]]:
    """Several labs share a full name: they are told apart, and ordered, by their IRIs."""
    rows = [(f"organization/{slug(label)}", catalogue.names[label], n) for label, n in counts.items()]
    return sorted(rows, key=lambda row: (-row[2], row[1], row[0]))[:limit]


def theme_params(catalogue: Catalogue) -> list[str]:
    return ["Innovation publique", *themes_by_size(catalogue)[:2]]


def test_generated_institutions_of_theme(generated: Generated) -> None:
    catalogue = generated.catalogue
    for theme in theme_params(catalogue):
        counts = Counter(i for t in catalogue.talks if theme in t.themes for i in t.institutions)
        got = answer(generated.settings, "institutions-of-theme", {"theme": f"theme/{slug(theme)}"},
                     "organization", "name", "talks")
        assert got == ranked_institutions(catalogue, counts, 20) and got


def test_generated_top_speakers_of_theme(generated: Generated) -> None:
    catalogue = generated.catalogue
    for theme in theme_params(catalogue):
        counts = Counter(name for t in catalogue.talks if theme in t.themes for name in t.people)
        got = answer(generated.settings, "top-speakers-of-theme", {"theme": f"theme/{slug(theme)}"}, "name", "talks")
        assert got == top(counts, str, 20) and got


def test_generated_keywords_of_theme(generated: Generated) -> None:
    catalogue = generated.catalogue
    for theme in theme_params(catalogue):
        counts = Counter(k for t in catalogue.talks if theme in t.themes for k in t.keywords)
        got = answer(generated.settings, "keywords-of-theme", {"theme": f"theme/{slug(theme)}"}, "keyword", "talks")
        assert got == top(counts, str, 20) and got


def test_generated_theme_per_year(generated: Generated) -> None:
    catalogue = generated.catalogue
    for theme in theme_params(catalogue):
        counts = Counter(int(t.published[:4]) for t in catalogue.talks if theme in t.themes and t.published)
        got = answer(generated.settings, "theme-per-year", {"theme": f"theme/{slug(theme)}"}, "year", "talks")
        assert got == sorted(counts.items()) and got


def busiest_people(catalogue: Catalogue, count: int) -> list[tuple[str, str]]:
    """(name, IRI) of the people with the most co-speakers, whose names slug plainly."""
    partners = Counter(name for t in catalogue.talks if len(t.speakers) > 1 for name in t.people)
    picked = [name for name, _ in top(partners, str) if name.isascii()][:count]
    return [(name, "person/" + slug(family_first(name))) for name in picked]


def family_first(name: str) -> str:
    """The slug's order, family then given: "Jean de La Fontaine" -> "de La Fontaine Jean"."""
    words = name.split()
    start = next(i for i, w in enumerate(words) if i > 0 and (w[:1].isupper() or w.lower() in LEADING_PARTICLES)
                 and all(x[:1].isupper() or x.lower() in LEADING_PARTICLES for x in words[i:]))
    return " ".join(words[start:] + words[:start])


def test_generated_co_speakers(generated: Generated) -> None:
    catalogue = generated.catalogue
    for name, iri in busiest_people(catalogue, 3):
        counts = Counter(other for t in catalogue.talks if name in t.people for other in t.people - {name})
        expected = top(counts, str)
        assert expected
        assert_pages(paged(generated.settings, "co-speakers", {"person": iri}, "name", "talks"), expected, size=4)


def test_generated_talks_of_person(generated: Generated) -> None:
    catalogue = generated.catalogue
    for name, iri in busiest_people(catalogue, 2):
        rows = sorted(((t.published or "", t.title, t.id), label)
                      for t in catalogue.talks for speaker, label in t.speakers if speaker == name)
        expected = [(i, title, catalogue.names[label] if label else None, day[:10] or None)
                    for (day, title, i), label in rows]
        page = paged(generated.settings, "talks-of-person", {"person": iri}, "id", "title", "institution", "published")
        assert expected
        assert_pages(lambda page=page, **paging: [(i, title, inst, day and day[:10]) for i, title, inst, day in page(**paging)],
                     expected, size=6)


def related(catalogue: Catalogue, video: Talk, other: Talk) -> tuple[int, int]:
    return len(set(video.themes) & set(other.themes)), len(video.institutions & other.institutions)


def related_talks(catalogue: Catalogue, video: Talk) -> list[tuple[str, str, int, int, int, int]]:
    """(id, title, themes, institutions, shared, place) of the talks related to `video`, the most
    shared first, then by title (place: by title, then id, in the catalogue)."""
    by_title = sorted(catalogue.talks, key=lambda t: (t.title, t.id))
    place = {t.id: n for n, t in enumerate(by_title, start=1)}
    shared = [(o, related(catalogue, video, o)) for o in catalogue.talks if o.id != video.id]
    return sorted(((o.id, o.title, t, i, t + i, place[o.id]) for o, (t, i) in shared if t and i),
                  key=lambda row: (-row[4], row[5]))


def walk_related_talks(settings: Settings, video: Talk) -> tuple[list[tuple[Any, ...]], int]:
    """Every row, page after page, each asked with the cursor of the page before's last row; and
    the number of pages."""
    walked: list[tuple[Any, ...]] = []
    cursor: dict[str, str] = {}
    pages = 0
    while rows := answer(settings, "related-talks", {"video": f"video/{video.id}", **cursor},
                         "id", "title", "themes", "institutions", "shared", "place"):
        assert len(rows) <= 100
        walked += rows
        pages += 1
        cursor = {"after_shared": str(rows[-1][4]), "after_place": str(rows[-1][5])}
    return walked, pages


def test_generated_related_talks(generated: Generated) -> None:
    for video in generated.catalogue.talks[100:3000:700]:
        expected = related_talks(generated.catalogue, video)
        assert walk_related_talks(generated.settings, video) == (expected, 1) and expected


def test_related_talks_come_a_page_at_a_time(crowded: Generated) -> None:
    first = crowded.catalogue.talks[0]
    expected = related_talks(crowded.catalogue, first)
    assert len(expected) > 250 and len({row[4] for row in expected}) > 1
    pages = -(-len(expected) // 100)  # full pages of 100, then the rest
    assert walk_related_talks(crowded.settings, first) == (expected, pages)


def shared_groups(catalogue: Catalogue, video: Talk, name: str) -> list[tuple[str, str, str, str]]:
    """The other talks sharing a theme (an institution) with a talk, group by group: the groups by
    label then IRI, each group's talks by title then id; a talk sharing two groups under each."""
    if name == "same-theme-talks":
        groups = {f"theme/{slug(theme)}": (theme, {o.id for o in catalogue.talks if theme in o.themes})
                  for theme in video.themes}
    else:
        groups = {f"organization/{slug(label)}": (catalogue.names[label], {o.id for o in catalogue.talks if label in o.institutions})
                  for label in video.institutions}
    by_title = sorted(catalogue.talks, key=lambda o: (o.title, o.id))
    return [(group, label, o.id, o.title) for group, (label, members) in sorted(groups.items(), key=lambda g: (g[1][0], g[0]))
            for o in by_title if o.id in members and o.id != video.id]


def most_groups(catalogue: Catalogue, name: str) -> list[Talk]:
    """A talk with one group, the talk with the most groups (the most rows among them), and one
    with two groups or more."""
    def groups(t: Talk) -> int:
        return len(set(t.themes)) if name == "same-theme-talks" else len(t.institutions)
    one = next(t for t in catalogue.talks if groups(t) == 1)
    most = max(catalogue.talks, key=lambda t: (groups(t), len(shared_groups(catalogue, t, name)) if groups(t) >= 3 else 0))
    two = next(t for t in catalogue.talks[1000:] if groups(t) == 2)
    return [one, most, two]


@pytest.mark.parametrize(("name", "group"), [("same-theme-talks", "theme"), ("same-institution-talks", "organization")])
def test_generated_same_institution_and_same_theme_talks(generated: Generated, name: str, group: str) -> None:
    catalogue = generated.catalogue
    shared_twice = 0
    for video in most_groups(catalogue, name):
        expected = shared_groups(catalogue, video, name)
        page = paged(generated.settings, name, {"video": f"video/{video.id}"}, group, "label", "id", "title")
        assert expected
        assert_pages(page, expected, size=90)
        assert page(limit=1) == expected[:1]
        assert page(limit=1000) == expected[:1000]
        assert page(limit=10, offset=len(expected)) == []
        assert page(limit=10, offset=-5) == expected[:5]  # places before the first hold no talk
        shared_twice += len(expected) - len({i for _, _, i, _ in expected})
    assert shared_twice  # some talk shares two groups with one of these talks and is listed under each


def test_a_talk_without_theme_or_institution_shares_nothing(tmp_path: Path, settings: Settings) -> None:
    """Its questions answer nothing, as do those of a talk whose only theme and institution it
    alone has (portrait-alain-burlaud's theme, Portraits) and of an unknown talk."""
    alone = {"id": "alone", "title": "Seule", "speakers": ["RIVAL Madina"]}
    (tmp_path / "alone.jsonl").write_text(json.dumps(alone) + "\n", encoding="utf-8")
    assert not build([DATA, tmp_path / "alone.jsonl"], settings).rejections
    for name in ("same-theme-talks", "same-institution-talks"):
        assert answer(settings, name, {"video": "video/alone"}, "id") == []
        assert answer(settings, name, {"video": "video/unknown"}, "id") == []
    assert answer(settings, "same-theme-talks", {"video": "video/portrait-alain-burlaud"}, "id") == []


def test_generated_speakers_of_institution(generated: Generated) -> None:
    catalogue = generated.catalogue
    busiest = Counter(label for t in catalogue.talks for label in t.institutions)
    for label, _ in top(busiest, str, 2):
        for written in sorted(catalogue.variants[label]):
            counts = Counter(name for t in catalogue.talks for name, inst in t.speakers if inst == label)
            expected = top(counts, str)
            assert expected
            assert_pages(paged(generated.settings, "speakers-of-institution", {"institution": written}, "name", "talks"),
                         expected, size=15)


def test_generated_themes_of_institution_with_sub_labs(generated: Generated) -> None:
    catalogue = generated.catalogue
    parents = Counter(catalogue.parents.values())
    for label in [label for label, _ in top(parents, str, 2)] + ["LIRSA-CNAM"]:
        below = catalogue.below(label)
        counts = Counter(theme for t in catalogue.talks if t.institutions & below for theme in t.themes)
        got = answer(generated.settings, "themes-of-institution", {"institution": f"organization/{slug(label)}"},
                     "label", "talks")
        assert got == top(counts, str) and got


def test_generated_top_institutions(generated: Generated) -> None:
    catalogue = generated.catalogue
    counts = Counter(above for t in catalogue.talks
                     for above in {a for label in t.institutions for a in catalogue.above(label)})
    got = answer(generated.settings, "top-institutions", {}, "organization", "name", "talks")
    assert got == ranked_institutions(catalogue, counts, 20)


def test_generated_most_viewed_talks(generated: Generated) -> None:
    rows = [(t.id, t.title, t.views) for t in generated.catalogue.talks if t.views is not None]
    expected = sorted(rows, key=lambda row: (-row[2], row[1], row[0]))[:20]
    assert answer(generated.settings, "most-viewed-talks", {}, "id", "title", "views") == expected


def test_generated_talks_per_year(generated: Generated) -> None:
    per_year: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for t in generated.catalogue.talks:
        if t.published:
            per_year[int(t.published[:4])][0] += 1
            per_year[int(t.published[:4])][1] += t.views or 0
    expected = [(year, talks, views) for year, (talks, views) in sorted(per_year.items())]
    assert answer(generated.settings, "talks-per-year", {}, "year", "talks", "views") == expected


@pytest.mark.parametrize(("start", "end"), [("2020-01-01", "2020-12-31"), ("2024-03-01", "2024-03-31"),
                                            ("2015-06-10", "2015-06-10"), ("1900-01-01", "2100-12-31"),
                                            ("2020-12-31", "2020-01-01"), ("2100-01-01", "2100-12-31")])
def test_generated_talks_published_between(generated: Generated, start: str, end: str) -> None:
    rows = sorted((t.published, t.title, t.id) for t in generated.catalogue.talks
                  if t.published and start <= t.published[:10] <= end)
    page = paged(generated.settings, "talks-published-between", {"start": start, "end": end}, "published", "title", "id")
    if start == "1900-01-01":  # every dated talk: many pages
        assert len(rows) > 1000
    assert_pages(page, rows, size=40 if len(rows) > 400 else 6)
    assert page(limit=10, offset=-5) == rows[:5]  # places before the first are not read: no talk of an earlier day


@pytest.mark.parametrize("minutes", ["0", "60", "90", "115"])
def test_generated_long_talks(generated: Generated, minutes: str) -> None:
    rows = [(t.id, t.seconds) for t in generated.catalogue.talks if t.seconds is not None and t.seconds >= int(minutes) * 60]
    titles = {t.id: t.title for t in generated.catalogue.talks}
    expected = [i for i, _ in sorted(rows, key=lambda row: (-row[1], titles[row[0]], row[0]))]
    assert expected

    def page(**paging: int) -> list[str]:
        given = {"minutes": minutes, **{name: str(value) for name, value in paging.items()}}
        return [i for (i,) in answer(generated.settings, "long-talks", given, "id")]

    assert page() == expected[:100]  # the first page, by default
    middle = len(expected) // 2
    assert page(limit=7, offset=middle) == expected[middle:middle + 7]
    assert page(limit=25, offset=len(expected) - 10) == expected[-10:]
    assert page(limit=1000, offset=99) == expected[99:1099]  # the longest page: eleven hundreds of ranks when there are
    assert len(expected) > 1100 or minutes != "0"
    pages, offset = [], 0
    while rows_of_page := page(limit=25, offset=offset):
        pages += rows_of_page
        offset += 25
    assert offset > 25 and pages == expected  # the pages, one after the other, are the whole answer


@pytest.mark.parametrize("index", [0, 1, 5])
def test_generated_talks_with_keyword(generated: Generated, index: int) -> None:
    catalogue = generated.catalogue
    keyword = top(Counter(k for t in catalogue.talks for k in t.keywords), str)[index][0]
    expected = sorted((t.title, t.id) for t in catalogue.talks if keyword.lower() in {k.lower() for k in t.keywords})
    assert expected
    assert_pages(paged(generated.settings, "talks-with-keyword", {"keyword": keyword.upper()}, "title", "id"),
                 expected, size=30)

def test_generated_affiliations_of_person(generated: Generated) -> None:
    catalogue = generated.catalogue
    for name, iri in busiest_people(catalogue, 3):
        dates: dict[str, list[str | None]] = defaultdict(list)
        for t in catalogue.talks:
            for speaker, label in t.speakers:
                if speaker == name and label is not None:
                    dates[label].append(t.published)
        rows = []
        for label, published in dates.items():
            known = sorted(p for p in published if p)
            first, last = (known[0], known[-1]) if known else (None, None)
            rows.append((f"organization/{slug(label)}", catalogue.names[label], len(published), first, last))
        expected = sorted(rows, key=lambda row: (row[3] or "", row[1], row[0]))
        got = answer(generated.settings, "affiliations-of-person", {"person": iri},
                     "organization", "name", "talks", "first", "last")
        assert got == expected and got


def test_generated_sub_organizations(generated: Generated) -> None:
    catalogue = generated.catalogue
    talks = Counter(label for t in catalogue.talks for label in t.institutions)
    for label, _ in top(Counter(catalogue.parents.values()), str, 3):
        rows = [(f"organization/{slug(o)}", catalogue.names[o], f"organization/{slug(catalogue.parents[o])}", talks[o])
                for o in (catalogue.below(label) - {label}) & catalogue.published_institutions()]
        got = answer(generated.settings, "sub-organizations", {"institution": f"organization/{slug(label)}"},
                     "organization", "name", "parent", "talks")
        assert got == sorted(rows, key=lambda row: (row[1], row[0])) and got



# --- (d) binding parameters ------------------------------------------------------------------

XSD = "http://www.w3.org/2001/XMLSchema#"
FIRST_PAGE = {"limit": ox.Literal("100", datatype=ox.NamedNode(XSD + "integer")),
              "offset": ox.Literal("0", datatype=ox.NamedNode(XSD + "integer"))}


@pytest.mark.parametrize(("name", "given", "expected"), [
    ("co-speakers", {}, {"person": ox.NamedNode(BASE + "person/rival-madina"), **FIRST_PAGE}),
    ("co-speakers", {"person": "person/burlaud-alain"}, {"person": ox.NamedNode(BASE + "person/burlaud-alain"), **FIRST_PAGE}),
    ("co-speakers", {"person": "/person/x"}, {"person": ox.NamedNode(BASE + "person/x"), **FIRST_PAGE}),
    ("co-speakers", {"person": "https://other.example/p#me"}, {"person": ox.NamedNode("https://other.example/p#me"), **FIRST_PAGE}),
    ("long-talks", {}, {"minutes": ox.Literal("60", datatype=ox.NamedNode(XSD + "integer")), **FIRST_PAGE}),
    ("long-talks", {"minutes": "+007"}, {"minutes": ox.Literal("7", datatype=ox.NamedNode(XSD + "integer")), **FIRST_PAGE}),
    ("long-talks", {"minutes": "-3"}, {"minutes": ox.Literal("-3", datatype=ox.NamedNode(XSD + "integer")), **FIRST_PAGE}),
    ("long-talks", {"limit": "20", "offset": "040"}, {
        "minutes": ox.Literal("60", datatype=ox.NamedNode(XSD + "integer")),
        "limit": ox.Literal("20", datatype=ox.NamedNode(XSD + "integer")),
        "offset": ox.Literal("40", datatype=ox.NamedNode(XSD + "integer"))}),
    ("talks-published-between", {"end": "2024-02-29"}, {
        "start": ox.Literal("2020-01-01", datatype=ox.NamedNode(XSD + "date")),
        "end": ox.Literal("2024-02-29", datatype=ox.NamedNode(XSD + "date")), **FIRST_PAGE}),
    ("talks-with-keyword", {"keyword": "x\" } ; DROP ALL #"}, {"keyword": ox.Literal("x\" } ; DROP ALL #"), **FIRST_PAGE}),
    ("most-viewed-talks", {}, {}),
])
def test_bind_converts_by_type_with_defaults(name: str, given: dict[str, str], expected: dict[str, Any]) -> None:
    assert bind(LIBRARY[name], given, BASE) == {ox.Variable(k): v for k, v in expected.items()}


@pytest.mark.parametrize(("name", "given", "problem"), [
    ("co-speakers", {"someone": "x"}, "has no parameter someone (its parameters: person, limit, offset)"),
    ("most-viewed-talks", {"limit": "5"}, "has no parameter limit (its parameters: none)"),
    ("long-talks", {"minutes": "ten"}, "minutes must be an integer"),
    ("long-talks", {"minutes": "1.5"}, "minutes must be an integer"),
    ("long-talks", {"minutes": ""}, "minutes must be an integer"),
    ("long-talks", {"minutes": "5) } ; DROP ALL #"}, "minutes must be an integer"),
    ("talks-published-between", {"start": "2023-02-30"}, "start must be a real date"),
    ("talks-published-between", {"end": "2023-2-3"}, "end must be a real date"),
    ("talks-published-between", {"end": "2023-02-03T10:00:00"}, "end must be a real date"),
    ("co-speakers", {"person": "person/rival madina"}, "person must be an IRI without spaces"),
    ("co-speakers", {"person": "x> } ; DROP ALL #"}, "person must be an IRI without spaces"),
    ("co-speakers", {"person": 'x" } ; DROP ALL #'}, "person must be an IRI without spaces"),
    ("co-speakers", {"person": ""}, "person must be an IRI"),
    ("co-speakers", {"person": "javascript:alert(1)"}, "person must be an http(s) IRI"),
    ("co-speakers", {"person": "ftp://example.org/x"}, "person must be an http(s) IRI"),
])
def test_bind_refuses_bad_or_unknown_parameters(name: str, given: dict[str, str], problem: str) -> None:
    with pytest.raises(UsageError, match=re.escape(problem)) as caught:
        bind(LIBRARY[name], given, BASE)
    assert caught.value.http_status == 400 and caught.value.exit_code == 2


def test_unknown_question_is_a_usage_error(sample: Settings) -> None:
    with pytest.raises(UsageError, match="no question named 'nope'"):
        run_named(sample, "nope", {})


@pytest.mark.parametrize(("name", "given"), [
    ("talks-with-keyword", {"keyword": 'x" } ; DROP ALL #'}),
    ("talks-with-keyword", {"keyword": "x' } UNION { ?video ?p ?title } #"}),
    ("speakers-of-institution", {"institution": 'LIRSA-CNAM" } UNION { ?person ?p ?name } #'}),
    ("institutions-of-video", {"video": "portrait-alain-burlaud\" } ; DELETE WHERE { ?s ?p ?o } #"}),
])
def test_an_injection_attempt_is_just_a_value(sample: Settings, name: str, given: dict[str, str]) -> None:
    results = run_named(sample, name, given)
    assert isinstance(results, ox.QuerySolutions)
    assert list(results) == []
    assert answer(sample, "most-viewed-talks", {}, "id") == [("innovation-publique",)]


def test_the_runner_loads_the_library_itself(sample: Settings) -> None:
    results = run_named(sample, "co-speakers", {"person": f"{BASE}person/walliser-elisabeth"})
    assert isinstance(results, ox.QuerySolutions)
    assert [plain(row["name"]) for row in results] == ["Alain Burlaud"]


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_each_example_runs(sample: Settings, name: str) -> None:
    query: NamedQuery = LIBRARY[name]
    assert isinstance(run_named(sample, name, query.example_values, LIBRARY), ox.QuerySolutions)


@pytest.mark.parametrize("name", ["speakers-of-institution", "co-speakers", "long-talks", "talks-published-between"])
def test_a_library_file_run_as_is_answers_its_default_question(sample: Settings, name: str) -> None:
    as_is = run_query(sample, (QUERIES / f"{name}.rq").read_text(encoding="utf-8"))
    by_name = run_named(sample, name, {})
    assert [list(row) for row in as_is] == [list(row) for row in by_name]


def test_an_ad_hoc_query_with_comments_gets_no_substitution(sample: Settings) -> None:
    results = run_query(sample, "# how many talks?\nSELECT (COUNT(*) AS ?n) WHERE { ?v a <http://schema.org/VideoObject> }")
    assert [plain(row["n"]) for row in results] == [7]


# --- (e) the statistics the build publishes, against the same plain-Python catalogue ------------

PUB = BASE + "ontology#"


def statistic(settings: Settings, sparql: str) -> dict[Any, Any]:
    """{first column: second column} of a query over the published version."""
    results = run_query(settings, f"PREFIX pub: <{PUB}>\nPREFIX schema: <http://schema.org/>\n{sparql}")
    pairs = [tuple(plain(term) for term in row) for row in results]
    assert len({key for key, _ in pairs}) == len(pairs), "one value each"
    return dict(pairs)


def test_generated_talk_counts_are_plain_counts(generated: Generated) -> None:
    catalogue, settings = generated.catalogue, generated.settings
    themes = Counter(f"theme/{slug(theme)}" for t in catalogue.talks for theme in t.themes)
    organizations = Counter(f"organization/{slug(label)}" for t in catalogue.talks for label in t.institutions)
    within = Counter(f"organization/{slug(above)}" for t in catalogue.talks
                     for above in {a for label in t.institutions for a in catalogue.above(label)})
    people = Counter(name for t in catalogue.talks for name in t.people)
    assert statistic(settings, "SELECT ?t ?n { ?t a <http://www.w3.org/2004/02/skos/core#Concept> ; pub:talkCount ?n }") == themes
    assert statistic(settings, "SELECT ?o ?n { ?o a schema:Organization ; pub:talkCount ?n }") == organizations
    assert statistic(settings, "SELECT ?o ?n { ?o pub:talkCountWithSubOrganizations ?n }") == within
    assert statistic(settings, "SELECT ?name ?n { ?p a schema:Person ; schema:name ?name ; pub:talkCount ?n }") == people


def test_generated_tallies_are_plain_counts(generated: Generated) -> None:
    catalogue, settings = generated.catalogue, generated.settings
    expected: Counter[tuple[str, str]] = Counter()
    for t in catalogue.talks:
        for theme in t.themes:
            expected.update((f"theme/{slug(theme)}", f"organization/{slug(label)}") for label in t.institutions)
            expected.update((f"theme/{slug(theme)}", keyword) for keyword in t.keywords)
            expected.update([(f"theme/{slug(theme)}", t.published[:4])] if t.published else [])
    got = statistic(settings, """SELECT ?pair ?n {
        ?tally a pub:Tally ; pub:theme ?theme ; pub:talkCount ?n .
        { ?tally pub:organization ?x } UNION { ?tally pub:keyword ?x } UNION { ?tally pub:year ?x }
        BIND(CONCAT(STR(?theme), " ", STR(?x)) AS ?pair) }""")
    assert got == {f"{BASE}{theme} {BASE if x.startswith('organization/') else ''}{x}": n
                   for (theme, x), n in expected.items()}


def test_generated_per_video_statistics_are_plain_values(generated: Generated) -> None:
    catalogue, settings = generated.catalogue, generated.settings
    by_title = sorted(catalogue.talks, key=lambda t: (t.title, t.id))
    by_views = sorted((t for t in catalogue.talks if t.views is not None), key=lambda t: (-(t.views or 0), t.title, t.id))
    per_video = "SELECT ?id ?x { ?v schema:identifier ?id ; pub:%s ?x }"
    assert statistic(settings, per_video % "titleOrder") == {t.id: n for n, t in enumerate(by_title, start=1)}
    assert statistic(settings, per_video % "viewRank") == {t.id: n for n, t in enumerate(by_views, start=1)}
    by_length = sorted((t for t in catalogue.talks if t.seconds is not None), key=lambda t: (-(t.seconds or 0), t.title, t.id))
    assert statistic(settings, per_video % "durationRank") == {t.id: n for n, t in enumerate(by_length, start=1)}
    hundreds = "SELECT ?id ?k { ?h pub:hundred ?k ; pub:rankedVideo ?v . ?v schema:identifier ?id }"
    assert statistic(settings, hundreds) == {t.id: (n - 1) // 100 for n, t in enumerate(by_length, start=1)}


def test_generated_person_tallies_are_each_themes_top_twenty(generated: Generated) -> None:
    catalogue, settings = generated.catalogue, generated.settings
    expected = {}
    for theme in {theme for t in catalogue.talks for theme in t.themes}:
        counts = Counter(name for t in catalogue.talks if theme in t.themes for name in t.people)
        expected.update({f"theme/{slug(theme)} {name}": n for name, n in top(counts, str, 20)})
    got = statistic(settings, """SELECT ?pair ?n {
        ?tally a pub:PersonTally ; pub:speakerTheme ?theme ; pub:person ?person ; pub:talkCount ?n .
        ?person schema:name ?name BIND(CONCAT(STR(?theme), " ", ?name) AS ?pair) }""")
    assert got == {f"{BASE}{pair}": n for pair, n in expected.items()}


def test_generated_person_tallies_count_every_institution_and_person(generated: Generated) -> None:
    expected = Counter(pair for t in generated.catalogue.talks
                       for pair in {(f"organization/{slug(label)}", name) for name, label in t.speakers if label})
    got = statistic(generated.settings, """SELECT ?pair ?n {
        ?tally a pub:PersonTally ; pub:speakerOrganization ?org ; pub:person ?person ; pub:talkCount ?n .
        ?person schema:name ?name BIND(CONCAT(STR(?org), " ", ?name) AS ?pair) }""")
    assert got == {f"{BASE}{org} {name}": n for (org, name), n in expected.items()}


def test_generated_keyword_keys_hold_every_form(generated: Generated) -> None:
    forms: dict[str, set[str]] = defaultdict(set)
    for t in generated.catalogue.talks:
        for keyword in t.keywords:
            forms[keyword.lower()].add(keyword)
    results = run_query(generated.settings, f"SELECT ?key ?form {{ ?k <{PUB}keywordKey> ?key ; <{PUB}keywordForm> ?form }}")
    got: dict[str, set[str]] = defaultdict(set)
    for row in results:
        got[row["key"].value].add(row["form"].value)
    assert got == forms
