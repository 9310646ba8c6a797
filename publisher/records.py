"""Read a run's inputs (records.md): record files, directories of them, authority files.

`read_inputs` applies every input in order: each id ends with its last valid event (a record
or a tombstone); a rejected record never replaces anything. Rejected records are kept whole,
and `write_rejects` writes them where the user can fix them and feed the file back.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from publisher.authority_files import (
    INSTITUTION_COLUMNS,
    PERSON_COLUMNS,
    institution_row,
    person_row,
)
from publisher.contract import KNOWN_FIELDS, check_record
from publisher.errors import UsageError
from publisher.fields import Notes
from publisher.model import (
    FieldError,
    InstitutionAuthority,
    PersonAuthority,
    ReadResult,
    Record,
    Rejection,
    Tombstone,
    Warning_,
)
from publisher.sources import Item, read_csv, read_json, read_jsonl

READERS: dict[str, Callable[[Path], Iterator[Item]]] = {
    ".jsonl": read_jsonl,
    ".json": read_json,
    ".csv": read_csv,
}
AUTHORITY_FILES = ("institutions", "people")


def read_inputs(paths: Sequence[str | Path]) -> ReadResult:
    """Every record, tombstone, rejection, warning and authority row of the inputs.

    Raises UsageError, before reading anything, for a path that does not exist or a file
    that is not .jsonl, .json or .csv.
    """
    run = _Run()
    for path in input_files(paths):
        if path.stem in AUTHORITY_FILES:
            run.read_authority(path)
        else:
            run.read_records(path)
    return run.result


def input_files(paths: Sequence[str | Path]) -> list[Path]:
    """The files the inputs stand for: a directory gives its own files, in name order."""
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            inside = [p for p in path.iterdir() if p.is_file() and _readable(p)]
            files.extend(sorted(inside, key=lambda p: p.name))
        elif not path.exists():
            raise UsageError(f"input not found: {given}")
        elif _readable(path):
            files.append(path)
        else:
            raise UsageError(
                f"{given}: not an input the publisher reads; give .jsonl, .json or .csv "
                "files, or directories holding them"
            )
    return files


def _readable(path: Path) -> bool:
    return path.suffix.lower() in READERS


def write_rejects(path: str | Path, rejections: Sequence[Rejection]) -> None:
    """The rejects file: JSON Lines, one `Rejection.to_json()` object a line, UTF-8."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # backslashreplace writes a lone surrogate as its own JSON escape, so it reads back.
    with target.open(
        "w", encoding="utf-8", errors="backslashreplace", newline="\n"
    ) as out:
        for rejection in rejections:
            out.write(json.dumps(rejection.to_json(), ensure_ascii=False) + "\n")


class _Run:
    """The state of one run: the result so far and the unknown fields already warned about."""

    def __init__(self) -> None:
        self.result = ReadResult()
        self.unknown_warned: set[str] = set()

    def read_records(self, path: Path) -> None:
        source = str(path)
        for item in READERS[path.suffix.lower()](path):
            self.result.records_read += 1
            if item.data is None:
                error = FieldError("", item.error)
                self._reject(Rejection(source, item.line, (error,), raw=item.raw))
                continue
            outcome, notes = check_record(item.data, source, item.line, item.plain)
            self._note(source, item.line, notes, KNOWN_FIELDS)
            if outcome is None:
                self._reject(
                    Rejection(source, item.line, tuple(notes.errors), record=item.data)
                )
            else:
                self._apply(outcome)

    def _apply(self, event: Record | Tombstone) -> None:
        # Re-inserted so that the events keep the order of their last occurrence.
        self.result.events.pop(event.id, None)
        self.result.events[event.id] = event

    def _reject(self, rejection: Rejection) -> None:
        self.result.rejections.append(rejection)
        earlier = self.result.events.get(rejection.id or "")
        if earlier is not None:
            self._warn(
                rejection.source,
                rejection.line,
                "id",
                f"this record was rejected, so the earlier one with id {rejection.id} "
                f"({earlier.source}, line {earlier.line}) stays",
            )

    def read_authority(self, path: Path) -> None:
        source, kind = str(path), path.stem
        for item in READERS[path.suffix.lower()](path):
            if item.data is None:
                self._warn(source, item.line, "", f"{item.error}. The row was skipped")
                continue
            notes = Notes()
            if kind == "people":
                self._add_person(person_row(item.data, source, item.line, notes))
                self._note(source, item.line, notes, PERSON_COLUMNS, prefix="people.")
            else:
                self._add_institution(
                    institution_row(item.data, source, item.line, notes)
                )
                self._note(
                    source,
                    item.line,
                    notes,
                    INSTITUTION_COLUMNS,
                    prefix="institutions.",
                )
            for error in notes.errors:
                self._warn(source, item.line, error.field, error.message)

    def _add_person(self, row: PersonAuthority | None) -> None:
        if row is not None:
            self._replace(self.result.people, row.name, row)
            self.result.people[row.name] = row

    def _add_institution(self, row: InstitutionAuthority | None) -> None:
        if row is not None:
            self._replace(self.result.institutions, row.label, row)
            self.result.institutions[row.label] = row

    def _replace(self, rows: dict[str, Any], key: str, row: Any) -> None:
        earlier = rows.get(key)
        if earlier is not None:
            self._warn(
                row.source,
                row.line,
                "",
                f'"{key}" was already given ({earlier.source}, line {earlier.line}); '
                "this row replaces it",
            )

    def _note(
        self,
        source: str,
        line: int,
        notes: Notes,
        known: frozenset[str],
        prefix: str = "",
    ) -> None:
        """The notes' warnings, and one warning a run for each unknown field name."""
        for warning in notes.warnings:
            self._warn(source, line, warning.field, warning.message)
        for name in notes.unknown:
            key = prefix + name
            if key in self.unknown_warned:
                continue
            self.unknown_warned.add(key)
            nested = "." in name or "[" in name
            hint = "" if nested else f" (the fields are {', '.join(sorted(known))})"
            self._warn(
                source,
                line,
                name,
                f"unknown field, ignored{hint}; this is said once a run",
            )

    def _warn(self, source: str, line: int, field: str, message: str) -> None:
        self.result.warnings.append(Warning_(source, line, field, message))
