"""The demo catalogue generator (`publisher/demo.py`) and the seed-page sample in `data/`.

Records are checked against `spec/records.md` by a validator written here, independently of
`publisher/records.py`; identifiers by check-digit code written here too, itself checked on
identifiers the authorities publish as examples.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from publisher.demo import (
    generate_institutions,
    generate_people,
    generate_records,
    write_demo_data,
)
from publisher.errors import UsageError
from publisher.records import read_inputs

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
VIDEOS = 4000

FIELDS = {"id", "title", "description", "language", "duration", "views", "published", "url",
          "embed_url", "content_url", "thumbnail", "license", "keywords", "themes", "speakers",
          "deleted"}
ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,127}")
CLOCK = re.compile(r"(?:(\d+):)?([0-5]\d):([0-5]\d)")
ISO_DURATION = re.compile(r"PT(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+S)?")
VIEWS_TEXT = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})*(?: vues)?|\d+(?: vues)?")
IRI = re.compile(r"https?://[^\s<>\"{}|\\^`]+")
FAMILY_WORD = re.compile(r"[^\W\d_a-z]+(?:['-][^\W\d_a-z]+)*")  # no lower-case letter
AUTHORITIES = {"orcid", "idref", "isni", "viaf", "wikidata"}


# --- an independent reading of records.md ----------------------------------------------

def _name_problems(name: Any) -> list[str]:
    if isinstance(name, dict):
        return [] if name.get("family") and "given" in name else [f"bad structured name {name}"]
    words = name.split(" ") if isinstance(name, str) else []
    family = [w for w in words if w == w.upper()]
    if not family or words[: len(family)] != family or len(family) == len(words):
        return [f"name {name!r} is not FAMILY Given"]
    if not all(FAMILY_WORD.fullmatch(w) for w in family):
        return [f"family name in {name!r} is not in capitals"]
    return []


def _speaker_problems(speaker: Any) -> list[str]:
    if not isinstance(speaker, dict) or "name" not in speaker:
        return [f"speaker {speaker!r} has no name"]
    problems = _name_problems(speaker["name"])
    institution = speaker.get("institution")
    if institution is not None and (not institution or " - " in institution or "|" in institution):
        problems.append(f"institution {institution!r} cannot be written in a speaker line")
    unknown = set(speaker.get("ids", {})) - AUTHORITIES
    if unknown:
        problems.append(f"unknown authorities {unknown}")
    return problems


def _duration_ok(value: str) -> bool:
    clock = CLOCK.fullmatch(value)
    return bool(ISO_DURATION.fullmatch(value) or (clock and (clock[1] or int(clock[2]) < 60)))


def _published_ok(value: str) -> bool:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return bool(date.fromisoformat(value))
        return datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def _list_ok(value: Any) -> bool:
    items = value.split(";") if isinstance(value, str) else value
    return isinstance(items, list) and all(isinstance(i, str) and i.strip() for i in items)


def record_problems(record: dict[str, Any]) -> list[str]:
    """What makes `record` break records.md (empty when it is valid)."""
    problems = [f"unknown field {f}" for f in set(record) - FIELDS]
    if not (isinstance(record.get("id"), str) and ID.fullmatch(record["id"])):
        problems.append(f"bad id {record.get('id')!r}")
    if not (isinstance(record.get("title"), str) and record["title"].strip()):
        problems.append("no title")
    checks = {
        "duration": lambda v: isinstance(v, str) and _duration_ok(v),
        "views": lambda v: (isinstance(v, int) and v >= 0)
        or (isinstance(v, str) and bool(VIEWS_TEXT.fullmatch(v))),
        "published": lambda v: isinstance(v, str) and _published_ok(v),
        "language": lambda v: v == "fr",
        "description": lambda v: isinstance(v, str),
        "keywords": _list_ok,
        "themes": _list_ok,
        **{f: (lambda v: isinstance(v, str) and bool(IRI.fullmatch(v)))
           for f in ("url", "embed_url", "content_url", "thumbnail", "license")},
    }
    problems += [f"bad {f} {record[f]!r}" for f, ok in checks.items()
                 if f in record and not ok(record[f])]
    speakers = record.get("speakers")
    if not (isinstance(speakers, list) and speakers):
        return [*problems, "no speakers"]
    return problems + [p for s in speakers for p in _speaker_problems(s)]


# --- check characters, written again here ----------------------------------------------

def iso7064_mod11_2_ok(identifier: str) -> bool:
    digits = re.sub(r"[\s-]", "", identifier.rsplit("/", 1)[-1]).upper()
    if not re.fullmatch(r"\d{15}[\dX]", digits):
        return False
    total = 0
    for char in digits[:15]:
        total = (total + int(char)) * 2
    expected = (12 - total % 11) % 11
    return digits[15] == ("X" if expected == 10 else str(expected))


def ppn_ok(identifier: str) -> bool:
    if not re.fullmatch(r"\d{8}[\dX]", identifier):
        return False
    remainder = sum(int(c) * (9 - i) for i, c in enumerate(identifier[:8])) % 11
    expected = (11 - remainder) % 11
    return identifier[8] == ("X" if expected == 10 else str(expected))


def ror_ok(identifier: str) -> bool:
    if not re.fullmatch(r"0[0-9a-hjkmnp-tv-z]{6}\d{2}", identifier):
        return False
    value = int(identifier[1:7].translate(str.maketrans("jkmnpqrstvwxyz", "ijklmnopqrstuv")), 32)
    return int(identifier[7:]) == 98 - (value * 100) % 97


@pytest.mark.parametrize("identifier", ["0000-0002-1825-0097", "0000-0002-1694-233X",
                                        "0000 0001 2103 2683"])
def test_mod11_2_accepts_published_examples(identifier: str) -> None:
    assert iso7064_mod11_2_ok(identifier)
    assert not iso7064_mod11_2_ok(identifier[:-1] + ("1" if identifier[-1] != "1" else "2"))


def test_ppn_and_ror_checks_accept_published_examples() -> None:
    assert ppn_ok("027542084") and not ppn_ok("027542085")
    assert ror_ok("02feahw73") and not ror_ok("02feahw74")


# --- fixtures --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return list(generate_records(VIDEOS, seed=7))


@pytest.fixture(scope="module")
def institutions() -> list[dict[str, str]]:
    return generate_institutions(seed=7)


def _written(name: str | dict[str, str]) -> str:
    return name if isinstance(name, str) else f"{name['family'].upper()} {name['given']}"


def _speaker_names(records: Iterable[dict[str, Any]]) -> Counter[str]:
    return Counter(_written(s["name"]) for r in records for s in r["speakers"])


# --- determinism and counts ------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_same_seed_same_bytes(tmp_path: Path, fmt: str) -> None:
    first = write_demo_data(tmp_path / "a", 500, seed=3, fmt=fmt)
    second = write_demo_data(tmp_path / "b", 500, seed=3, fmt=fmt)
    other = write_demo_data(tmp_path / "c", 500, seed=4, fmt=fmt)
    assert first == second == other | {"people": first["people"]}
    for name in (f"videos.{fmt}", "institutions.csv", "people.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    videos = f"videos.{fmt}"
    assert (tmp_path / "a" / videos).read_bytes() != (tmp_path / "c" / videos).read_bytes()


def test_counts_match_files(tmp_path: Path) -> None:
    counts = write_demo_data(tmp_path, 1200, seed=1)
    lines = (tmp_path / "videos.jsonl").read_text(encoding="utf-8").splitlines()
    assert counts["videos"] == len(lines) == 1200
    for name, key in (("institutions.csv", "institutions"), ("people.csv", "people")):
        with (tmp_path / name).open(encoding="utf-8", newline="") as handle:
            assert len(list(csv.DictReader(handle))) == counts[key] > 0
    assert 150 <= counts["institutions"] <= 300
    assert counts["people"] == len(generate_people(1200, seed=1))


def test_records_are_streamed_with_sequential_ids() -> None:
    stream = generate_records(3, seed=0)
    assert iter(stream) is stream
    assert [r["id"] for r in stream] == ["demo-000001", "demo-000002", "demo-000003"]
    assert list(generate_records(0)) == []


def test_bad_arguments_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        write_demo_data(tmp_path, 10, fmt="xml")
    with pytest.raises(UsageError):
        list(generate_records(-1))


# --- validity --------------------------------------------------------------------------

def test_every_record_is_valid(records: list[dict[str, Any]]) -> None:
    problems = {r.get("id"): p for r in records if (p := record_problems(r))}
    assert problems == {}
    assert len({r["id"] for r in records}) == len(records)


def test_validator_rejects_what_records_md_rejects() -> None:
    good: dict[str, Any] = {"id": "x", "title": "T", "speakers": [{"name": "RIVAL Madina"}]}
    assert record_problems(good) == []
    bad: dict[str, Any]
    for bad in ({"duration": "1h30"}, {"duration": "12:75"}, {"id": "1 2"}, {"views": -1},
                {"url": "ftp://x"}, {"speakers": [{"name": "Claire Vasseur"}]}, {"speakers": []}):
        assert record_problems(good | bad), bad


def test_all_three_duration_forms_and_both_date_forms(records: list[dict[str, Any]]) -> None:
    durations = [r["duration"] for r in records if "duration" in r]
    assert any(re.fullmatch(r"\d\d:\d\d", d) for d in durations)
    assert any(re.fullmatch(r"\d+:\d\d:\d\d", d) for d in durations)
    assert any(d.startswith("PT") for d in durations)
    published = [r["published"] for r in records if "published" in r]
    assert any(len(p) == 10 for p in published) and any("T" in p for p in published)
    assert all("2010-01-01" <= p[:10] <= "2026-12-31" for p in published)
    assert any(isinstance(r.get("views"), str) and r["views"].endswith(" vues") for r in records)


def test_identifiers_have_valid_check_digits(records: list[dict[str, Any]],
                                             institutions: list[dict[str, str]]) -> None:
    people = generate_people(VIDEOS, seed=7)
    inline = [s["ids"] for r in records for s in r["speakers"] if "ids" in s]
    rows: list[dict[str, str]] = [*people, *inline, *institutions]
    checks = {"orcid": iso7064_mod11_2_ok, "isni": iso7064_mod11_2_ok, "idref": ppn_ok,
              "ror": ror_ok, "viaf": str.isdigit,
              "wikidata": lambda q: bool(re.fullmatch(r"Q\d+", q)) and int(q[1:]) >= 990_000_000}
    seen = Counter(field for row in rows for field in row if field in checks)
    assert all(seen[field] > 5 for field in checks), seen
    bad = [(f, row[f]) for row in rows for f, ok in checks.items() if f in row and not ok(row[f])]
    assert bad == []


def test_csv_form_is_the_platform_display_line(tmp_path: Path) -> None:
    write_demo_data(tmp_path, 300, seed=2, fmt="csv")
    with (tmp_path / "videos.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    as_json = list(generate_records(300, seed=2))
    assert [r["id"] for r in rows] == [r["id"] for r in as_json]
    for row, record in zip(rows, as_json, strict=True):
        lines = [s.strip() for s in row["speakers"].split("|")]
        assert [line.rsplit(" - ", 1)[0] for line in lines] == [
            _written(s["name"]) for s in record["speakers"]]
        assert row["themes"].split(";") == record["themes"]


def test_project_reader_accepts_demo_data_without_a_warning(tmp_path: Path) -> None:
    write_demo_data(tmp_path / "jsonl", 800, seed=5)
    write_demo_data(tmp_path / "csv", 800, seed=5, fmt="csv")
    for directory in ("jsonl", "csv"):
        result = read_inputs([tmp_path / directory])
        assert [r.to_json() for r in result.rejections] == []
        assert [str(w) for w in result.warnings] == []
        assert len(result.events) == 800 and len(result.people) > 0


# --- realism ---------------------------------------------------------------------------

def test_names_look_french(records: list[dict[str, Any]]) -> None:
    names = list(_speaker_names(records))
    assert any(re.search(r"[ÉÈÊÎÏÔÛÇŒ]", n.split(" ")[0]) for n in names)  # JOULLIÉ
    assert any(n.startswith(("DE ", "DU ", "D'", "LE ", "DOS ", "DA ")) for n in names)
    assert any(re.search(r" \S*[a-zé]-[A-ZÉ]", n) for n in names)  # Jean-Étienne
    assert any(re.search(r"[a-zé] [A-ZÉ][a-zé]", n) for n in names)  # Adrien Jean-Guy


def test_speaker_population_is_proportional_and_skewed(records: list[dict[str, Any]]) -> None:
    talks = _speaker_names(records)
    assert 0.8 * VIDEOS / 4 <= len(talks) <= 1.2 * VIDEOS / 4
    counts = sorted(talks.values())
    assert counts[-1] >= 10 * counts[len(counts) // 2]
    sizes = Counter(len(r["speakers"]) for r in records)
    assert set(sizes) == {1, 2, 3, 4}
    assert 0.6 <= sizes[1] / len(records) <= 0.9


def test_some_speakers_change_institution(records: list[dict[str, Any]],
                                          institutions: list[dict[str, str]]) -> None:
    canonical = {row["label"]: row["label"] for row in institutions}
    for row in institutions:
        for alt in filter(None, row.get("alt_labels", "").split(";")):
            canonical[alt] = row["label"]
    homes: dict[str, set[str]] = defaultdict(set)
    for record in records:
        for speaker in record["speakers"]:
            if "institution" in speaker:
                homes[_written(speaker["name"])].add(canonical[speaker["institution"]])
    assert sum(len(h) >= 2 for h in homes.values()) >= 15


def test_institutions_form_a_hierarchy(institutions: list[dict[str, str]]) -> None:
    labels = {row["label"] for row in institutions}
    assert len(labels) == len(institutions)
    labs = [row for row in institutions if row.get("parent")]
    assert len(labs) >= 100 and all(row["parent"] in labels for row in labs)
    assert {"LIRSA-CNAM", "DRM-Dauphine"} <= labels
    assert sum("alt_labels" in row for row in institutions) >= 20
    assert all(" - " not in row["label"] and "|" not in row["label"] for row in institutions)


def test_text_is_varied_french(records: list[dict[str, Any]]) -> None:
    themes = Counter(t for r in records for t in r["themes"])
    assert len(themes) >= 35 and all(1 <= len(r["themes"]) <= 3 for r in records)
    assert len({r["title"] for r in records}) >= 0.5 * len(records)
    descriptions = [r["description"] for r in records if "description" in r]
    assert any("\n" in d for d in descriptions)
    assert sum("’" in d for d in descriptions) >= 0.5 * len(descriptions)
    assert all(r["url"].startswith("https://videos.example.org/") for r in records if "url" in r)


# --- the seed page in data/ ------------------------------------------------------------

SEED_SPEAKERS = {
    "RIVAL Madina": "LIRSA-CNAM", "BURLAUD Alain": "LIRSA-CNAM",
    "WALLISER Elisabeth": "IAE de Nice", "GAREL Gilles": "LIRSA-CNAM",
    "GRALL Bénédicte": "LIRSA-CNAM", "PASSANT Adrien Jean-Guy": "EMLV",
    "JOULLIÉ Jean-Étienne": "EMLV",
}


def _seed_records() -> list[dict[str, Any]]:
    text = (DATA / "videos.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_seed_records_are_valid_jsonl() -> None:
    records = _seed_records()
    assert len(records) == len({r["id"] for r in records}) == 7
    assert {r["id"]: record_problems(r) for r in records} == {r["id"]: [] for r in records}


def test_seed_records_keep_the_page_as_written() -> None:
    records = {r["id"]: r for r in _seed_records()}
    main = records["innovation-publique"]
    assert main["title"] == "Qu’est-ce que l’Innovation publique ?"
    assert main["views"] == 2024 and "keywords" not in main
    assert main["description"].startswith("L’innovation est publique est une expression")
    assert main["description"].count("\n") == 2
    assert sorted(r["duration"] for r in records.values() if "duration" in r) == [
        "03:47", "03:59", "05:03", "52:52"]
    written = {s["name"]: s["institution"] for r in records.values() for s in r["speakers"]}
    assert written == SEED_SPEAKERS
    portrait = records["portrait-alain-burlaud"]
    assert [s["name"] for s in portrait["speakers"]] == ["BURLAUD Alain", "WALLISER Elisabeth"]
    assert all("published" not in r for r in records.values())


def test_seed_institutions_cover_every_speaker_and_parent() -> None:
    with (DATA / "institutions.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["label", "name", "alt_labels", "parent", "url", "ror",
                                     "idref", "isni", "wikidata"]
        rows = {row["label"]: row for row in reader}
    assert set(SEED_SPEAKERS.values()) <= set(rows)
    assert all(row["parent"] in rows for row in rows.values() if row["parent"])
    assert rows["LIRSA-CNAM"]["parent"] == "CNAM"


def test_project_reader_accepts_the_seed_data() -> None:
    result = read_inputs([DATA])
    assert [r.to_json() for r in result.rejections] == []
    assert [str(w) for w in result.warnings] == []
    assert sorted(result.events) == sorted(r["id"] for r in _seed_records())
    assert set(result.institutions) >= {"LIRSA-CNAM", "CNAM", "IAE de Nice", "EMLV"}
