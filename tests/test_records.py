"""records.md: every form, every field rule, the edge-case decisions, the rejects round trip."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from publisher.errors import UsageError
from publisher.model import ReadResult, Record, Rejection, Tombstone
from publisher.records import read_inputs, write_rejects

ORCID = "https://orcid.org/0000-0002-1825-0097"
BASE: dict[str, Any] = {
    "id": "v1",
    "title": "Qu'est-ce que l'Innovation publique ?",
    "speakers": "RIVAL Madina - LIRSA-CNAM",
}


def jsonl(path: Path, *records: Any) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
        encoding="utf-8",
    )
    return path


def read_record(tmp_path: Path, **fields: Any) -> ReadResult:
    """Read one record: BASE with `fields` changed (a None value removes the field)."""
    record = {**BASE, **fields}
    record = {key: value for key, value in record.items() if value is not None}
    return read_inputs([jsonl(tmp_path / "in.jsonl", record)])


def published(result: ReadResult, record_id: str | None = None) -> Record:
    """The record published for `record_id`, or the only event when no id is given."""
    if record_id is None:
        (event,) = result.events.values()
    else:
        event = result.events[record_id]
    assert isinstance(event, Record), result.rejections
    return event


def only_rejection(result: ReadResult) -> Rejection:
    assert not result.events
    assert len(result.rejections) == 1
    return result.rejections[0]


# --- Field rules --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "attribute", "expected"),
    [
        ("id", "a.b_c~d-1", "id", "a.b_c~d-1"),
        ("id", "A" * 128, "id", "A" * 128),
        ("id", " v1 ", "id", "v1"),
        ("title", "  Titre  ", "title", "Titre"),
        ("description", "a\r\nb\rc\nd", "description", "a\nb\nc\nd"),
        ("description", "", "description", None),
        ("language", None, "language", "fr"),
        ("language", "en", "language", "en"),
        ("language", "fr-CA", "language", "fr-ca"),
        ("language", "zh-Hant-TW", "language", "zh-hant-tw"),
        ("language", "es-419", "language", "es-419"),
        ("language", "", "language", "fr"),
        ("duration", "03:59", "duration", "PT3M59S"),
        ("duration", "52:52", "duration", "PT52M52S"),
        ("duration", "1:02:03", "duration", "PT1H2M3S"),
        ("duration", "01:00:00", "duration", "PT1H"),
        ("duration", "00:45", "duration", "PT45S"),
        ("duration", "00:00", "duration", "PT0S"),
        ("duration", "75:00", "duration", "PT1H15M"),
        ("duration", "3:05", "duration", "PT3M5S"),
        ("duration", "PT1H2M3S", "duration", "PT1H2M3S"),
        ("duration", "PT90M", "duration", "PT1H30M"),
        ("duration", "PT0H3M0S", "duration", "PT3M"),
        ("duration", "PT0S", "duration", "PT0S"),
        ("duration", "PT1.5S", "duration", "PT1.5S"),
        ("duration", "P1DT1H", "duration", "PT25H"),
        ("views", 2024, "views", 2024),
        ("views", 0, "views", 0),
        ("views", "2024", "views", 2024),
        ("views", "2 024", "views", 2024),
        ("views", "2\u00a0024", "views", 2024),
        ("views", "2\u202f024", "views", 2024),
        ("views", "2024 vues", "views", 2024),
        ("views", "2 024 vues", "views", 2024),
        ("views", "2\u202f024\u00a0vues", "views", 2024),
        ("views", "1 234 567", "views", 1234567),
        ("views", "1 vue", "views", 1),
        ("published", "2024-03-01", "published", "2024-03-01"),
        ("published", "2024-02-29", "published", "2024-02-29"),
        ("published", "2024-03-01T10:00", "published", "2024-03-01T10:00:00"),
        ("published", "2024-03-01T10:00Z", "published", "2024-03-01T10:00:00Z"),
        (
            "published",
            "2024-03-01T10:00:30+02:00",
            "published",
            "2024-03-01T10:00:30+02:00",
        ),
        (
            "published",
            "2024-03-01T10:00+0200",
            "published",
            "2024-03-01T10:00:00+02:00",
        ),
        ("published", "2024-03-01T10:00-05", "published", "2024-03-01T10:00:00-05:00"),
        (
            "published",
            "2024-03-01T10:00:00.25Z",
            "published",
            "2024-03-01T10:00:00.25Z",
        ),
        (
            "url",
            "https://example.org/v/1?a=b#c",
            "url",
            "https://example.org/v/1?a=b#c",
        ),
        ("url", "http://example.org/caf\u00e9", "url", "http://example.org/caf\u00e9"),
        (
            "embed_url",
            "https://example.org/embed/1",
            "embed_url",
            "https://example.org/embed/1",
        ),
        (
            "content_url",
            "https://example.org/1.mp4",
            "content_url",
            "https://example.org/1.mp4",
        ),
        (
            "thumbnail",
            "https://example.org/1.jpg",
            "thumbnail",
            "https://example.org/1.jpg",
        ),
        (
            "license",
            "https://creativecommons.org/licenses/by/4.0/",
            "license",
            "https://creativecommons.org/licenses/by/4.0/",
        ),
        ("keywords", ["a", " b ", "", "a", "A"], "keywords", ("a", "b", "A")),
        ("keywords", "a; b;; a ;", "keywords", ("a", "b")),
        ("keywords", [], "keywords", ()),
        (
            "themes",
            ["Management", "Innovation"],
            "themes",
            ("Management", "Innovation"),
        ),
        ("themes", "Management;Innovation", "themes", ("Management", "Innovation")),
    ],
)
def test_fields_are_normalised(
    tmp_path: Path, field: str, value: Any, attribute: str, expected: Any
) -> None:
    result = read_record(tmp_path, **{field: value})
    assert getattr(published(result), attribute) == expected
    assert not result.rejections


@pytest.mark.parametrize(
    ("field", "value", "error_field", "message"),
    [
        ("id", 123, "id", 'not a string; write it in quotes: "123"'),
        ("id", None, "id", "is missing"),
        ("id", "", "id", "is missing"),
        ("id", "-a", "id", "must start with a letter or digit"),
        ("id", "a b", "id", "not a valid id"),
        ("id", "a/b", "id", "not a valid id"),
        ("id", "é1", "id", "not a valid id"),
        ("id", "A" * 129, "id", "at most 128"),
        ("title", None, "title", "is missing"),
        ("title", "   ", "title", "is missing"),
        ("title", 5, "title", "not text"),
        ("description", ["a"], "description", "not text"),
        ("language", "fr_FR", "language", "with a hyphen"),
        ("language", "français", "language", "not a language tag"),
        ("language", "f", "language", "not a language tag"),
        (
            "duration",
            "1h30",
            "duration",
            "write MM:SS, H:MM:SS or ISO 8601 like PT1H2M3S",
        ),
        ("duration", "12:75", "duration", "seconds must be 00-59"),
        ("duration", "1:60:00", "duration", "minutes must be 00-59"),
        ("duration", "1:02:60", "duration", "seconds must be 00-59"),
        ("duration", "3:5", "duration", "not a duration"),
        ("duration", "P1M", "duration", "years or months"),
        ("duration", "PT", "duration", "not a duration"),
        ("duration", "P", "duration", "not a duration"),
        ("duration", "-PT1S", "duration", "not a duration"),
        ("duration", 239, "duration", "not text"),
        ("views", -1, "views", "negative"),
        ("views", True, "views", "not a view count"),
        ("views", 2024.0, "views", "not a view count"),
        ("views", "2,024", "views", "not a view count"),
        ("views", "-5", "views", "not a view count"),
        ("views", "20 24", "views", "not a view count"),
        ("views", "beaucoup", "views", "not a view count"),
        ("published", "2024-02-30", "published", "not a real date"),
        ("published", "2023-02-29", "published", "not a real date"),
        ("published", "2024-13-01", "published", "not a real date"),
        ("published", "01/03/2024", "published", "write YYYY-MM-DD"),
        ("published", "2024-03-01 10:00", "published", "not a date"),
        ("published", "2024-03-01T25:00", "published", "not a real date or time"),
        ("published", "2024-03-01T10:00+15:00", "published", "outside -14:00..+14:00"),
        ("published", "2024-03-01T10:00+02:75", "published", "outside"),
        ("published", 20240301, "published", "not text"),
        ("url", "ftp://example.org/v", "url", "not an absolute http(s) address"),
        ("url", "example.org/v", "url", "not an absolute http(s) address"),
        ("url", "mailto:a@example.org", "url", "not an absolute http(s) address"),
        ("url", "https://", "url", "not an absolute http(s) address"),
        ("url", "https://example.org/a b", "url", "contains a space"),
        ("url", "https://example.org/a\tb", "url", "contains a space"),
        ("url", "https://example.org/a\x01", "url", "control character U+0001"),
        ("url", "https://example.org/<a>", "url", "contains <"),
        ("url", 'https://example.org/"a"', "url", 'contains "'),
        ("url", "https://example.org/{a}", "url", "contains {"),
        ("url", "https://example.org/a|b", "url", "contains |"),
        ("url", "https://example.org/a\\b", "url", "contains \\"),
        ("url", "https://example.org/a^b", "url", "contains ^"),
        ("url", "https://example.org/a`b", "url", "contains `"),
        ("thumbnail", "/img/1.jpg", "thumbnail", "not an absolute http(s) address"),
        ("license", "CC-BY-4.0", "license", "not an absolute http(s) address"),
        ("keywords", ["a", 1], "keywords[2]", "not text"),
        ("keywords", {"a": 1}, "keywords", "not a list"),
        ("themes", 5, "themes", "not a list"),
        ("speakers", None, "speakers", "is missing"),
        ("speakers", [], "speakers", "no speaker"),
        ("speakers", " | ", "speakers", "no speaker"),
        ("speakers", {"name": "RIVAL Madina"}, "speakers", "not a list"),
        ("speakers", [5], "speakers[1]", "not a speaker"),
        ("speakers", ["RIVAL Madina", {"name": ""}], "speakers[2].name", "empty"),
        ("speakers", [{"institution": "EMLV"}], "speakers[1].name", "no name"),
        ("speakers", [{"name": 5}], "speakers[1].name", "not a name"),
        ("speakers", [{"name": {"given": "Madina"}}], "speakers[1].name", "family"),
        ("speakers", [{"name": {"family": " "}}], "speakers[1].name", "empty"),
        (
            "speakers",
            [{"name": "RIVAL Madina", "institution": 3}],
            "speakers[1].institution",
            "not an institution",
        ),
        (
            "speakers",
            [{"name": "RIVAL Madina", "ids": "0000"}],
            "speakers[1].ids",
            "not an object",
        ),
        ("speakers", ["A B - X | C D - Y"], "speakers[1]", "several speakers"),
        (
            "speakers",
            "RIVAL Madina -",
            "speakers[1].institution",
            "nothing after the dash",
        ),
        ("deleted", "yes", "deleted", "not true or false"),
        ("deleted", 1, "deleted", "not true or false"),
        ("title", "caf\ud800", "title", "lone surrogate"),
    ],
)
def test_fields_breaking_the_contract_reject_the_record(
    tmp_path: Path, field: str, value: Any, error_field: str, message: str
) -> None:
    record = {
        key: val for key, val in {**BASE, field: value}.items() if val is not None
    }
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    rejection = only_rejection(read_inputs([path]))
    assert [(e.field, message in e.message) for e in rejection.errors] == [
        (error_field, True)
    ]
    assert rejection.record == record
    assert (rejection.source, rejection.line, rejection.raw) == (str(path), 1, None)


def test_every_error_of_a_record_is_reported(tmp_path: Path) -> None:
    result = read_record(
        tmp_path,
        id="ok1",
        duration="12:75",
        views=-3,
        published="2024-02-30",
        speakers=["RIVAL Madina", {"name": ""}],
    )
    fields = [error.field for error in only_rejection(result).errors]
    assert fields == ["duration", "views", "published", "speakers[2].name"]


def test_messages_say_what_is_wrong_and_how_to_fix_it(tmp_path: Path) -> None:
    (error,) = only_rejection(read_record(tmp_path, duration="12:75")).errors
    assert error.field == "duration"
    assert error.message == (
        '"12:75" is not a duration: seconds must be 00-59; '
        "write MM:SS, H:MM:SS or ISO 8601 like PT1H2M3S"
    )


# --- Speakers -----------------------------------------------------------------------------


def test_speakers_as_display_line(tmp_path: Path) -> None:
    line = "BURLAUD Alain - LIRSA-CNAM | WALLISER Elisabeth - IAE de Nice |"
    speakers = published(read_record(tmp_path, speakers=line)).speakers
    assert [(s.name.family, s.name.given, s.institution) for s in speakers] == [
        ("BURLAUD", "Alain", "LIRSA-CNAM"),
        ("WALLISER", "Elisabeth", "IAE de Nice"),
    ]


@pytest.mark.parametrize(
    ("entry", "family", "given", "institution"),
    [
        ("JOULLIÉ Jean-Étienne - EMLV", "JOULLIÉ", "Jean-Étienne", "EMLV"),
        ("PASSANT Adrien Jean-Guy - EMLV", "PASSANT", "Adrien Jean-Guy", "EMLV"),
        (
            "DUPONT Marie - Université Paris-Dauphine",
            "DUPONT",
            "Marie",
            "Université Paris-Dauphine",
        ),
        ("DUPONT Marie - A - B", "DUPONT", "Marie - A", "B"),
        ("GAREL Gilles", "GAREL", "Gilles", None),
        ("  RIVAL   Madina  -   LIRSA-CNAM ", "RIVAL", "Madina", "LIRSA-CNAM"),
    ],
)
def test_display_entries_take_the_institution_after_the_last_dash(
    tmp_path: Path, entry: str, family: str, given: str, institution: str | None
) -> None:
    for speakers in (entry, [entry]):  # a whole display line, or one list item
        (speaker,) = published(read_record(tmp_path, speakers=speakers)).speakers
        assert (speaker.name.family, speaker.name.given) == (family, given)
        assert speaker.institution == institution


def test_speaker_objects_with_structured_names_and_identifiers(tmp_path: Path) -> None:
    speakers = [
        {
            "name": {"family": "Rival", "given": "Madina"},
            "institution": " LIRSA-CNAM ",
            "ids": {
                "orcid": "0000-0002-1825-0097",
                "idref": "027542084",
                "wikidata": "Q42",
            },
        },
        {"name": "PASSANT Adrien Jean-Guy"},
    ]
    result = read_record(tmp_path, speakers=speakers)
    first, second = published(result).speakers
    assert first.name.written == "RIVAL Madina"
    assert (first.name.family, first.name.given) == ("Rival", "Madina")
    assert first.institution == "LIRSA-CNAM"
    assert first.ids == {
        "orcid": ORCID,
        "idref": "http://www.idref.fr/027542084/id",
        "wikidata": "http://www.wikidata.org/entity/Q42",
    }
    assert (second.name.family, second.institution, second.ids) == ("PASSANT", None, {})
    assert not result.warnings


def test_malformed_identifiers_are_dropped_with_a_warning(tmp_path: Path) -> None:
    ids = {"orcid": "0000-0002-1825-0098", "isni": "0000 0001 2103 2683", "hal": "x"}
    result = read_record(tmp_path, speakers=[{"name": "RIVAL Madina", "ids": ids}])
    (speaker,) = published(result).speakers
    assert speaker.ids == {"isni": "https://isni.org/isni/0000000121032683"}
    assert [(w.field, w.line) for w in result.warnings] == [
        ("speakers[1].ids.orcid", 1),
        ("speakers[].ids.hal", 1),
    ]
    assert "check digit" in result.warnings[0].message


def test_a_name_without_capitals_warns_and_publishes(tmp_path: Path) -> None:
    result = read_record(tmp_path, speakers="Claire Vasseur-Lenoir - EMLV")
    (speaker,) = published(result).speakers
    assert (speaker.name.family, speaker.name.given) == ("Vasseur-Lenoir", "Claire")
    assert [w.field for w in result.warnings] == ["speakers[1].name"]


# --- Tombstones ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "record",
    [
        {"id": "v1", "deleted": True},
        {"id": "v1", "deleted": True, "title": "", "duration": "nonsense"},
    ],
)
def test_a_tombstone_needs_only_an_id(tmp_path: Path, record: dict[str, Any]) -> None:
    path = jsonl(tmp_path / "in.jsonl", record)
    result = read_inputs([path])
    assert result.events == {"v1": Tombstone(id="v1", source=str(path), line=1)}
    assert not result.rejections
    assert result.records_read == 1


def test_a_tombstone_with_a_bad_id_is_rejected(tmp_path: Path) -> None:
    rejection = only_rejection(
        read_inputs([jsonl(tmp_path / "in.jsonl", {"id": 7, "deleted": True})])
    )
    assert [e.field for e in rejection.errors] == ["id"]


def test_deleted_false_is_an_ordinary_record(tmp_path: Path) -> None:
    assert published(read_record(tmp_path, deleted=False)).title == BASE["title"]


# --- Unknown fields -----------------------------------------------------------------------


def test_unknown_fields_warn_once_per_name_per_run(tmp_path: Path) -> None:
    first = jsonl(
        tmp_path / "a.jsonl", {**BASE, "extra": 1}, {**BASE, "id": "v2", "extra": 2}
    )
    second = jsonl(tmp_path / "b.jsonl", {**BASE, "id": "v3", "extra": 3, "other": 4})
    result = read_inputs([first, second])
    assert set(result.events) == {"v1", "v2", "v3"}
    assert [(w.source, w.line, w.field) for w in result.warnings] == [
        (str(first), 1, "extra"),
        (str(second), 1, "other"),
    ]
    assert "ignored" in result.warnings[0].message


# --- JSON Lines ---------------------------------------------------------------------------


def test_jsonl_skips_blank_lines_and_counts_physical_lines(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        "\n" + json.dumps(BASE) + "\n   \n\n" + json.dumps({**BASE, "id": "v2"}) + "\n",
        encoding="utf-8",
    )
    result = read_inputs([path])
    assert [(e.id, e.line) for e in result.events.values()] == [("v1", 2), ("v2", 5)]
    assert result.records_read == 2


def test_jsonl_bad_bytes_reject_that_line_only(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    good = json.dumps(BASE).encode()
    path.write_bytes(
        good + b'\n{"id": "v2", "title": "caf\xe9"}\r\n' + good.replace(b"v1", b"v3")
    )
    result = read_inputs([path])
    assert set(result.events) == {"v1", "v3"}
    rejection = result.rejections[0]
    assert (rejection.line, rejection.record) == (2, None)
    assert rejection.raw == '{"id": "v2", "title": "caf\\xe9"}'
    assert "UTF-8" in rejection.errors[0].message


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "v2", "title": "cut', "column 23"),
        ('{"id": "v2",', "not valid JSON"),
        ('["v2"]', "a list is not a record"),
        ('"v2"', "not a record"),
        ("42", "not a record"),
        ('{"id": "v2", "views": NaN}', "NaN is not valid JSON"),
    ],
)
def test_jsonl_line_that_is_not_a_json_object_is_rejected(
    tmp_path: Path, line: str, message: str
) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(BASE) + "\n" + line + "\n", encoding="utf-8")
    result = read_inputs([path])
    assert set(result.events) == {"v1"}
    (rejection,) = result.rejections
    assert (rejection.line, rejection.raw, rejection.record) == (2, line, None)
    assert message in rejection.errors[0].message
    assert rejection.errors[0].field == ""


def test_jsonl_tolerates_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(BASE).encode() + b"\n")
    assert published(read_inputs([path])).id == "v1"


# --- JSON ---------------------------------------------------------------------------------


def test_json_array_records_get_the_line_they_start_on(tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_text(
        '[\n  {"id": "v1", "title": "a",\n   "speakers": "RIVAL Madina"},\n\n'
        '  {"id": "v2",\n "title": "b", "speakers": "GAREL Gilles"}, 3,\n'
        '  {"id": "v3", "title": "[{\\"x\\": 1}]", "speakers": "GRALL Bénédicte"}\n]\n',
        encoding="utf-8",
    )
    result = read_inputs([path])
    assert [(e.id, e.line) for e in result.events.values()] == [
        ("v1", 2),
        ("v2", 5),
        ("v3", 7),
    ]
    (rejection,) = result.rejections
    assert (rejection.line, rejection.raw) == (6, "3")
    assert result.records_read == 4


def test_json_records_member(tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_text(
        '{"exported": {"records": "not these"},\n "records": [\n'
        '  {"id": "v1", "title": "a", "speakers": "RIVAL Madina"},\n'
        '  {"id": "v2", "title": "b", "speakers": "GAREL Gilles"}\n ], "n": 2}',
        encoding="utf-8",
    )
    result = read_inputs([path])
    assert [(e.id, e.line) for e in result.events.values()] == [("v1", 3), ("v2", 4)]


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        (
            b'[\n {"id": "v1", "title": "a", "speakers": "X"},\n {"id": "v2"\n]',
            4,
            "line 4, column 1",
        ),
        (b"", 1, "line 1, column 1"),
        (b'[{"id": "v1"}, ]', 1, "column 16"),
        (b'{"id": "v1", "title": "a", "speakers": "X"}', 1, '{"records": [...]}'),
        (b'{"records": {"id": "v1"}}', 1, '{"records": [...]}'),
        (b'"v1"', 1, '{"records": [...]}'),
        (b'[{"id": "v1", "views": Infinity}]', 1, "Infinity"),
        (
            b'[\n{"id": "v1",\n "title": "caf\xe9"}]',
            3,
            "not UTF-8 (shown as \\xNN); save the file as UTF-8 (line 3)",
        ),
    ],
)
def test_a_json_file_that_does_not_parse_is_rejected_whole(
    tmp_path: Path, content: bytes, line: int, message: str
) -> None:
    path = tmp_path / "in.json"
    path.write_bytes(content)
    result = read_inputs([path])
    rejection = only_rejection(result)
    assert (rejection.source, rejection.line, rejection.record) == (
        str(path),
        line,
        None,
    )
    assert message in rejection.errors[0].message
    assert "whole file" in rejection.errors[0].message
    assert rejection.raw == content.decode("utf-8", "backslashreplace")


def test_json_tolerates_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps([BASE]).encode())
    assert published(read_inputs([path])).id == "v1"


# --- CSV ----------------------------------------------------------------------------------

HEADER = "id,title,speakers,keywords,themes,views,duration,deleted\n"


def csv_file(
    tmp_path: Path, body: str, header: str = HEADER, name: str = "in.csv"
) -> Path:
    path = tmp_path / name
    path.write_bytes((header + body).encode("utf-8"))
    return path


def test_csv_rows_with_lists_display_lines_and_empty_cells(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        'v1,Titre,"BURLAUD Alain - LIRSA-CNAM | WALLISER Elisabeth - IAE de Nice |",'
        "innovation; management;;innovation,Management,2 024 vues,52:52,\n"
        "v2,Autre,GAREL Gilles - LIRSA-CNAM,,,,,\n",
    )
    result = read_inputs([path])
    first, second = published(result, "v1"), published(result, "v2")
    assert [s.institution for s in first.speakers] == ["LIRSA-CNAM", "IAE de Nice"]
    assert first.keywords == ("innovation", "management")
    assert (first.themes, first.views, first.duration) == (
        ("Management",),
        2024,
        "PT52M52S",
    )
    assert (second.keywords, second.views, second.duration) == ((), None, None)
    assert (first.line, second.line) == (2, 3)
    assert second.raw == {
        "id": "v2",
        "title": "Autre",
        "speakers": "GAREL Gilles - LIRSA-CNAM",
    }


def test_csv_line_numbers_follow_multi_line_cells(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        'v1,"Titre\r\nsur deux lignes",RIVAL Madina,,,,,\r\n'
        "\r\n"
        'v2,"Un ""titre""\nsur\ntrois",GAREL Gilles,,,,,\n'
        "v3,Fin,GRALL Bénédicte,,,,,\n",
    )
    result = read_inputs([path])
    assert [(e.id, e.line) for e in result.events.values()] == [
        ("v1", 2),
        ("v2", 5),
        ("v3", 8),
    ]
    assert published(result, "v2").title == 'Un "titre"\nsur\ntrois'


@pytest.mark.parametrize(
    ("cell", "deleted"),
    [
        ("true", True),
        ("yes", True),
        ("1", True),
        ("TRUE", True),
        ("Yes", True),
        ("false", False),
        ("no", False),
        ("0", False),
        ("", False),
    ],
)
def test_csv_deleted_cell(tmp_path: Path, cell: str, deleted: bool) -> None:
    result = read_inputs([csv_file(tmp_path, f"v1,Titre,RIVAL Madina,,,,,{cell}\n")])
    assert isinstance(result.events["v1"], Tombstone) is deleted
    assert not result.rejections


def test_csv_deleted_cell_that_is_not_a_boolean_is_rejected(tmp_path: Path) -> None:
    result = read_inputs([csv_file(tmp_path, "v1,Titre,RIVAL Madina,,,,,maybe\n")])
    (error,) = only_rejection(result).errors
    assert error.field == "deleted" and "yes or 1" in error.message


def test_csv_a_numeric_looking_id_is_text(tmp_path: Path) -> None:
    assert published(
        read_inputs([csv_file(tmp_path, "123,T,RIVAL Madina,,,,,\n")]), "123"
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("v2,Titre,GAREL Gilles\n", "the row has 3 cells, the header has 8"),
        ("v2,Titre,GAREL Gilles,,,,,,,\n", "the row has 10 cells, the header has 8"),
        ('v2,"Titre" x,GAREL Gilles,,,,,\n', "not valid CSV"),
    ],
)
def test_csv_row_with_missing_or_extra_cells_is_rejected(
    tmp_path: Path, row: str, message: str
) -> None:
    path = csv_file(
        tmp_path, "v1,Titre,RIVAL Madina,,,,,\n" + row + "v3,T,GRALL B,,,,,\n"
    )
    result = read_inputs([path])
    assert set(result.events) == {"v1", "v3"}
    (rejection,) = result.rejections
    assert (rejection.line, rejection.raw, rejection.record) == (
        3,
        row.rstrip("\n"),
        None,
    )
    assert message in rejection.errors[0].message
    assert result.records_read == 3


def test_csv_missing_column_rejects_rows_naming_the_field(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "v1,Titre\n", header="id,title\n")
    (error,) = only_rejection(read_inputs([path])).errors
    assert (error.field, "is missing" in error.message) == ("speakers", True)


def test_csv_bad_bytes_reject_that_row_only(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(
        HEADER.encode() + b"v1,Titre,RIVAL Madina,,,,,\n"
        b'v2,"caf\xe9\ncr\xe8me",GAREL Gilles,,,,,\n' + b"v3,T,GRALL B,,,,,\n"
    )
    result = read_inputs([path])
    assert set(result.events) == {"v1", "v3"}
    (rejection,) = result.rejections
    assert rejection.line == 3
    assert rejection.raw == 'v2,"caf\\xe9\ncr\\xe8me",GAREL Gilles,,,,,'
    assert published(result, "v3").line == 5


def test_csv_tolerates_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(
        b"\xef\xbb\xbf" + HEADER.encode() + b"v1,Titre,RIVAL Madina,,,,,\n"
    )
    result = read_inputs([path])
    assert published(result).id == "v1"
    assert not result.warnings


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("id;title;speakers\n", "separated by commas"),
        ("id,title,id,speakers\n", "header names id more than once"),
    ],
)
def test_csv_with_an_unusable_header_is_not_read(
    tmp_path: Path, header: str, message: str
) -> None:
    rejection = only_rejection(
        read_inputs([csv_file(tmp_path, "v1;T;X\n", header=header)])
    )
    assert rejection.line == 1 and message in rejection.errors[0].message


# --- Several inputs, directories, paths ---------------------------------------------------


def test_a_later_record_replaces_an_earlier_one(tmp_path: Path) -> None:
    first = jsonl(tmp_path / "a.jsonl", {**BASE, "title": "A"}, {**BASE, "id": "v2"})
    second = jsonl(tmp_path / "b.jsonl", {**BASE, "title": "B"})
    result = read_inputs([first, second])
    assert published(result, "v1").title == "B"
    assert published(result, "v1").source == str(second)
    assert list(result.events) == ["v2", "v1"]
    assert result.records_read == 3


def test_tombstones_and_records_apply_in_order(tmp_path: Path) -> None:
    path = jsonl(
        tmp_path / "in.jsonl",
        BASE,
        {"id": "v1", "deleted": True},
        {**BASE, "id": "v2"},
        {**BASE, "id": "v2", "title": "again"},
        {"id": "v2", "deleted": True},
        {**BASE, "id": "v3"},
        {"id": "v3", "deleted": True},
        {**BASE, "id": "v3", "title": "back"},
    )
    result = read_inputs([path])
    assert result.events["v1"] == Tombstone("v1", str(path), 2)
    assert result.events["v2"] == Tombstone("v2", str(path), 5)
    assert published(result, "v3").title == "back"


def test_a_rejected_record_never_replaces_anything(tmp_path: Path) -> None:
    first = jsonl(tmp_path / "a.jsonl", {**BASE, "title": "good"})
    second = jsonl(tmp_path / "b.jsonl", {**BASE, "title": "newer", "views": -1})
    third = jsonl(tmp_path / "c.jsonl", {"id": "v1", "deleted": "yes"})
    result = read_inputs([first, second, third])
    assert published(result).title == "good"
    assert [r.source for r in result.rejections] == [str(second), str(third)]
    stays = [w for w in result.warnings if w.field == "id"]
    assert [w.source for w in stays] == [str(second), str(third)]
    assert f"({first}, line 1) stays" in stays[0].message


def test_a_directory_is_its_record_files_in_name_order(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    jsonl(folder / "b.jsonl", {**BASE, "title": "from b"})
    (folder / "a.json").write_text(
        json.dumps([{**BASE, "title": "from a"}]), encoding="utf-8"
    )
    csv_file(folder, "v1,from c,RIVAL Madina,,,,,\n", name="c.csv")
    jsonl(folder / "sub" / "z.jsonl", {**BASE, "title": "not read"})
    (folder / "notes.txt").write_text("ignored", encoding="utf-8")
    (folder / "README").write_text("ignored", encoding="utf-8")
    result = read_inputs([folder])
    assert published(result).title == "from c"
    assert result.records_read == 3
    assert not result.rejections and not result.warnings


@pytest.mark.parametrize("name", ["missing.jsonl", "missing-dir"])
def test_a_path_that_does_not_exist_is_a_usage_error(tmp_path: Path, name: str) -> None:
    with pytest.raises(UsageError, match=name):
        read_inputs([jsonl(tmp_path / "ok.jsonl", BASE), tmp_path / name])


@pytest.mark.parametrize("name", ["records.txt", "records.xml", "records"])
def test_a_file_of_another_kind_is_a_usage_error(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match=name):
        read_inputs([tmp_path / name])


# --- Authority files ----------------------------------------------------------------------


def test_authority_files_in_a_directory(tmp_path: Path) -> None:
    jsonl(tmp_path / "records.jsonl", BASE)
    (tmp_path / "institutions.csv").write_text(
        "label,name,alt_labels,parent,url,ror,idref,isni,wikidata\n"
        "LIRSA-CNAM,Laboratoire LIRSA,LIRSA; Lirsa;,CNAM,https://lirsa.cnam.fr,,,,Q42\n"
        "CNAM,Conservatoire national des arts et métiers,,,not a url,"
        "https://ror.org/02feahw73,027542085,0000 0001 2103 2683,\n"
        ",no label,,,,,,,\n",
        encoding="utf-8",
    )
    jsonl(
        tmp_path / "people.jsonl",
        {
            "name": "RIVAL  Madina",
            "orcid": "https://orcid.org/0000-0002-1825-0097",
            "hal": "x",
        },
        {"name": "GAREL Gilles", "viaf": "abc"},
    )
    result = read_inputs([tmp_path])
    assert set(result.events) == {"v1"} and result.records_read == 1
    lirsa, cnam = result.institutions["LIRSA-CNAM"], result.institutions["CNAM"]
    assert (lirsa.name, lirsa.alt_labels, lirsa.parent) == (
        "Laboratoire LIRSA",
        ("LIRSA", "Lirsa"),
        "CNAM",
    )
    assert (lirsa.url, lirsa.ids, lirsa.line) == (
        "https://lirsa.cnam.fr",
        {"wikidata": "http://www.wikidata.org/entity/Q42"},
        2,
    )
    assert cnam.url is None
    assert cnam.ids == {
        "ror": "https://ror.org/02feahw73",
        "isni": "https://isni.org/isni/0000000121032683",
    }
    assert set(result.institutions) == {"LIRSA-CNAM", "CNAM"}
    assert result.people["RIVAL Madina"].ids == {"orcid": ORCID}
    assert result.people["GAREL Gilles"].ids == {}
    warned = [(Path(w.source).name, w.line, w.field) for w in result.warnings]
    assert warned == [
        ("institutions.csv", 3, "url"),
        ("institutions.csv", 3, "idref"),
        ("institutions.csv", 4, "label"),
        ("people.jsonl", 1, "hal"),
        ("people.jsonl", 2, "viaf"),
    ]
    assert not result.rejections


def test_authority_files_given_directly(tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text(
        "name,orcid,idref\nRIVAL Madina,0000-0002-1825-0097,027542084\n",
        encoding="utf-8",
    )
    institutions = jsonl(
        tmp_path / "institutions.jsonl",
        {
            "label": "EMLV",
            "alt_labels": ["École de management Léonard de Vinci"],
            "ror": "03yrm5c26",
        },
    )
    result = read_inputs([people, institutions])
    assert result.people["RIVAL Madina"].ids == {
        "orcid": ORCID,
        "idref": "http://www.idref.fr/027542084/id",
    }
    emlv = result.institutions["EMLV"]
    assert emlv.alt_labels == ("École de management Léonard de Vinci",)
    assert emlv.ids == {"ror": "https://ror.org/03yrm5c26"}
    assert not result.events and result.records_read == 0


# --- The rejects file ---------------------------------------------------------------------


def test_rejects_round_trip(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(
        json.dumps({**BASE, "duration": "1h30", "views": "2 024 vues"}).encode()
        + b"\n"
        + b'{"id": "v2", "title": "cut\n'
        + b'{"id": "v3", "title": "caf\xe9", "speakers": "GAREL Gilles"}\n'
    )
    first = read_inputs([source])
    assert not first.events and len(first.rejections) == 3
    rejects = tmp_path / "out" / "rejects.jsonl"
    write_rejects(rejects, first.rejections)

    lines = [
        json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()
    ]
    assert lines[0] == first.rejections[0].to_json()
    assert lines[0]["record"]["duration"] == "1h30"
    assert lines[0]["errors"][0]["field"] == "duration"
    assert lines[1]["raw"] == '{"id": "v2", "title": "cut'
    assert (
        lines[2]["raw"]
        == '{"id": "v3", "title": "caf\\xe9", "speakers": "GAREL Gilles"}'
    )

    again = read_inputs(
        [rejects]
    )  # fed back unfixed: the same records are rejected again
    assert not again.events
    assert [r.errors[0].field for r in again.rejections] == ["duration", "", ""]
    assert again.rejections[0].record == lines[0]["record"]

    lines[0]["record"]["duration"] = "1:30:00"
    lines[1]["raw"] = '{"id": "v2", "title": "cut", "speakers": "GRALL Bénédicte"}'
    lines[2]["raw"] = lines[2]["raw"].replace("\\xe9", "é")
    rejects.write_text(
        "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines),
        encoding="utf-8",
    )
    fixed = read_inputs([rejects])
    assert not fixed.rejections
    assert published(fixed, "v1").duration == "PT1H30M"
    assert published(fixed, "v1").views == 2024
    assert published(fixed, "v2").title == "cut"
    assert published(fixed, "v3").title == "café"
    assert fixed.records_read == 3


def test_rejected_csv_rows_are_json_records_that_read_back(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        "v1,Titre,BURLAUD Alain - LIRSA-CNAM |,a;b,,2 024,12:75,no\nv2,T,,,,,,yes\n",
        header="id,title,speakers,keywords,themes,views,duration,deleted\n",
    )
    first = read_inputs([path])
    assert first.events == {"v2": Tombstone("v2", str(path), 3)}
    rejects = tmp_path / "rejects.jsonl"
    write_rejects(rejects, first.rejections)
    (entry,) = [
        json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()
    ]
    assert entry["record"]["deleted"] is False
    entry["record"]["duration"] = "12:15"
    rejects.write_text(json.dumps(entry) + "\n", encoding="utf-8")
    record = published(read_inputs([rejects]))
    assert (record.keywords, record.views, record.duration) == (
        ("a", "b"),
        2024,
        "PT12M15S",
    )


def test_write_rejects_keeps_text_as_utf8_and_lone_surrogates_as_escapes(
    tmp_path: Path,
) -> None:
    rejection = Rejection(
        "in.jsonl",
        4,
        (),
        record={"id": "v1", "title": "Joullié", "description": "x\ud800"},
    )
    path = tmp_path / "rejects.jsonl"
    write_rejects(path, [rejection])
    text = path.read_text(encoding="utf-8")
    assert "Joullié" in text and "\\ud800" in text
    assert json.loads(text)["record"]["description"] == "x\ud800"
