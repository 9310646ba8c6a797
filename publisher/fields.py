"""Checks and normal forms of a record's scalar fields (records.md, "Fields of a record").

Each `check_*` takes the value as read (JSON value, or CSV cell text) and returns its normal
form, or raises `FieldProblem` whose message says what is wrong and how to write it.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import isodate

from publisher.model import FieldError

DURATION_FORMS = "write MM:SS, H:MM:SS or ISO 8601 like PT1H2M3S"
DATE_FORMS = "write YYYY-MM-DD or an ISO 8601 date-time like 2024-03-01T10:00:00+01:00"

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,127}")

# BCP 47 (RFC 5646) langtag or private-use tag, case-insensitive; grandfathered tags aside.
_LANGUAGE = re.compile(
    r"""(?:
      (?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})   # language, extlang
      (?:-[a-z]{4})?                                # script
      (?:-(?:[a-z]{2}|\d{3}))?                      # region
      (?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*           # variants
      (?:-[a-wyz\d](?:-[a-z\d]{2,8})+)*             # extensions
      (?:-x(?:-[a-z\d]{1,8})+)?                     # private use
    | x(?:-[a-z\d]{1,8})+ )""",
    re.IGNORECASE | re.VERBOSE,
)

_CLOCK = re.compile(r"(\d+):(\d{2})(?::(\d{2}))?")
_ISO_DURATION = re.compile(
    r"P(?!$)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:[.,]\d+)?S)?)?"
)

_SPACE = "[ \u00a0\u202f]"  # ordinary, non-breaking and narrow no-break spaces
_VIEWS = re.compile(
    rf"(\d+|\d{{1,3}}(?:{_SPACE}\d{{3}})+)(?:{_SPACE}*vues?)?", re.IGNORECASE
)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?"
)

_NOT_IN_IRI = set('<>"{}|\\^`')


class FieldProblem(ValueError):
    """A field value that breaks the contract; str(self) is the message for the user."""


@dataclass
class Notes:
    """What checking one record found, before it is tied to a file and line."""

    errors: list[FieldError] = field(default_factory=list)
    warnings: list[FieldError] = field(default_factory=list)  # (field, message) pairs
    unknown: list[str] = field(
        default_factory=list
    )  # unknown field names, warned once a run


def show(value: Any) -> str:
    """A value as the user wrote it, in JSON syntax, shortened."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


def kind(value: Any) -> str:
    """What a JSON value is, in words."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {show(value)}"
    if isinstance(value, (int, float)):
        return f"the number {show(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"the text {show(value)}"


def text(value: Any, how: str) -> str:
    """The value as a string with surrounding whitespace removed, or a problem."""
    if not isinstance(value, str):
        raise FieldProblem(f"{kind(value)} is not text; {how}")
    return value.strip()


def check_id(value: Any) -> str:
    how = 'write it as a string of letters, digits and . _ ~ - like "v1234"'
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise FieldProblem(
            f'{kind(value)} is not a string; write it in quotes: "{value}"'
        )
    found = text(value, how)
    if not found:
        raise FieldProblem(f"id is empty; {how}")
    if not _ID.fullmatch(found):
        raise FieldProblem(
            f"{show(found)} is not a valid id: it must start with a letter or digit and "
            f"hold only letters, digits and . _ ~ - (at most 128 characters); {how}"
        )
    return found


def check_title(value: Any) -> str:
    found = text(value, "write the title as text")
    if not found:
        raise FieldProblem("the title is empty; write the video's title")
    return found


def check_description(value: Any) -> str | None:
    found = text(value, "write the description as text")
    return found.replace("\r\n", "\n").replace("\r", "\n") or None


def check_language(value: Any) -> str:
    """A BCP 47 tag, stored lower-cased (tags are case-insensitive)."""
    how = "write a BCP 47 language tag like fr, en or fr-CA"
    found = text(value, how)
    if "_" in found:
        raise FieldProblem(f"{show(found)} uses _; {how} (with a hyphen)")
    if not _LANGUAGE.fullmatch(found):
        raise FieldProblem(f"{show(found)} is not a language tag; {how}")
    return found.lower()


def check_duration(value: Any) -> str:
    """`MM:SS`, `H:MM:SS` or ISO 8601 -> xsd:duration without zero components."""
    found = text(value, DURATION_FORMS)
    clock = _CLOCK.fullmatch(found)
    if clock:
        return duration_lexical(_clock_seconds(found, clock))
    if _ISO_DURATION.fullmatch(found):
        return duration_lexical(_iso_seconds(found))
    raise FieldProblem(f"{show(found)} is not a duration; {DURATION_FORMS}")


def _clock_seconds(found: str, clock: re.Match[str]) -> Decimal:
    first, second, third = clock.groups()
    if third is None:  # MM:SS; minutes may exceed 59 (a 75-minute talk is 75:00)
        hours, minutes, seconds = 0, int(first), int(second)
    else:
        hours, minutes, seconds = int(first), int(second), int(third)
        if minutes > 59:
            raise FieldProblem(
                f"{show(found)} is not a duration: minutes must be 00-59 in H:MM:SS; "
                f"{DURATION_FORMS}"
            )
    if seconds > 59:
        raise FieldProblem(
            f"{show(found)} is not a duration: seconds must be 00-59; {DURATION_FORMS}"
        )
    return Decimal(hours * 3600 + minutes * 60 + seconds)


def _iso_seconds(found: str) -> Decimal:
    try:
        parsed = isodate.parse_duration(found)
    except (isodate.ISO8601Error, ValueError) as error:
        raise FieldProblem(
            f"{show(found)} is not a duration ({error}); {DURATION_FORMS}"
        ) from None
    if isinstance(parsed, isodate.Duration):
        raise FieldProblem(
            f"{show(found)} counts years or months, which have no fixed length "
            "(P1M is a month; a minute is PT1M); write hours, minutes and seconds like PT1H30M"
        )
    whole = parsed.days * 86400 + parsed.seconds
    return Decimal(whole) + Decimal(parsed.microseconds) / 1_000_000


def duration_lexical(total: Decimal) -> str:
    """Seconds -> `PT1H2M3S`, hours/minutes/seconds carried, zero components left out."""
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{int(hours)}H" if hours else "", f"{int(minutes)}M" if minutes else ""]
    if seconds:
        parts.append(format(seconds.normalize(), "f") + "S")
    return "PT" + ("".join(parts) or "0S")


def check_views(value: Any) -> int:
    how = "write a whole number of views ≥ 0 like 2024"
    if isinstance(value, (bool, float)):
        raise FieldProblem(f"{kind(value)} is not a view count; {how}")
    if isinstance(value, int):
        if value < 0:
            raise FieldProblem(f"{value} is negative; {how}")
        return value
    found = text(value, how)
    match = _VIEWS.fullmatch(found)
    if not match:
        raise FieldProblem(
            f'{show(found)} is not a view count; {how} (or "2 024 vues")'
        )
    return int(re.sub(_SPACE, "", match.group(1)))


def check_published(value: Any) -> str:
    """`YYYY-MM-DD` or an ISO 8601 date-time -> xsd:date / xsd:dateTime lexical form."""
    found = text(value, DATE_FORMS)
    if _DATE.fullmatch(found):
        _real(found, datetime.date.fromisoformat)
        return found
    match = _DATETIME.fullmatch(found)
    if not match:
        raise FieldProblem(f"{show(found)} is not a date; {DATE_FORMS}")
    day, hour_minute, seconds, offset = match.groups()
    lexical = f"{day}T{hour_minute}{seconds or ':00'}{_offset(found, offset)}"
    _real(lexical, datetime.datetime.fromisoformat)
    return lexical


def _offset(found: str, offset: str | None) -> str:
    """The time-zone offset as given, written `+HH:MM` as xsd requires (`+0200` -> `+02:00`)."""
    if offset is None or offset == "Z":
        return offset or ""
    digits = offset[1:].replace(":", "").ljust(4, "0")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if minutes > 59 or hours * 60 + minutes > 14 * 60:
        raise FieldProblem(
            f"{show(found)} has the offset {offset}, outside -14:00..+14:00; {DATE_FORMS}"
        )
    return f"{offset[0]}{digits[:2]}:{digits[2:]}"


def _real(lexical: str, parse: Any) -> None:
    try:
        parse(lexical)
    except ValueError as error:
        raise FieldProblem(
            f"{show(lexical)} is not a real date or time ({error}); {DATE_FORMS}"
        ) from None


# The common case, checked in one pass; anything else goes through the slow path that
# says precisely what is wrong.
_PLAIN_HTTP_IRI = re.compile(r"[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#\[\]<>\"{}|\\^`\x00-\x20\x7f-\x9f]+[^\s<>\"{}|\\^`\x00-\x20\x7f-\x9f]*")


def check_iri(value: Any) -> str:
    """An absolute http(s) IRI that can be written between < > in N-Triples."""
    how = "write an absolute address starting with https:// or http://"
    found = text(value, how)
    if _PLAIN_HTTP_IRI.fullmatch(found):
        return found
    for char in found:
        if char.isspace():
            raise FieldProblem(
                f"{show(found)} contains a space, which an address cannot hold; "
                "percent-encode it as %20"
            )
        if ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
            raise FieldProblem(
                f"{show(found)} contains the control character U+{ord(char):04X}; remove it"
            )
        if char in _NOT_IN_IRI:
            raise FieldProblem(
                f"{show(found)} contains {char}, which an address cannot hold; "
                f"percent-encode it as %{ord(char):02X}"
            )
    try:
        parts = urlsplit(found)
    except ValueError as error:
        raise FieldProblem(f"{show(found)} is not an address ({error}); {how}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise FieldProblem(f"{show(found)} is not an absolute http(s) address; {how}")
    return found


def check_text_list(value: Any, name: str) -> tuple[tuple[str, ...], list[FieldError]]:
    """A list of strings, or one `;`-joined string: stripped, empties and repeats dropped."""
    errors: list[FieldError] = []
    if isinstance(value, str):
        items: list[Any] = value.split(";")
    elif isinstance(value, list):
        items = value
    else:
        how = 'write a list of strings like ["a", "b"], or one string "a; b"'
        return (), [FieldError(name, f"{kind(value)} is not a list; {how}")]
    kept: dict[str, None] = {}
    for index, item in enumerate(items, start=1):
        if not isinstance(item, str):
            errors.append(
                FieldError(
                    f"{name}[{index}]", f"{kind(item)} is not text; write it in quotes"
                )
            )
            continue
        if item.strip():
            kept.setdefault(item.strip(), None)
    return tuple(kept), errors


def check_deleted(value: Any) -> bool:
    if not isinstance(value, bool):
        raise FieldProblem(
            f"{kind(value)} is not true or false; write true to withdraw the record "
            "(in CSV also yes or 1)"
        )
    return value
