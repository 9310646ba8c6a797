"""Reconciliation quality on a generated catalogue: 200 speakers written the ways people write
them (accents dropped, any case, `FAMILY Given`, `Given Family`, `Family, G.`), each with the
institution as written, its full name, a variant, its parent or nothing, sent as one batch to
a real server. Top-1 precision must reach 95 % and no `match: true` may be wrong."""

from __future__ import annotations

import csv
import json
import random
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from publisher.demo import generate_records, reading_family, write_demo_data
from publisher.names import parse_name
from publisher.reconciliation import MATCH_GAP
from publisher.terms import make_slug
from tests.conftest import LiveServer, serve
from tests.test_reconcile import answer, send, validate

VIDEOS, SEED = 4000, 11


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    directory = tmp_path_factory.mktemp("reconcile-demo")
    write_demo_data(directory / "demo", VIDEOS, seed=SEED)
    yield from serve(directory, [directory / "demo"])


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _initials(given: str) -> str:
    return " ".join("-".join(part[0] + "." for part in word.split("-")) for word in given.split())


NAME_FORMS = {
    "FAMILY Given": lambda f, g: f"{f} {g}",
    "Given Family": lambda f, g: f"{g} {reading_family(f)}",
    "lower case": lambda f, g: f"{g} {f}".lower(),
    "no accents": lambda f, g: _strip_accents(f"{f} {g}"),
    "Family, G.": lambda f, g: f"{reading_family(f)}, {_initials(g)}",
    "UPPER CASE": lambda f, g: f"{f} {g}".upper(),
}


def _institution_forms(label: str, rows: dict[str, dict[str, str]]) -> dict[str, str | None]:
    row = rows[label]
    alts = [a for a in row.get("alt_labels", "").split(";") if a]
    return {
        "label": label, "full name": row["name"], "variant": alts[0] if alts else label.lower(),
        "no accents, lower case": _strip_accents(label).lower(), "parent": row.get("parent") or label, "none": None,
    }


def _cases(directory: Path) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(expected id, name form, institution form, query) for 200 speakers drawn at random."""
    with (directory / "institutions.csv").open(encoding="utf-8") as handle:
        rows = {row["label"]: row for row in csv.DictReader(handle)}
    by_alt = {alt: label for label, row in rows.items() for alt in row.get("alt_labels", "").split(";") if alt}
    speakers: dict[str, tuple[str, str, str]] = {}
    for record in generate_records(VIDEOS, seed=SEED):
        for s in record["speakers"]:
            if isinstance(s["name"], str) and s.get("institution"):
                name, _ = parse_name(s["name"])
                speakers.setdefault(make_slug(f"{name.family} {name.given}"), (name.family, name.given, s["institution"]))
    rng = random.Random(5)
    cases = []
    for n, slug in enumerate(rng.sample(sorted(speakers), 200)):
        family, given, label = speakers[slug]
        name_form = list(NAME_FORMS)[n % len(NAME_FORMS)]
        forms = _institution_forms(by_alt.get(label, label), rows)
        institution_form = rng.choice(list(forms))
        query: dict[str, Any] = {"query": NAME_FORMS[name_form](family, given), "type": "Person", "limit": 3}
        if forms[institution_form] is not None:
            query["properties"] = [{"pid": "affiliation", "v": forms[institution_form]}]
        cases.append((f"person/{slug}", name_form, institution_form, query))
    return cases


def measure(server: LiveServer, directory: Path) -> dict[str, Any]:
    cases = _cases(directory)
    batch = {f"q{n}": query for n, (_, _, _, query) in enumerate(cases)}
    validate(batch, "0.2", "reconciliation-query-batch")
    results = answer(send(server, "/reconcile", urlencode({"queries": json.dumps(batch)}), "application/x-www-form-urlencoded"))
    validate(results, "0.2", "reconciliation-result-batch")
    figures: Counter[str] = Counter()
    wrong = []
    for n, (expected, name_form, institution_form, query) in enumerate(cases):
        found = results[f"q{n}"]["result"]
        top = found[0] if found else None
        correct = top is not None and top["id"] == expected
        figures["correct"] += correct
        figures["matched"] += correct and top is not None and top["match"]
        figures["false matches"] += sum(c["match"] and c["id"] != expected for c in found)
        figures["ambiguous"] += len(found) > 1 and found[0]["score"] - found[1]["score"] < MATCH_GAP
        if not correct:
            wrong.append((query["query"], query.get("properties"), expected, top and top["id"]))
            figures[f"wrong: {name_form} / {institution_form}"] += 1
    return {"cases": len(cases), "precision": figures["correct"] / len(cases), "match recall": figures["matched"] / len(cases),
            "false matches": figures["false matches"], "ambiguous": figures["ambiguous"], "figures": figures, "wrong": wrong}


def test_two_hundred_name_variants(demo_server: LiveServer) -> None:
    directory = Path(demo_server.settings.store).parent / "demo"
    report = measure(demo_server, directory)
    print(json.dumps({k: v for k, v in report.items() if k != "figures"}, ensure_ascii=False, indent=1))
    assert report["cases"] == 200
    assert report["precision"] >= 0.95, report["wrong"]
    assert report["false matches"] == 0
    assert report["match recall"] >= 0.5  # a service that never said `match` would pass the line above


def test_expected_ids_are_published_people(demo_server: LiveServer) -> None:
    """The test's answers are not made up: each expected id is a person the store publishes."""
    directory = Path(demo_server.settings.store).parent / "demo"
    ids = [expected for expected, _, _, _ in _cases(directory)]
    rows = answer(demo_server.get("/reconcile?" + urlencode({"extend": json.dumps({"ids": ids, "properties": [{"id": "talks"}]})})))
    assert all(rows["rows"][i]["talks"][0]["int"] >= 1 for i in ids)


def test_authority_identifiers_are_extended_and_matched(demo_server: LiveServer) -> None:
    directory = Path(demo_server.settings.store).parent / "demo"
    with (directory / "people.csv").open(encoding="utf-8") as handle:
        person = next(row for row in csv.DictReader(handle) if row["orcid"] and row["idref"])
    name, _ = parse_name(person["name"])
    expected = f"person/{make_slug(f'{name.family} {name.given}')}"
    query = {"ids": [expected], "properties": [{"id": "orcid"}, {"id": "idref"}, {"id": "viaf"}]}
    row = answer(demo_server.get("/reconcile?" + urlencode({"extend": json.dumps(query)})))["rows"][expected]
    assert row["orcid"] == [{"str": person["orcid"]}] and row["idref"] == [{"str": person["idref"]}]
    assert row["viaf"] == ([{"str": person["viaf"]}] if person["viaf"] else [])
    by_id = {
        "short": {"query": "", "type": "Person", "properties": [{"pid": "orcid", "v": person["orcid"]}]},
        "iri": {"query": "", "type": "Person", "properties": [{"pid": "idref", "v": f"https://www.idref.fr/{person['idref']}"}]},
        "typo": {"query": "", "type": "Person", "properties": [{"pid": "orcid", "v": person["orcid"][:-1] + "0"}]},
    }
    if person["orcid"].endswith("0"):
        by_id["typo"]["properties"][0]["v"] = person["orcid"][:-1] + "1"
    found = answer(demo_server.get("/reconcile?" + urlencode({"queries": json.dumps(by_id)})))
    for how in ("short", "iri"):
        assert (found[how]["result"][0]["id"], found[how]["result"][0]["match"]) == (expected, True)
    assert found["typo"]["result"] == []  # a wrong check digit matches nobody, and fails no batch
