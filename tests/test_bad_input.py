"""Acceptance: bad input gets a clear error and nothing is lost (records.md, "Bad input").

One catalogue export, as a user would feed it to the real command line, breaks every rule of
records.md at least once: a JSON Lines file (bad fields, a line that is not an object, a
truncated line, bytes that are not UTF-8), a CSV file (a row short of a column, a row with one
too many, a bad cell), a .json file that does not parse, a valid .json file, and records that
pass the format but break a local SHACL rule (`--extra-shapes`).

The scenario runs once per module, in this order, each step on what the previous left:

1. `before`: a few records are published (one will be withdrawn, two given again badly).
2. `check`:  `publisher validate talks.jsonl talks.csv broken.json more.json` -> exit 1,
             the store untouched.
3. `main`:   `publisher build` on the same inputs -> exit 1, the same report.
4. `fixed`:  the user edits rejects.jsonl (and broken.json, as its message says) and builds it
             -> exit 0, every fixed record published alongside the others.

The tables at the top say, for every bad line, where it is, which field is blamed, words the
message must hold, how the user fixes it and which id is published once fixed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from publisher.querying import run_query
from publisher.settings import Settings

from .conftest import BASE

SPEAKER = "RIVAL Madina - LIRSA-CNAM"
ORCID = "0000-0002-1825-0097"  # a valid ORCID
BAD_ORCID = "0000-0002-1825-0098"  # wrong check digit
CC_BY = "https://creativecommons.org/licenses/by/4.0/"
LONG_TITLE = ("Une conférence au titre interminable sur l'innovation publique, le management "
              "des organisations et la valeur ajoutée !!!")
assert len(LONG_TITLE) == 120

# A local cataloguing rule, checked on top of shapes/: written like shapes/shapes.ttl
# (relative IRIs parsed against the base, so `pub:` is the project's ontology).
LOCAL_RULES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix pub: <ontology#> .
@prefix schema: <http://schema.org/> .
@prefix local: <local-rules#> .

local:ShortTitles a sh:NodeShape ;
    sh:targetClass schema:VideoObject ;
    sh:property [
        sh:path schema:name ;
        sh:maxLength 80 ;
        pub:recordField "title" ;
        sh:message "Titles in this catalogue are at most 80 characters: shorten `title`."@en ;
    ] .
"""
LOCAL_RULE_MESSAGE = "Titles in this catalogue are at most 80 characters: shorten `title`."


def talk(rid: Any, title: Any = "Une conférence", **fields: Any) -> dict[str, Any]:
    return {"id": rid, "title": title, "speakers": SPEAKER, **fields}


def without(record: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in names}


Fix = dict[str, Any] | Callable[[str], str]


@dataclass(frozen=True)
class Bad:
    """One rejected line, row or object, and what the user does about it.

    `content`: a record (written as one JSON line), or the exact text / bytes of the line.
    `field`: the field blamed; "" when the line could not be read as a record at all.
    `fix`: for a kept `record`, the fields to change; for a `raw` entry, either the record
    that replaces it or an edit of the raw text. `fixed_id`: the id published once fixed.
    `record`: the record as the rejects file must keep it, when `content` is not that record.
    """

    line: int
    content: dict[str, Any] | str | bytes
    field: str
    words: tuple[str, ...]
    fix: Fix
    fixed_id: str
    record: dict[str, Any] | None = None

    @property
    def kept_record(self) -> dict[str, Any] | None:
        return self.record if self.record is not None else self.content if isinstance(self.content, dict) else None

    @property
    def kept_raw(self) -> str | None:
        if self.kept_record is not None:
            return None
        assert not isinstance(self.content, dict)
        return self.content.decode("utf-8", "backslashreplace") if isinstance(self.content, bytes) else self.content


# --- Run 1: published before --------------------------------------------------------------

BEFORE = [
    talk("kept-1", "Publiée avant, redonnée avec une durée fausse", duration="03:59", views=10),
    talk("withdraw-me", "Retirée par la suite"),
    talk("shacl-kept", "Publiée avant, redonnée avec un titre trop long"),
]

# --- Run 2: talks.jsonl -------------------------------------------------------------------

GOOD_JSONL = {
    1: {
        "id": "good-full", "title": "Qu’est-ce que l’Innovation publique ?",
        "description": "Deux lignes\nde description.", "language": "fr-CA", "duration": "1:02:03",
        "views": 2024, "published": "2024-03-01T10:00+01:00", "url": "https://example.org/v/good-full",
        "license": CC_BY, "keywords": ["innovation", "secteur public"], "themes": ["Innovation publique"],
        "speakers": [{"name": "RIVAL Madina", "institution": "LIRSA-CNAM", "ids": {"orcid": ORCID}}],
    },
    2: talk("good-extra-field", "Un champ inconnu", rating=5),  # unknown field: one warning
    3: {  # malformed ORCID: a warning, the identifier is dropped, the record is published
        "id": "good-bad-orcid", "title": "Un ORCID mal formé",
        "speakers": [{"name": "GAREL Gilles", "institution": "LIRSA-CNAM", "ids": {"orcid": BAD_ORCID}}],
    },
    # line 4 is blank: skipped, but counted
    20: talk("good-middle", "Au milieu du fichier", rating=4),  # the same unknown field: no second warning
    34: talk("good-last", "Après toutes les lignes fausses", views="2\u202f024 vues"),
}

BAD_JSONL = [
    Bad(5, without(talk("x"), "id"), "id", ("is missing",), {"id": "was-missing-id"}, "was-missing-id"),
    Bad(6, talk(1234), "id", ("not a string", "in quotes"), {"id": "1234"}, "1234"),
    Bad(7, talk("bad/id"), "id", ("not a valid id", "letters, digits"), {"id": "bad-id"}, "bad-id"),
    Bad(8, without(talk("no-title"), "title"), "title", ("is missing",), {"title": "Un titre"}, "no-title"),
    Bad(9, talk("empty-title", ""), "title", ("is missing",), {"title": "Un titre"}, "empty-title"),
    Bad(10, talk("number-title", 42), "title", ("not text",), {"title": "42"}, "number-title"),
    Bad(11, talk("bad-language", language="fr_FR"), "language", ("BCP 47", "hyphen"), {"language": "fr-FR"}, "bad-language"),
    # kept-1 was published by run 1: this bad copy must not replace it
    Bad(12, talk("kept-1", "Version fausse", duration="1h30"), "duration", ("MM:SS", "H:MM:SS"),
        {"duration": "1:30:00"}, "kept-1"),
    Bad(13, talk("bad-seconds", duration="12:75"), "duration", ("seconds must be 00-59",), {"duration": "12:15"}, "bad-seconds"),
    Bad(14, talk("negative-views", views=-5), "views", ("negative",), {"views": 5}, "negative-views"),
    Bad(15, talk("word-views", views="douze"), "views", ("not a view count", "whole number"), {"views": 12}, "word-views"),
    Bad(16, talk("boolean-views", views=True), "views", ("boolean",), {"views": 1}, "boolean-views"),
    Bad(17, talk("no-such-day", published="2024-02-30"), "published", ("not a real date", "YYYY-MM-DD"),
        {"published": "2024-02-29"}, "no-such-day"),
    Bad(18, talk("bad-offset", published="2024-03-01T10:00:00+25:00"), "published", ("offset", "+14:00"),
        {"published": "2024-03-01T10:00:00+05:00"}, "bad-offset"),
    Bad(19, talk("ftp-url", url="ftp://example.org/v.mp4"), "url", ("http(s)", "https://"),
        {"url": "https://example.org/v.mp4"}, "ftp-url"),
    Bad(21, talk("relative-url", url="/videos/relative-url"), "url", ("absolute",),
        {"url": "https://example.org/videos/relative-url"}, "relative-url"),
    Bad(22, talk("bad-license", license="creativecommons.org/licenses/by/4.0/"), "license", ("absolute",),
        {"license": CC_BY}, "bad-license"),
    Bad(23, talk("spaced-url", url="https://example.org/a video"), "url", ("space", "%20"),
        {"url": "https://example.org/a%20video"}, "spaced-url"),
    Bad(24, talk("number-keyword", keywords=["gestion", 7]), "keywords[2]", ("not text", "in quotes"),
        {"keywords": ["gestion", "7"]}, "number-keyword"),
    Bad(25, without(talk("no-speakers"), "speakers"), "speakers", ("is missing",), {"speakers": SPEAKER}, "no-speakers"),
    Bad(26, talk("empty-speakers", speakers=[]), "speakers", ("no speaker",), {"speakers": [SPEAKER]}, "empty-speakers"),
    Bad(27, talk("empty-name", speakers=[{"name": "", "institution": "EMLV"}]), "speakers[1].name", ("name is empty",),
        {"speakers": [{"name": "GRALL Bénédicte", "institution": "EMLV"}]}, "empty-name"),
    Bad(28, talk("empty-family", speakers=[{"name": {"family": "", "given": "Madina"}}]), "speakers[1].name",
        ('"family" is empty',), {"speakers": [{"name": {"family": "Rival", "given": "Madina"}}]}, "empty-family"),
    Bad(29, talk("text-deleted", deleted="yes"), "deleted", ("not true or false", "write true"),
        {"deleted": None}, "text-deleted"),
    Bad(30, "[1, 2]", "", ("a list is not a record",), talk("was-a-list", "Une liste"), "was-a-list"),
    Bad(31, '{"id": "cut-short", "title": "T', "", ("not valid JSON", "cut short"),
        lambda raw: raw + f'itre enfin complet", "speakers": "{SPEAKER}"}}', "cut-short"),
    Bad(32, f'{{"id": "bad-bytes", "title": "Caf\xff\xfe au lait", "speakers": "{SPEAKER}"}}'.encode("latin-1"),
        "", ("not UTF-8", "save the file as UTF-8"), lambda raw: raw.replace("\\xff\\xfe", "é"), "bad-bytes"),
    # passes records.md, breaks the local SHACL rule
    Bad(33, talk("shacl-long", LONG_TITLE), "title", (LOCAL_RULE_MESSAGE,), {"title": "Un titre raisonnable"}, "shacl-long"),
]

# --- Run 2: talks.csv (BOM, header on line 1) ----------------------------------------------

CSV_HEADER = "id,title,duration,views,keywords,themes,speakers,deleted"
BURLAUD_LINE = "BURLAUD Alain - LIRSA-CNAM | WALLISER Elisabeth - IAE de Nice"
GOOD_CSV = {
    2: f"csv-burlaud,Portrait du Professeur Alain Burlaud,52:52,2 024,comptabilité;gestion,Portraits,{BURLAUD_LINE},",
    3: f"csv-vues,Les vues écrites comme sur la page,03:59,2024 vues,,,{SPEAKER} |,no",
    4: "withdraw-me,,,,,,,yes",  # a tombstone: withdraws a record published by run 1
    8: "never-was,,,,,,,yes",  # a tombstone for an id never published: a warning only
    9: f"csv-last,La dernière ligne,1:00:00,,,,{BURLAUD_LINE},",
}
BAD_CSV = [
    Bad(5, "csv-short,Une ligne trop courte,03:59,12", "", ("4 cells, the header has 8", "add the missing cells"),
        talk("csv-short", "Une ligne trop courte", duration="03:59", views=12), "csv-short"),
    Bad(6, f"csv-long,Une ligne trop longue,03:59,12,,,{SPEAKER},,surplus", "", ("9 cells, the header has 8",),
        talk("csv-long", "Une ligne trop longue", duration="03:59", views=12), "csv-long"),
    # good-middle was published from talks.jsonl in the same run: this bad row must not replace it
    Bad(7, f"good-middle,Au milieu mais en CSV,1h,2 024,,,{BURLAUD_LINE},", "duration", ("MM:SS",),
        {"duration": "1:00:00"}, "good-middle",
        record={"id": "good-middle", "title": "Au milieu mais en CSV", "duration": "1h", "views": "2 024",
                "speakers": BURLAUD_LINE}),
]

# --- Run 2: broken.json (rejected whole) and more.json (valid, {"records": [...]}) ----------

BROKEN_JSON = """\
[
  {"id": "json-lost-1", "title": "Perdue 1", "speakers": "GAREL Gilles - LIRSA-CNAM"},
  {"id": "json-lost-2", "title": "Perdue 2" "speakers": "GAREL Gilles - LIRSA-CNAM"}
]
"""
BROKEN_JSON_IDS = {"json-lost-1", "json-lost-2"}


def fix_broken_json(text: str) -> str:
    return text.replace('"Perdue 2" "speakers"', '"Perdue 2", "speakers"')


BAD_BROKEN_JSON = [
    Bad(3, BROKEN_JSON, "", ("not valid JSON", "line 3, column", "whole file was rejected"),
        fix_broken_json, "json-lost-2"),
]

JSON_GOOD = {
    "id": "json-good", "title": "Une notice JSON", "keywords": "gestion; comptabilité", "views": "2 024 vues",
    "speakers": [{"name": {"family": "Joullié", "given": "Jean-Étienne"}, "institution": "EMLV"}],
}
SHACL_KEPT = {"id": "shacl-kept", "title": LONG_TITLE, "speakers": "GAREL Gilles - LIRSA-CNAM"}
FLOAT_VIEWS = talk("json-float-views", "Des vues décimales", views=1.5)
MORE_JSON = "\n".join([
    '{"records": [',
    "  " + json.dumps(JSON_GOOD, ensure_ascii=False) + ",",
    "  {",  # line 3: shacl-kept, published by run 1, now breaking the local rule
    f'    "id": "shacl-kept",\n    "title": "{LONG_TITLE}",',
    '    "speakers": "GAREL Gilles - LIRSA-CNAM"',
    "  },",
    "  " + json.dumps(FLOAT_VIEWS, ensure_ascii=False),  # line 8
    "]}",
]) + "\n"
BAD_MORE_JSON = [
    Bad(3, "(multi-line object)", "title", (LOCAL_RULE_MESSAGE,), {"title": "Un titre raisonnable"}, "shacl-kept",
        record=SHACL_KEPT),
    Bad(8, FLOAT_VIEWS, "views", ("not a view count",), {"views": 2}, "json-float-views"),
]

INPUTS = ["talks.jsonl", "talks.csv", "broken.json", "more.json"]
BAD = {
    "talks.jsonl": BAD_JSONL,
    "talks.csv": BAD_CSV,
    "broken.json": BAD_BROKEN_JSON,
    "more.json": BAD_MORE_JSON,
}
EXPECTED_ERRORS = sorted((name, bad.line, bad.field) for name, bads in BAD.items() for bad in bads)

GOOD_IDS = {r["id"] for r in GOOD_JSONL.values()} | {"csv-burlaud", "csv-vues", "csv-last", "json-good"}
BEFORE_IDS = {r["id"] for r in BEFORE}
FIXED_IDS = {bad.fixed_id for bads in BAD.values() for bad in bads} | BROKEN_JSON_IDS

# --- Helpers ------------------------------------------------------------------------------


def write_lines(path: Path, lines: dict[int, dict[str, Any] | str | bytes], *, prefix: bytes = b"") -> Path:
    """Each content on its line number (1-based); lines in between are left blank."""
    out = [b""] * max(lines)
    for number, content in lines.items():
        if isinstance(content, dict):
            content = json.dumps(content, ensure_ascii=False)
        out[number - 1] = content if isinstance(content, bytes) else content.encode("utf-8")
    path.write_bytes(prefix + b"\n".join(out) + b"\n")
    return path


def write_inputs(folder: Path) -> None:
    write_lines(folder / "talks.jsonl", {**GOOD_JSONL, **{bad.line: bad.content for bad in BAD_JSONL}})
    csv_lines: dict[int, Any] = {1: CSV_HEADER, **GOOD_CSV, **{bad.line: bad.content for bad in BAD_CSV}}
    write_lines(folder / "talks.csv", csv_lines, prefix=b"\xef\xbb\xbf")
    (folder / "broken.json").write_text(BROKEN_JSON, encoding="utf-8")
    (folder / "more.json").write_text(MORE_JSON, encoding="utf-8")
    (folder / "local-rules.ttl").write_text(LOCAL_RULES, encoding="utf-8")


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def errors(self) -> list[tuple[str, int, str, str]]:
        """The `file:line: field: message` lines, in order."""
        return [error_line(line) for line in self.stderr.splitlines() if not line.startswith("warning: ")]

    @property
    def warnings(self) -> list[tuple[str, int, str, str]]:
        return [error_line(line.removeprefix("warning: ")) for line in self.stderr.splitlines() if line.startswith("warning: ")]


def error_line(line: str) -> tuple[str, int, str, str]:
    match = re.fullmatch(r"([^:]+):(\d+): (\S+): (.+)", line)
    assert match, f"not a file:line: field: message line: {line!r}"
    return match[1], int(match[2]), match[3], match[4]


def publisher(folder: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    """`python -m publisher ARGS` run in `folder`, as a user would type it there."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PUBLISHER_")}
    done = subprocess.run(
        [sys.executable, "-m", "publisher", *args],
        cwd=folder, env={**clean, "PYTHONIOENCODING": "utf-8", **(env or {})},
        capture_output=True, text=True, encoding="utf-8", timeout=300,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def build(folder: Path, settings: Settings, *inputs: str, rejects: str = "rejects.jsonl") -> Run:
    return publisher(folder, "build", *inputs, "--store", settings.store, "--base", settings.base,
                     "--rejects", rejects, "--extra-shapes", "local-rules.ttl", "--workers", "1")


VIDEOS = """
PREFIX schema: <http://schema.org/>
SELECT ?id ?title ?duration ?views WHERE {
  ?video a schema:VideoObject ; schema:identifier ?id ; schema:name ?title .
  OPTIONAL { ?video schema:duration ?duration }
  OPTIONAL { ?video schema:interactionStatistic/schema:userInteractionCount ?views }
}"""


def published_videos(settings: Settings) -> dict[str, dict[str, str | None]]:
    """id -> title, duration and views of every video published now."""
    def value(term: Any) -> str | None:
        return None if term is None else term.value

    return {
        row["id"].value: {name: value(row[name]) for name in ("title", "duration", "views")}
        for row in run_query(settings, VIDEOS)
    }


def read_rejects(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write_rejects_file(path: Path, entries: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries), encoding="utf-8")


def bad_for(entry: dict[str, Any]) -> Bad:
    (bad,) = [b for b in BAD[entry["source"]] if b.line == entry["line"]]
    return bad


def fix_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """What the user does to one line of the rejects file: correct the record or the raw text."""
    fix = bad_for(entry).fix
    entry = dict(entry)
    if callable(fix):
        entry["raw"] = fix(entry["raw"])
    elif "record" in entry:
        patched = {**entry["record"], **fix}
        entry["record"] = {k: v for k, v in patched.items() if v is not None}
    else:
        del entry["raw"]
        entry["record"] = fix
    return entry


def store_files(store: Path) -> dict[str, tuple[int, int]]:
    """Every file of the store with its size and modification time, and where `current` points."""
    files = {str(p.relative_to(store)): (p.stat().st_size, p.stat().st_mtime_ns) for p in store.rglob("*") if p.is_file()}
    files["current ->"] = (hash(os.readlink(store / "current")), 0)
    return files


# --- The scenario, run once ---------------------------------------------------------------


@dataclass
class Scenario:
    folder: Path
    settings: Settings
    before: Run
    main: Run
    check: Run
    fixed: Run
    published_before: dict[str, dict[str, str | None]]
    published_main: dict[str, dict[str, str | None]]
    published_fixed: dict[str, dict[str, str | None]]
    rejects_main: list[dict[str, Any]]
    rejects_check: list[dict[str, Any]]
    store_untouched_by_check: bool


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    folder = tmp_path_factory.mktemp("bad-input")
    settings = Settings(store=str(folder / "store"), base=BASE, rejects=str(folder / "rejects.jsonl"), workers=1)
    write_inputs(folder)
    write_lines(folder / "before.jsonl", dict(enumerate(BEFORE, start=1)))

    before = build(folder, settings, "before.jsonl")
    assert before.code == 0, before.stderr
    published_before = published_videos(settings)

    store_before_check = store_files(Path(settings.store))
    check = publisher(folder, "validate", *INPUTS, "--base", settings.base, "--rejects", "check-rejects.jsonl",
                      "--extra-shapes", "local-rules.ttl", "--workers", "1", env={"PUBLISHER_STORE": settings.store})
    untouched = store_files(Path(settings.store)) == store_before_check
    rejects_check = read_rejects(folder / "check-rejects.jsonl")

    main = build(folder, settings, *INPUTS)
    published_main = published_videos(settings)
    rejects_main = read_rejects(folder / "rejects.jsonl")

    # The user fixes every line of the rejects file in place. A .json file rejected whole is
    # fixed where it is and given again, as its message says ("fix it and give it again").
    fixed_entries = [fix_entry(e) for e in rejects_main if e["source"] != "broken.json"]
    write_rejects_file(folder / "rejects.jsonl", fixed_entries)
    (folder / "broken.json").write_text(fix_broken_json(BROKEN_JSON), encoding="utf-8")
    fixed = build(folder, settings, "rejects.jsonl", "broken.json", rejects="rejects-2.jsonl")

    return Scenario(folder, settings, before, main, check, fixed, published_before, published_main,
                    published_videos(settings), rejects_main, rejects_check, untouched)


# --- 1. What is published -----------------------------------------------------------------


def test_the_run_says_some_records_were_rejected(scenario: Scenario):
    assert scenario.main.code == 1, scenario.main.stderr
    summary = scenario.main.stdout
    assert f"rejected: {len(EXPECTED_ERRORS)}" in summary
    assert "withdrawn: 1" in summary
    assert "rejected records written to" in summary and "rejects.jsonl" in summary


def test_every_good_record_is_published_and_no_bad_one(scenario: Scenario):
    published = set(scenario.published_main)
    assert published == (BEFORE_IDS - {"withdraw-me"}) | GOOD_IDS
    never_published = FIXED_IDS - BEFORE_IDS - GOOD_IDS
    assert never_published & published == set()


def test_good_records_keep_their_values(scenario: Scenario):
    videos = scenario.published_main
    assert videos["good-full"] == {"title": "Qu’est-ce que l’Innovation publique ?", "duration": "PT1H2M3S", "views": "2024"}
    assert videos["csv-burlaud"]["views"] == "2024"  # "2 024" in CSV
    assert videos["csv-vues"]["views"] == "2024"  # "2024 vues" in CSV
    assert videos["good-last"]["views"] == "2024"  # "2 024 vues" with a narrow no-break space
    assert videos["json-good"]["views"] == "2024"


def test_the_tombstone_withdraws_and_an_unknown_one_only_warns(scenario: Scenario):
    assert "withdraw-me" in scenario.published_before
    assert "withdraw-me" not in scenario.published_main
    assert "never-was" not in scenario.published_main
    (warning,) = [w for w in scenario.main.warnings if w[2] == "id" and "never-was" in w[3]]
    assert warning[:2] == ("talks.csv", 8) and "never published" in warning[3]


def test_an_unknown_field_warns_once_and_the_record_is_published(scenario: Scenario):
    rating = [w for w in scenario.main.warnings if w[2] == "rating"]
    assert [w[:2] for w in rating] == [("talks.jsonl", 2)]
    assert "unknown field, ignored" in rating[0][3]
    assert {"good-extra-field", "good-middle"} <= set(scenario.published_main)


def test_a_malformed_orcid_warns_and_is_left_out(scenario: Scenario):
    (warning,) = [w for w in scenario.main.warnings if w[2] == "speakers[1].ids.orcid"]
    assert warning[:2] == ("talks.jsonl", 3)
    assert BAD_ORCID in warning[3] and "left out" in warning[3]
    assert "good-bad-orcid" in scenario.published_main
    same_as = """PREFIX schema: <http://schema.org/> PREFIX owl: <http://www.w3.org/2002/07/owl#>
        SELECT ?family ?id WHERE { ?p a schema:Person ; schema:familyName ?family ; owl:sameAs ?id }"""
    links = {(row["family"].value, row["id"].value) for row in run_query(scenario.settings, same_as)}
    # After the fix run (the store as it is now) Garel still has no identifier, Rival keeps hers.
    assert ("Rival", f"https://orcid.org/{ORCID}") in links
    assert not [link for link in links if link[0] == "Garel"]


# --- 2. What stderr says ------------------------------------------------------------------


def test_each_error_is_one_file_line_field_message_line(scenario: Scenario):
    reported = sorted((source, line, field) for source, line, field, _ in scenario.main.errors)
    expected = sorted((source, line, field or "-") for source, line, field in EXPECTED_ERRORS)
    assert reported == expected


@pytest.mark.parametrize(
    "source,bad", [(source, bad) for source, bads in BAD.items() for bad in bads],
    ids=[f"{source}:{bad.line}" for source, bads in BAD.items() for bad in bads],
)
def test_messages_say_what_is_wrong_and_how_to_fix_it(scenario: Scenario, source: str, bad: Bad):
    (message,) = [m for s, line, _, m in scenario.main.errors if (s, line) == (source, bad.line)]
    for words in bad.words:
        assert words in message


def test_a_rejected_record_that_was_published_before_stays_named(scenario: Scenario):
    """Inside a run, the rejected CSV row says the earlier good-middle stays."""
    (warning,) = [w for w in scenario.main.warnings if w[:2] == ("talks.csv", 7)]
    assert "good-middle" in warning[3] and "talks.jsonl, line 20" in warning[3] and "stays" in warning[3]


# --- 3. The rejects file ------------------------------------------------------------------


def test_the_rejects_file_keeps_every_rejected_record_whole(scenario: Scenario):
    entries = {(e["source"], e["line"]): e for e in scenario.rejects_main}
    assert sorted(entries) == sorted((source, line) for source, line, _ in EXPECTED_ERRORS)
    assert len(scenario.rejects_main) == len(EXPECTED_ERRORS)
    for (source, line), entry in entries.items():
        bad = bad_for(entry)
        assert [e["field"] for e in entry["errors"]] == [bad.field], (source, line)
        if bad.kept_record is not None:
            assert entry["record"] == bad.kept_record, (source, line)
            assert "raw" not in entry
        else:
            assert entry["raw"] == bad.kept_raw, (source, line)
            assert "record" not in entry


def test_raw_text_shows_undecodable_bytes_and_keeps_the_truncated_line(scenario: Scenario):
    raw = {e["line"]: e["raw"] for e in scenario.rejects_main if e["source"] == "talks.jsonl" and "raw" in e}
    assert "Caf\\xff\\xfe au lait" in raw[32]
    assert raw[31] == '{"id": "cut-short", "title": "T'
    assert raw[30] == "[1, 2]"


def test_the_rejects_file_says_what_stderr_says(scenario: Scenario):
    in_file = [(e["source"], e["line"], e["errors"][0]["field"] or "-", e["errors"][0]["message"]) for e in scenario.rejects_main]
    assert sorted(in_file) == sorted(scenario.main.errors)


# --- 4. Fixed rejects fed back ------------------------------------------------------------


def test_the_fixed_rejects_are_published(scenario: Scenario):
    assert scenario.fixed.code == 0, scenario.fixed.stderr
    assert scenario.fixed.errors == []
    assert "rejected: 0" in scenario.fixed.stdout
    assert FIXED_IDS <= set(scenario.published_fixed)


def test_the_fixed_records_join_what_was_published(scenario: Scenario):
    assert set(scenario.published_fixed) == set(scenario.published_main) | FIXED_IDS
    videos = scenario.published_fixed
    assert videos["kept-1"]["duration"] == "PT1H30M"  # the fixed duration replaced run 1's
    assert videos["shacl-kept"]["title"] == "Un titre raisonnable"
    assert videos["good-middle"] == {"title": "Au milieu mais en CSV", "duration": "PT1H", "views": "2024"}
    assert videos["bad-bytes"]["title"] == "Café au lait"
    assert videos["cut-short"]["title"] == "Titre enfin complet"
    assert videos["csv-short"]["duration"] == "PT3M59S"
    assert videos["good-full"] == scenario.published_main["good-full"]


# --- 5. Nothing published before is lost ---------------------------------------------------


def test_a_bad_copy_never_replaces_what_was_published(scenario: Scenario):
    before, after = scenario.published_before, scenario.published_main
    assert after["kept-1"] == before["kept-1"] == {
        "title": "Publiée avant, redonnée avec une durée fausse", "duration": "PT3M59S", "views": "10",
    }
    assert after["shacl-kept"] == before["shacl-kept"]  # its long-titled copy broke the local rule
    assert after["good-middle"]["title"] == "Au milieu du fichier"  # the bad CSV copy in the same run


# --- 6. validate ---------------------------------------------------------------------------


def test_validate_reports_the_same_lines_and_publishes_nothing(scenario: Scenario):
    assert scenario.check.code == 1, scenario.check.stderr
    assert scenario.check.errors == scenario.main.errors
    assert scenario.rejects_check == scenario.rejects_main
    assert scenario.store_untouched_by_check
    assert "version" not in scenario.check.stdout


def test_validate_warns_as_build_does(scenario: Scenario):
    assert scenario.check.warnings == scenario.main.warnings
    assert "withdrawn: 1" in scenario.check.stdout


# --- The summary and the rejects round trip ------------------------------------------------


def test_the_summary_counts_only_what_was_published(scenario: Scenario):
    counts = re.search(r"published: (\d+) \(new (\d+), replaced (\d+), unchanged (\d+)\)", scenario.main.stdout)
    assert counts, scenario.main.stdout
    published, new, replaced, unchanged = map(int, counts.groups())
    assert published == len(scenario.published_main)
    assert new == len(set(scenario.published_main) - set(scenario.published_before))
    assert (replaced, unchanged) == (0, 0)


def test_a_whole_json_file_fixed_in_the_rejects_file_is_published(tmp_path: Path, settings: Settings):
    (tmp_path / "local-rules.ttl").write_text(LOCAL_RULES, encoding="utf-8")
    (tmp_path / "broken.json").write_text(BROKEN_JSON, encoding="utf-8")
    first = build(tmp_path, settings, "broken.json")
    assert first.code == 1
    rejects = tmp_path / "rejects.jsonl"
    write_rejects_file(rejects, [fix_entry(e) for e in read_rejects(rejects)])
    again = build(tmp_path, settings, "rejects.jsonl", rejects="rejects-2.jsonl")
    assert again.code == 0, again.stderr
    assert BROKEN_JSON_IDS <= set(published_videos(settings))
