"""What a version remembers beside its graph: the records it was built from and their times.

Each version keeps the normalised records it publishes (`records.jsonl`) so that the next
build can apply its inputs on top of them, and a `manifest.json` with the dataset's
modification time, the withdrawn ids (410 Gone) and the authority rows in force.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from publisher.model import InstitutionAuthority, PersonAuthority, PersonName, Record, Speaker


@dataclass(frozen=True)
class LedgerEntry:
    record: Record
    modified: str  # xsd:dateTime, UTC: when this record's content last changed
    digest: str  # of the normalised content, to tell a real change from a re-import
    created: str  # when this record was first published (again, after a withdrawal)


@dataclass(frozen=True)
class EntityTimes:
    """A person's, an institution's or a theme's times, carried from version to version."""

    created: str  # when its IRI was first published (again, after a removal)
    modified: str  # when its own statements last changed
    digest: str  # of its own statements


@dataclass
class Manifest:
    version: str
    created: str  # when this version was published (the dataset's modification time)
    base: str
    triples: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    withdrawn: dict[str, str] = field(default_factory=dict)  # id -> when it was withdrawn
    removed: dict[str, str] = field(default_factory=dict)  # person, institution or theme IRI -> when it left
    institutions: list[dict[str, Any]] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Manifest:
        return cls(**json.loads(path.read_text(encoding="utf-8")))

    def institution_rows(self) -> dict[str, InstitutionAuthority]:
        rows = (InstitutionAuthority(**{**r, "alt_labels": tuple(r["alt_labels"])}) for r in self.institutions)
        return {row.label: row for row in rows}

    def people_rows(self) -> dict[str, PersonAuthority]:
        return {r["name"]: PersonAuthority(**r) for r in self.people}


_CONTENT_FIELDS = tuple(f.name for f in fields(Record) if f.name not in ("raw", "source", "line", "speakers"))


def record_content(record: Record) -> dict[str, Any]:
    """The record's normalised content, without provenance (dataclasses.asdict is 10x slower)."""
    content = {name: getattr(record, name) for name in _CONTENT_FIELDS}
    content["speakers"] = [
        {"name": {"family": s.name.family, "given": s.name.given, "written": s.name.written},
         "institution": s.institution, "ids": s.ids}
        for s in record.speakers
    ]
    return content


def digest(record: Record) -> str:
    return _digest_of(record_content(record))


def _digest_of(content: dict[str, Any]) -> str:
    text = json.dumps(content, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def ledger_line(record: Record, created: str, modified: str, known_digest: str | None) -> str:
    """One line of `records.jsonl`; the digest is computed here when not known yet."""
    content = json.dumps(record_content(record), ensure_ascii=False, sort_keys=True)
    known_digest = known_digest or hashlib.sha256(content.encode("utf-8")).hexdigest()[:32]
    head = json.dumps({"created": created, "modified": modified, "digest": known_digest,
                       "source": record.source, "line": record.line})
    return head[:-1] + ', "record": ' + content + "}\n"  # the content is serialised once, for both


def read_ledger(path: Path) -> Iterator[LedgerEntry]:
    with path.open(encoding="utf-8") as rows:
        for text in rows:
            yield ledger_entry(text)


def ledger_entry(text: str | bytes) -> LedgerEntry:
    """One line of `records.jsonl`, read back."""
    row = json.loads(text)
    record = _record(row["record"], row["source"], row["line"])
    # A ledger written before first-publication times were kept knows only the last change.
    created = row.get("created", row["modified"])
    return LedgerEntry(record=record, modified=row["modified"], digest=row["digest"], created=created)


def _record(content: dict[str, Any], source: str, line: int) -> Record:
    speakers = tuple(
        Speaker(name=PersonName(**s["name"]), institution=s["institution"], ids=s["ids"])
        for s in content["speakers"]
    )
    return Record(
        **{
            **content,
            "speakers": speakers,
            "keywords": tuple(content["keywords"]),
            "themes": tuple(content["themes"]),
            "source": source,
            "line": line,
        }
    )
