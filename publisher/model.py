"""The values that cross module boundaries: records as read, authority rows, problems.

`records.py` produces these from input files; `entities.py`, `mapping.py` and `build.py`
consume them. All text is already normalised as `../README.md` documents (durations to
ISO 8601, views to integers, identifiers to canonical IRIs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

AUTHORITIES = ("orcid", "idref", "isni", "viaf", "wikidata", "ror")


@dataclass(frozen=True)
class PersonName:
    """A speaker's name split the way the platform writes it (`RIVAL Madina`)."""

    family: str  # as written: "RIVAL", "DE LA FONTAINE", "Vasseur-Lenoir"
    given: str  # "Madina", "Adrien Jean-Guy"; may be empty
    written: str  # exactly as the record wrote it, or "FAMILY Given" for a structured name


@dataclass(frozen=True)
class Speaker:
    name: PersonName
    institution: str | None = None  # the label as written on the record ("LIRSA-CNAM")
    ids: dict[str, str] = field(default_factory=dict)  # authority -> canonical IRI


@dataclass(frozen=True)
class Record:
    """One valid video record, normalised."""

    id: str
    title: str
    speakers: tuple[Speaker, ...]
    description: str | None = None
    language: str = "fr"
    duration: str | None = None  # xsd:duration lexical form, e.g. "PT3M59S"
    views: int | None = None
    published: str | None = None  # xsd:date or xsd:dateTime lexical form
    url: str | None = None
    embed_url: str | None = None
    content_url: str | None = None
    thumbnail: str | None = None
    license: str | None = None
    keywords: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    source: str = ""  # file the record came from
    line: int = 0  # 1-based line (JSONL, JSON) or row (CSV, header is line 1)
    raw: dict[str, Any] = field(default_factory=dict, compare=False)  # the record as read


@dataclass(frozen=True)
class Tombstone:
    """`deleted: true`: withdraw a record that was published before."""

    id: str
    source: str = ""
    line: int = 0


@dataclass(frozen=True)
class FieldError:
    field: str  # a record field name (`views`, `speakers[2].name`), or "" for the whole line
    message: str


@dataclass(frozen=True)
class Rejection:
    """A record that is not published, kept whole so that the user can fix and resubmit it."""

    source: str
    line: int
    errors: tuple[FieldError, ...]
    record: dict[str, Any] | None = None  # the record as read, when it could be read
    raw: str | None = None  # the line's text otherwise (undecodable bytes as \\xNN)

    @property
    def id(self) -> str | None:
        value = (self.record or {}).get("id")
        return value if isinstance(value, str) else None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "source": self.source,
            "line": self.line,
            "errors": [{"field": e.field, "message": e.message} for e in self.errors],
        }
        if self.record is not None:
            out["record"] = self.record
        else:
            out["raw"] = self.raw
        return out


@dataclass(frozen=True)
class Warning_:
    """Something the user should know that did not stop a record from being published."""

    source: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.field}: {self.message}"


@dataclass(frozen=True)
class InstitutionAuthority:
    """A row of `institutions.csv` / `.jsonl`."""

    label: str
    name: str | None = None
    alt_labels: tuple[str, ...] = ()
    parent: str | None = None
    url: str | None = None
    ids: dict[str, str] = field(default_factory=dict)  # authority -> canonical IRI
    source: str = ""
    line: int = 0


@dataclass(frozen=True)
class PersonAuthority:
    """A row of `people.csv` / `.jsonl`."""

    name: str  # as written in speaker lines
    ids: dict[str, str] = field(default_factory=dict)
    source: str = ""
    line: int = 0


@dataclass
class ReadResult:
    """Everything read from a run's inputs, in input order."""

    # Each id's last valid event: a Record (publish/replace) or a Tombstone (withdraw).
    events: dict[str, Record | Tombstone] = field(default_factory=dict)
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    institutions: dict[str, InstitutionAuthority] = field(default_factory=dict)  # by label
    people: dict[str, PersonAuthority] = field(default_factory=dict)  # by name as written
    records_read: int = 0  # every record-shaped thing seen, good or bad
