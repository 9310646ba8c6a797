"""Library authority identifiers: short form or IRI in, the authority's canonical IRI out.

Each identifier's shape and check digit are verified, so that a mistyped identifier is
dropped with a warning instead of linking a person to somebody else's record.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from publisher.terms import AUTHORITY_IRI

# The IRI spellings people paste, per authority; group 1 is the short form.
_HOST = r"(?:https?://)?(?:www\.)?"
_IRI_FORMS = {
    "orcid": re.compile(_HOST + r"orcid\.org/([^/?#]+)/?", re.IGNORECASE),
    "idref": re.compile(_HOST + r"idref\.fr/([^/?#]+)(?:/id)?/?", re.IGNORECASE),
    "isni": re.compile(_HOST + r"isni\.org/(?:isni/)?([^/?#]+)/?", re.IGNORECASE),
    "viaf": re.compile(_HOST + r"viaf\.org/viaf/([^/?#]+)/?", re.IGNORECASE),
    "wikidata": re.compile(
        _HOST + r"wikidata\.org/(?:wiki|entity)/([^/?#]+)/?", re.IGNORECASE
    ),
    "ror": re.compile(_HOST + r"ror\.org/([^/?#]+)/?", re.IGNORECASE),
}

CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"


class IdentifierError(ValueError):
    """A malformed identifier; the message says what is wrong and how to fix it."""


def mod11_2(digits: str) -> str:
    """ISO 7064 Mod 11-2 check character of a digit string (ORCID, ISNI)."""
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


def ppn_check(digits: str) -> str:
    """IdRef (Sudoc PPN) check character: weights 9..2 over the 8 digits, modulo 11."""
    total = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def ror_check(body: str) -> str:
    """ROR checksum: ISO 7064 Mod 97-10 over the Crockford base32 value of the first
    7 characters, as ROR's own generator computes it (98 - n*100 mod 97, two digits)."""
    value = 0
    for char in body:
        value = value * 32 + CROCKFORD.index(char)
    return f"{98 - (value * 100) % 97:02d}"


def _orcid(value: str) -> str:
    compact = value.replace("-", "").upper()
    if not re.fullmatch(r"\d{15}[\dX]", compact):
        raise IdentifierError(
            f'ORCID "{value}" is not 16 digits (the last may be X) like 0000-0002-1825-0097'
        )
    _verify(value, "ORCID", compact[-1], mod11_2(compact[:-1]))
    return "-".join(compact[i : i + 4] for i in range(0, 16, 4))


def _isni(value: str) -> str:
    compact = re.sub(r"[\s-]", "", value).upper()
    if not re.fullmatch(r"\d{15}[\dX]", compact):
        raise IdentifierError(
            f'ISNI "{value}" is not 16 digits (the last may be X) like 0000 0001 2103 2683'
        )
    _verify(value, "ISNI", compact[-1], mod11_2(compact[:-1]))
    return compact


def _idref(value: str) -> str:
    ppn = value.upper()
    if not re.fullmatch(r"\d{8}[\dX]", ppn):
        raise IdentifierError(
            f'IdRef "{value}" is not a PPN of 9 characters (8 digits, then a digit or X) '
            "like 027542084"
        )
    _verify(value, "IdRef", ppn[-1], ppn_check(ppn[:-1]))
    return ppn


def _viaf(value: str) -> str:
    if not re.fullmatch(r"\d+", value):
        raise IdentifierError(
            f'VIAF "{value}" is not a VIAF number (digits only) like 113230702'
        )
    return value


def _wikidata(value: str) -> str:
    qid = value.upper()
    if not re.fullmatch(r"Q[1-9]\d*", qid):
        raise IdentifierError(f'Wikidata "{value}" is not an item identifier like Q42')
    return qid


def _ror(value: str) -> str:
    ror = value.lower()
    if not re.fullmatch(r"0[0-9a-hjkmnp-tv-z]{6}\d{2}", ror):
        raise IdentifierError(
            f'ROR "{value}" is not a ROR identifier (0, 6 letters or digits, 2 check digits) '
            "like 02feahw73"
        )
    _verify(value, "ROR", ror[7:], ror_check(ror[:7]))
    return ror


def _verify(value: str, label: str, found: str, expected: str) -> None:
    if found != expected:
        raise IdentifierError(
            f'{label} "{value}" has a wrong check digit (the other characters call for '
            f"{expected}, not {found}): it was probably mistyped; copy it again from the "
            f"{label} record"
        )


_SHORT_FORMS: dict[str, Callable[[str], str]] = {
    "orcid": _orcid,
    "isni": _isni,
    "idref": _idref,
    "viaf": _viaf,
    "wikidata": _wikidata,
    "ror": _ror,
}


def normalise_identifier(authority: str, value: str) -> str:
    """The canonical IRI (`terms.AUTHORITY_IRI`) of an identifier in short or IRI form.

    Raises ValueError (IdentifierError) when the identifier is malformed.
    """
    if authority not in _SHORT_FORMS:
        known = ", ".join(_SHORT_FORMS)
        raise IdentifierError(
            f'unknown authority "{authority}"; the known ones are {known}'
        )
    if not isinstance(value, str):
        raise IdentifierError(
            f"{authority} identifier {value!r} is not a string; write it in quotes"
        )
    text = value.strip()
    if not text:
        raise IdentifierError(f"{authority} identifier is empty")
    match = _IRI_FORMS[authority].fullmatch(text)
    short = match.group(1) if match else text
    return AUTHORITY_IRI[authority].format(_SHORT_FORMS[authority](short))
