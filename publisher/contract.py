"""One record, as read from any form, checked against records.md and normalised.

`check_record` turns a JSON object (or a CSV row made into one) into a `Record` or a
`Tombstone`, or finds every reason it cannot be published.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from publisher.fields import (
    FieldProblem,
    Notes,
    check_deleted,
    check_description,
    check_duration,
    check_id,
    check_iri,
    check_language,
    check_published,
    check_text_list,
    check_title,
    check_views,
)
from publisher.model import FieldError, Record, Tombstone
from publisher.speakers import check_speakers

_OPTIONAL: dict[str, Callable[[Any], Any]] = {
    "description": check_description,
    "language": check_language,
    "duration": check_duration,
    "views": check_views,
    "published": check_published,
    "url": check_iri,
    "embed_url": check_iri,
    "content_url": check_iri,
    "thumbnail": check_iri,
    "license": check_iri,
}
_LISTS = ("keywords", "themes")
KNOWN_FIELDS = frozenset({"id", "title", "speakers", "deleted", *_OPTIONAL, *_LISTS})

_REQUIRED_HOW = {
    "id": 'write the platform\'s identifier, e.g. "id": "v1234"',
    "title": "write the video's title",
    "speakers": 'write at least one, e.g. "RIVAL Madina - LIRSA-CNAM"',
}


def absent(value: Any) -> bool:
    """null and blank text mean "not given", as an empty CSV cell does."""
    return value is None or (isinstance(value, str) and not value.strip())


def check_record(
    data: dict[str, Any], source: str = "", line: int = 0, plain: bool = False
) -> tuple[Record | Tombstone | None, Notes]:
    """The record's normal form, or None with every error in the notes.

    `plain` says the text is known to hold no lone surrogate (see sources.Item)."""
    notes = Notes()
    notes.unknown.extend(key for key in data if key not in KNOWN_FIELDS)
    if not plain:
        _check_text_encodable(data, notes)
    record_id = _required(data, "id", check_id, notes)
    if _deleted(data, notes):
        if notes.errors or record_id is None:
            return None, notes
        return Tombstone(id=record_id, source=source, line=line), notes
    values: dict[str, Any] = {"title": _required(data, "title", check_title, notes)}
    for name, check in _OPTIONAL.items():
        if not absent(data.get(name)):
            values[name] = _checked(name, data[name], check, notes)
    for name in _LISTS:
        if not absent(data.get(name)):
            values[name], errors = check_text_list(data[name], name)
            notes.errors.extend(errors)
    if absent(data.get("speakers")):
        notes.errors.append(
            FieldError("speakers", f"is missing; {_REQUIRED_HOW['speakers']}")
        )
    else:
        values["speakers"] = check_speakers(data["speakers"], notes)
    if notes.errors or record_id is None:
        return None, notes
    return Record(id=record_id, source=source, line=line, raw=data, **values), notes


def _deleted(data: dict[str, Any], notes: Notes) -> bool:
    value = data.get("deleted")
    if value is None:
        return False
    return bool(_checked("deleted", value, check_deleted, notes))


def _required(
    data: dict[str, Any], name: str, check: Callable[[Any], Any], notes: Notes
) -> Any:
    if absent(data.get(name)):
        notes.errors.append(FieldError(name, f"is missing; {_REQUIRED_HOW[name]}"))
        return None
    return _checked(name, data[name], check, notes)


def _checked(name: str, value: Any, check: Callable[[Any], Any], notes: Notes) -> Any:
    try:
        return check(value)
    except FieldProblem as problem:
        notes.errors.append(FieldError(name, str(problem)))
        return None


def _check_text_encodable(data: dict[str, Any], notes: Notes) -> None:
    """JSON can escape half a surrogate pair (`\\ud800`), which is not text: no file could
    hold it as UTF-8, so the record is refused here rather than breaking the build later."""
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
        return  # the common case, in one pass
    except UnicodeEncodeError:
        pass
    for name, value in data.items():
        if not _encodable(value):
            notes.errors.append(
                FieldError(
                    name,
                    "contains a lone surrogate escape (\\uD800-\\uDFFF), which is not a "
                    "character; write the character itself or its full surrogate pair",
                )
            )


def _encodable(value: Any) -> bool:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, list):
        return all(_encodable(item) for item in value)
    if isinstance(value, dict):
        return all(_encodable(key) and _encodable(item) for key, item in value.items())
    return True
