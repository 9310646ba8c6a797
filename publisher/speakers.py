"""A record's `speakers`: JSON objects, or the platform's display line
`BURLAUD Alain - LIRSA-CNAM | WALLISER Elisabeth - IAE de Nice`.

Speakers are numbered from 1 in field names (`speakers[2].name`), as on the record's page.
"""

from __future__ import annotations

from typing import Any

from publisher.authorities import normalise_identifier
from publisher.fields import Notes, kind, show
from publisher.model import FieldError, PersonName, Speaker
from publisher.names import parse_name, structured_name

SPEAKER_ID_KEYS = ("orcid", "idref", "isni", "viaf", "wikidata")
_SPEAKER_KEYS = frozenset({"name", "institution", "ids"})
_EXAMPLE = '[{"name": "RIVAL Madina", "institution": "LIRSA-CNAM"}] or "RIVAL Madina - LIRSA-CNAM"'


def check_speakers(value: Any, notes: Notes) -> tuple[Speaker, ...]:
    """Every speaker of a record; problems go to `notes` (errors reject the record)."""
    if isinstance(value, str):
        entries: list[Any] = [part for part in value.split("|") if part.strip()]
    elif isinstance(value, list):
        entries = value
    else:
        notes.errors.append(
            FieldError(
                "speakers", f"{kind(value)} is not a list of speakers; write {_EXAMPLE}"
            )
        )
        return ()
    if not entries:
        notes.errors.append(
            FieldError("speakers", f"no speaker is given; write {_EXAMPLE}")
        )
        return ()
    speakers = []
    for index, entry in enumerate(entries, start=1):
        speaker = _speaker(entry, f"speakers[{index}]", notes)
        if speaker is not None:
            speakers.append(speaker)
    return tuple(speakers)


def _speaker(entry: Any, where: str, notes: Notes) -> Speaker | None:
    if isinstance(entry, str):
        if "|" in entry:
            notes.errors.append(
                FieldError(
                    where, f"{show(entry)} holds several speakers; give one a list item"
                )
            )
            return None
        return _display_entry(entry, where, notes)
    if isinstance(entry, dict):
        return _speaker_object(entry, where, notes)
    notes.errors.append(
        FieldError(where, f"{kind(entry)} is not a speaker; write {_EXAMPLE}")
    )
    return None


def _display_entry(entry: str, where: str, notes: Notes) -> Speaker | None:
    """`RIVAL Madina - LIRSA-CNAM`: the institution is after the last ` - `."""
    text = " ".join(entry.split())
    if text.endswith(" -"):
        notes.errors.append(
            FieldError(
                f"{where}.institution",
                f"{show(entry)} has nothing after the dash; write the institution after "
                '" - " or remove the dash',
            )
        )
        return None
    written, separator, institution = text.rpartition(" - ")
    if not separator:
        written, institution = text, ""
    name = _parse(written, f"{where}.name", notes)
    if name is None:
        return None
    return Speaker(name=name, institution=institution or None)


def _parse(written: str, where: str, notes: Notes) -> PersonName | None:
    try:
        name, warning = parse_name(written)
    except ValueError as problem:
        notes.errors.append(FieldError(where, str(problem)))
        return None
    if warning:
        notes.warnings.append(FieldError(where, warning))
    return name


def _speaker_object(entry: dict[str, Any], where: str, notes: Notes) -> Speaker | None:
    notes.unknown.extend(
        f"speakers[].{key}" for key in entry if key not in _SPEAKER_KEYS
    )
    errors_before = len(notes.errors)
    name = _name(entry.get("name"), f"{where}.name", notes)
    institution = _institution(entry.get("institution"), f"{where}.institution", notes)
    ids = _ids(entry.get("ids"), f"{where}.ids", notes)
    if name is None or len(notes.errors) > errors_before:
        return None
    return Speaker(name=name, institution=institution, ids=ids)


def _name(value: Any, where: str, notes: Notes) -> PersonName | None:
    if isinstance(value, str):
        return _parse(value, where, notes)
    if isinstance(value, dict):
        notes.unknown.extend(
            f"speakers[].name.{key}" for key in value if key not in ("family", "given")
        )
        family, given = value.get("family"), value.get("given") or ""
        if not isinstance(family, str) or not isinstance(given, str):
            how = 'write {"family": "Rival", "given": "Madina"} with text values'
            notes.errors.append(
                FieldError(where, f"family and given must be text; {how}")
            )
            return None
        try:
            return structured_name(family, given)
        except ValueError as error:
            notes.errors.append(FieldError(where, str(error)))
            return None
    how = 'write it as "RIVAL Madina" or {"family": "Rival", "given": "Madina"}'
    wrong = (
        "the speaker has no name" if value is None else f"{kind(value)} is not a name"
    )
    notes.errors.append(FieldError(where, f"{wrong}; {how}"))
    return None


def _institution(value: Any, where: str, notes: Notes) -> str | None:
    """The label as written, whitespace collapsed; None when absent."""
    if value is None:
        return None
    if not isinstance(value, str):
        how = 'write its label, e.g. "EMLV"'
        notes.errors.append(
            FieldError(where, f"{kind(value)} is not an institution; {how}")
        )
        return None
    return " ".join(value.split()) or None


def _ids(value: Any, where: str, notes: Notes) -> dict[str, str]:
    """Known identifiers as canonical IRIs; malformed ones are dropped with a warning."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        how = 'write an object like {"orcid": "0000-0002-1825-0097"}'
        notes.errors.append(FieldError(where, f"{kind(value)} is not an object; {how}"))
        return {}
    ids: dict[str, str] = {}
    for key, identifier in value.items():
        if key not in SPEAKER_ID_KEYS:
            notes.unknown.append(f"speakers[].ids.{key}")
        elif identifier is not None and identifier != "":
            try:
                ids[key] = normalise_identifier(key, identifier)
            except ValueError as problem:
                notes.warnings.append(
                    FieldError(
                        f"{where}.{key}", f"{problem}; the identifier was left out"
                    )
                )
    return ids
