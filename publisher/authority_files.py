"""Rows of the optional authority files `institutions.*` and `people.*` (records.md).

A row that cannot be used is skipped with a warning: these files only enrich what the records
publish, so a bad row never stops a record. A malformed identifier or address is dropped from
its row, also with a warning.
"""

from __future__ import annotations

from typing import Any

from publisher.authorities import normalise_identifier
from publisher.contract import absent
from publisher.fields import FieldProblem, Notes, check_iri, check_text_list, kind
from publisher.model import FieldError, InstitutionAuthority, PersonAuthority

INSTITUTION_ID_KEYS = ("ror", "idref", "isni", "wikidata")
PERSON_ID_KEYS = ("orcid", "idref", "isni", "viaf", "wikidata")
INSTITUTION_COLUMNS = frozenset(
    {"label", "name", "alt_labels", "parent", "url", *INSTITUTION_ID_KEYS}
)
PERSON_COLUMNS = frozenset({"name", *PERSON_ID_KEYS})


def institution_row(
    data: dict[str, Any], source: str, line: int, notes: Notes
) -> InstitutionAuthority | None:
    notes.unknown.extend(key for key in data if key not in INSTITUTION_COLUMNS)
    label = _label(
        data, "label", "the label as written in speaker lines, e.g. LIRSA-CNAM", notes
    )
    alt_labels: tuple[str, ...] = ()
    if not absent(data.get("alt_labels")):
        alt_labels, errors = check_text_list(data["alt_labels"], "alt_labels")
        notes.warnings.extend(_dropped(error) for error in errors)
    if label is None:
        return None
    return InstitutionAuthority(
        label=label,
        name=_optional_text(data, "name", notes),
        alt_labels=tuple(" ".join(alt.split()) for alt in alt_labels),
        parent=_optional_text(data, "parent", notes),
        url=_url(data, notes),
        ids=_identifiers(data, INSTITUTION_ID_KEYS, notes),
        source=source,
        line=line,
    )


def person_row(
    data: dict[str, Any], source: str, line: int, notes: Notes
) -> PersonAuthority | None:
    notes.unknown.extend(key for key in data if key not in PERSON_COLUMNS)
    name = _label(
        data, "name", "the name as written in speaker lines, e.g. RIVAL Madina", notes
    )
    if name is None:
        return None
    ids = _identifiers(data, PERSON_ID_KEYS, notes)
    return PersonAuthority(name=name, ids=ids, source=source, line=line)


def _dropped(error: FieldError) -> FieldError:
    return FieldError(error.field, f"{error.message}; it was left out")


def _label(data: dict[str, Any], field: str, what: str, notes: Notes) -> str | None:
    value = data.get(field)
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    problem = "is missing" if absent(value) else f"{kind(value)} is not text"
    notes.errors.append(
        FieldError(field, f"{problem}; write {what}. The row was skipped")
    )
    return None


def _optional_text(data: dict[str, Any], field: str, notes: Notes) -> str | None:
    value = data.get(field)
    if absent(value):
        return None
    if not isinstance(value, str):
        notes.warnings.append(
            FieldError(field, f"{kind(value)} is not text; it was left out")
        )
        return None
    return " ".join(value.split())


def _url(data: dict[str, Any], notes: Notes) -> str | None:
    if absent(data.get("url")):
        return None
    try:
        return check_iri(data["url"])
    except FieldProblem as problem:
        notes.warnings.append(FieldError("url", f"{problem}; it was left out"))
        return None


def _identifiers(
    data: dict[str, Any], keys: tuple[str, ...], notes: Notes
) -> dict[str, str]:
    ids: dict[str, str] = {}
    for key in keys:
        if absent(data.get(key)):
            continue
        try:
            ids[key] = normalise_identifier(key, data[key])
        except ValueError as problem:
            notes.warnings.append(
                FieldError(key, f"{problem}; the identifier was left out")
            )
    return ids
