"""`publisher links accept`: the suggestions a librarian accepted, written into the authority files.

Under records.md a people row is a name as written in speaker lines with its identifiers, and
an institution row's `alt_labels` are labels that name it. So an accepted person gets a new
row, the published name with the candidate's identifiers, copied from the candidate's own row
(which stays); an accepted institution gets its published label added to the candidate's
`alt_labels`. Every other line of the files is kept byte for byte, and each file is replaced
at once (written aside, then renamed), only when every accepted row is valid.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from publisher.authorities import normalise_identifier
from publisher.errors import PublisherError
from publisher.linking import COLUMNS, INSTITUTION, PERSON, read_authorities
from publisher.model import AUTHORITIES, InstitutionAuthority, PersonAuthority
from publisher.sources import read_csv
from publisher.store.version import PublishedVersion
from publisher.terms import OWL, RDF, SCHEMA, fold, make_slug

YES = frozenset({"yes", "y", "x", "1", "true", "oui", "o"})
NO = frozenset({"", "no", "n", "0", "false", "non"})
REQUIRED = ("entity", "kind", "published_name", "candidate", "accept")

KINDS = {SCHEMA + "Person": PERSON, SCHEMA + "Organization": INSTITUTION}


class LinkInputError(PublisherError):
    """Accepted suggestions that cannot be applied; nothing was written."""


@dataclass
class Outcome:
    accepted: int = 0
    written: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Accepted:
    line: int
    entity: str
    kind: str
    name: str  # the published name, to add to the authority file
    row: PersonAuthority | InstitutionAuthority


def accept(suggestions: Path, authority_files: Sequence[str | Path], version: PublishedVersion) -> Outcome:
    people, institutions, _ = read_authorities(authority_files)
    outcome, errors = Outcome(), []
    accepted: list[Accepted] = []
    source = str(suggestions)
    _check_header(suggestions)
    for item in read_csv(suggestions):
        if item.data is None:
            errors.append(f"{source}:{item.line}: -: {item.error}")
            continue
        try:
            found = _accepted_row(item.data, item.line, version, people, institutions, outcome)
        except _RowError as problem:
            errors.append(f"{source}:{item.line}: {problem.field}: {problem}")
            continue
        if found is not None:
            accepted.append(found)
    errors += _conflicts(source, accepted)
    if errors:
        raise LinkInputError("nothing was written:\n" + "\n".join(errors))
    edits = _Edits()
    for link in accepted:
        edits.add(link, outcome)
    outcome.written = edits.write()
    outcome.accepted = len(accepted)
    return outcome


class _RowError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _check_header(path: Path) -> None:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = [name.strip() for name in next(csv.reader(handle), [])]
    unknown = [name for name in header if name not in COLUMNS]
    missing = [name for name in REQUIRED if name not in header]
    if unknown or missing:
        problems = [f"unknown column {name!r}" for name in unknown] + [f"no {name!r} column" for name in missing]
        raise LinkInputError(
            f"{path}:1: header: {'; '.join(problems)}; the columns are those `links suggest` writes: {', '.join(COLUMNS)}"
        )


def _accepted_row(
    data: dict[str, Any], line: int, version: PublishedVersion, people: dict[str, PersonAuthority],
    institutions: dict[str, InstitutionAuthority], outcome: Outcome,
) -> Accepted | None:
    answer = str(data.get("accept", "")).strip().lower()
    if answer in NO:
        return None
    if answer not in YES:
        raise _RowError("accept", f"{answer!r} is neither yes nor no; write yes to accept, or leave it empty")
    kind, entity = data.get("kind", ""), data.get("entity", "")
    if kind not in (PERSON, INSTITUTION):
        raise _RowError("kind", f"{kind!r} is not a kind; write person or institution")
    published_kind, names, same = _published(version, entity)
    if published_kind is None:
        raise _RowError("entity", f"<{entity}> is not a person or institution published in this store")
    if published_kind != kind:
        raise _RowError("kind", f"<{entity}> is published as a {published_kind}, not a {kind}")
    name = data.get("published_name", "")
    if name not in names:
        raise _RowError("published_name", f"{name!r} is not a name published for <{entity}> ({', '.join(sorted(names))})")
    ids = _identifiers(data)
    if same:
        outcome.notes.append(f"line {line}: <{entity}> is already linked ({', '.join(sorted(same))}); row skipped")
        return None
    row = _find_row(kind, data.get("candidate", ""), ids, people, institutions)
    if kind == INSTITUTION:
        _check_label(name, row, institutions)
    return Accepted(line, entity, kind, name, row)


def _check_label(name: str, row: PersonAuthority | InstitutionAuthority, rows: dict[str, InstitutionAuthority]) -> None:
    if ";" in name:
        raise _RowError("published_name", f"{name!r} holds ';', which an alt_labels cell cannot: add it by hand, in JSON")
    # The build takes a label for the first row that names it: another row would keep it.
    for other in rows.values():
        if other is not row and fold(name) in {fold(v) for v in (other.label, *other.alt_labels)}:
            raise _RowError("published_name", f"{name!r} is already a label of {other.source}, line {other.line}: "
                                              "give that row these identifiers instead, or take the label out of it")


def _published(version: PublishedVersion, entity: str) -> tuple[str | None, set[str], set[str]]:
    """The entity's kind (None if it is not a published person or institution), names and sameAs."""
    import pyoxigraph as ox

    if not entity.startswith(("http://", "https://")) or any(c in entity for c in '<>" {}|\\^`'):
        return None, set(), set()
    node = ox.NamedNode(entity)

    def values(predicate: str) -> set[str]:
        return {row["o"].value for row in version.query(f"SELECT ?o WHERE {{ {node} <{predicate}> ?o }}")}

    kinds = [KINDS[t] for t in values(RDF + "type") if t in KINDS]
    names = values(SCHEMA + "name") | values(SCHEMA + "alternateName")
    return (kinds[0] if kinds else None), names, values(OWL + "sameAs")


def _identifiers(data: dict[str, Any]) -> dict[str, str]:
    ids = {}
    for authority in AUTHORITIES:
        value = data.get(authority)
        if value:
            try:
                ids[authority] = normalise_identifier(authority, value)
            except ValueError as problem:
                raise _RowError(authority, str(problem)) from None
    if not ids:
        raise _RowError("orcid", f"no identifier; give at least one of {', '.join(AUTHORITIES)}")
    return ids


def _find_row(
    kind: str, name: str, ids: dict[str, str], people: dict[str, PersonAuthority],
    institutions: dict[str, InstitutionAuthority],
) -> PersonAuthority | InstitutionAuthority:
    rows: list[PersonAuthority | InstitutionAuthority] = list(people.values() if kind == PERSON else institutions.values())
    file = "people" if kind == PERSON else "institutions"
    for row in rows:
        if (row.name if isinstance(row, PersonAuthority) else row.label) == name and row.ids == ids:
            return row
    raise _RowError("candidate", f"no row of the {file} files given is {name!r} with these identifiers "
                                 f"({', '.join(sorted(ids.values()))}); was the file changed since `links suggest`?")


def _conflicts(source: str, accepted: list[Accepted]) -> list[str]:
    errors: list[str] = []
    entities: dict[str, int] = {}
    rows: dict[tuple[str, int], int] = {}
    for link in accepted:
        key = (link.row.source, link.row.line)
        if link.entity in entities:
            errors.append(f"{source}:{link.line}: entity: <{link.entity}> is accepted twice "
                          f"(also line {entities[link.entity]}); accept one candidate")
        elif key in rows and link.kind == PERSON:  # institutions: both labels become alt_labels of one
            errors.append(f"{source}:{link.line}: candidate: {link.row.source}:{link.row.line} is accepted for two "
                          f"people (also line {rows[key]}); one person's identifiers name one person")
        entities.setdefault(link.entity, link.line)
        rows.setdefault(key, link.line)
    return errors


# --- the files --------------------------------------------------------------------------


class _Edits:
    """The changes to each authority file: lines replaced (by line number) and rows appended."""

    def __init__(self) -> None:
        self.files: dict[str, _File] = {}

    def add(self, link: Accepted, outcome: Outcome) -> None:
        file = self.files.setdefault(link.row.source, _File(Path(link.row.source)))
        if isinstance(link.row, PersonAuthority):
            file.append_copy(link.row.line, "name", link.name)
            return
        file.add_alt_label(link.row.line, link.name)
        slug, current = make_slug(link.row.label), link.entity.rsplit("/", 1)[-1]
        if slug != current:
            outcome.notes.append(
                f"{link.entity} will be published as organization/{slug}, after the authority row's label "
                f"{link.row.label!r}, at the next build"
            )

    def write(self) -> list[Path]:
        for file in self.files.values():
            file.save()
        return [file.path for file in self.files.values()]


class _File:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.text = path.read_bytes().decode("utf-8")
        self.lines = self.text.splitlines(keepends=True)
        self.newline = "\r\n" if self.lines and self.lines[0].endswith("\r\n") else "\n"
        self.csv = path.suffix.lower() == ".csv"
        self.spans = _csv_spans(self.lines) if self.csv else {}
        self.header = [name.strip() for name in next(iter(self.spans.values()))[1]] if self.spans else []
        self.appended: list[str] = []
        self.changed: dict[int, dict[str, Any]] = {}  # rows rewritten, by their first line

    def _cells(self, line: int) -> dict[str, Any]:
        if line in self.changed:
            return self.changed[line]
        if self.csv:
            _, cells = self.spans[line]
            return dict(zip(self.header, cells, strict=False))
        return dict(json.loads(self.lines[line - 1].lstrip("\ufeff")))

    def _encode(self, cells: dict[str, Any]) -> str:
        if not self.csv:
            return json.dumps(cells, ensure_ascii=False) + self.newline
        out = io.StringIO()
        csv.writer(out, lineterminator=self.newline).writerow([cells.get(name, "") for name in self.header])
        return out.getvalue()

    def append_copy(self, line: int, field: str, value: str) -> None:
        cells = self._cells(line)
        cells[field] = value
        self.appended.append(self._encode(cells))

    def add_alt_label(self, line: int, label: str) -> None:
        if self.csv and "alt_labels" not in self.header:
            raise LinkInputError(f"{self.path}:1: header: no alt_labels column; add one (it may stay empty) and run again")
        cells: dict[str, Any] = self._cells(line)
        alts: Any = cells.get("alt_labels") or []
        if isinstance(alts, str):
            alts = [a for a in (part.strip() for part in alts.split(";")) if a]
        cells["alt_labels"] = ";".join([*alts, label]) if self.csv else [*alts, label]
        self.changed[line] = cells

    def save(self) -> None:
        for line, cells in self.changed.items():
            start, end = (line - 1, self.spans[line][0]) if self.csv else (line - 1, line)
            ending = self.newline if self.lines[end - 1].endswith(("\n", "\r")) else ""
            self.lines[start:end] = [self._encode(cells).removesuffix(self.newline) + ending] + [""] * (end - start - 1)
        body = "".join(self.lines)
        if self.appended and body and not body.endswith(("\n", "\r")):
            body += self.newline
        replace_file(self.path, lambda out: out.write(body + "".join(self.appended)))


def _csv_spans(lines: list[str]) -> dict[int, tuple[int, list[str]]]:
    """Each CSV row by its first line (1-based): the line after its last, and its cells."""
    spans: dict[int, tuple[int, list[str]]] = {}
    position = 0

    def feed() -> Any:
        nonlocal position
        while position < len(lines):
            position += 1
            yield lines[position - 1].lstrip("\ufeff") if position == 1 else lines[position - 1]

    reader = csv.reader(feed())
    start = 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            spans[start] = (position, cells)
        start = position + 1
    return spans


def replace_file(path: Path, write: Callable[[IO[str]], Any]) -> None:
    """Write `path` aside and rename it into place, so that a reader never sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
