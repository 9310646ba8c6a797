"""Speakers' names as the platform writes them: `FAMILY Given`, family name in capitals.

`parse_name` splits a written name, `structured_name` builds one from `{"family", "given"}`,
`recase_family` and `display_name` give the forms people read (`Madina Rival`).
"""

from __future__ import annotations

import re

from publisher.model import PersonName

# Lower-cased when they lead a family name written in capitals (`DE LA FONTAINE` -> `de La
# Fontaine`). Articles only when they come first: after `de` French capitalises them.
_PARTICLES = frozenset(
    {
        "de",
        "du",
        "des",
        "van",
        "von",
        "der",
        "den",
        "di",
        "da",
        "dos",
        "das",
        "do",
        "del",
    }
    | {"della", "dei", "ten", "ter", "zu", "vom"}
)
_ARTICLES = frozenset({"la", "le", "les"})
_ELISIONS = frozenset({"d", "l"})  # d'Almeida, l'Hoste
_APOSTROPHES = "'\u2019"

# An initial (`J.`, `J.-P.`, `J.P.`) is a given name even though it is in capitals.
_INITIAL = re.compile(r"(?:[^\W\d_]\.)(?:-?[^\W\d_]\.)*")


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _is_family_word(word: str) -> bool:
    """A word in capitals: has letters, none of them lower-case, and is not an initial."""
    has_cased = word.upper() != word.lower()
    return has_cased and word == word.upper() and not _INITIAL.fullmatch(word)


def parse_name(text: str) -> tuple[PersonName, str | None]:
    """Split `RIVAL Madina` into family and given name; the str is a warning, or None.

    The family name is the leading words in capitals. A name without such words takes its
    last word as the family name, and the warning says so.
    """
    written = _collapse(text)
    if not written:
        raise ValueError(
            "the name is empty; write it as FAMILY Given, e.g. RIVAL Madina"
        )
    words = written.split(" ")
    count = 0
    while count < len(words) and _is_family_word(words[count]):
        count += 1
    if count == len(words) and count > 1:
        return _all_capitals(words, written)
    if count == 0:
        family, given = words[-1], " ".join(words[:-1])
        suggestion = f"{family.upper()} {given}".strip()
        warning = (
            f'"{written}" has no family name in capitals; "{family}" was taken as the '
            f"family name. Write it as the platform does ({suggestion}) or as "
            '{"family": ..., "given": ...}'
        )
        return PersonName(family=family, given=given, written=written), warning
    family, given = " ".join(words[:count]), " ".join(words[count:])
    return PersonName(family=family, given=given, written=written), None


def _all_capitals(words: list[str], written: str) -> tuple[PersonName, str | None]:
    """`RIVAL MADINA`: no way to see where the family name ends; take the first word
    (with any leading particles) and warn."""
    count = 1
    while count < len(words) - 1 and words[count - 1].lower() in _PARTICLES | _ARTICLES:
        count += 1
    family, given = " ".join(words[:count]), " ".join(words[count:])
    warning = (
        f'"{written}" is all in capitals; "{family}" was taken as the family name. '
        f"Write the given name in lower case ({family} {given.title()}) or use "
        '{"family": ..., "given": ...}'
    )
    return PersonName(family=family, given=given, written=written), warning


def structured_name(family: str, given: str = "") -> PersonName:
    """A name given as `{"family": "Rival", "given": "Madina"}`, written `RIVAL Madina`."""
    family, given = _collapse(family), _collapse(given)
    if not family:
        raise ValueError(
            '"family" is empty; write the family name, e.g. {"family": "Rival"}'
        )
    written = f"{family.upper()} {given}".strip()
    return PersonName(family=family, given=given, written=written)


def _capitalise(part: str) -> str:
    """`ALMEIDA` -> `Almeida`; `O'BRIEN` -> `O'Brien`."""
    for mark in _APOSTROPHES:
        if mark in part:
            head, _, tail = part.partition(mark)
            if head.lower() in _ELISIONS:
                return head.lower() + mark + _capitalise(tail)
            return _capitalise(head) + mark + _capitalise(tail)
    return part[:1].upper() + part[1:].lower()


def _recase_word(word: str) -> str:
    return "-".join(_capitalise(part) for part in word.split("-"))


def recase_family(family: str) -> str:
    """`RIVAL` -> `Rival`, `DE LA FONTAINE` -> `de La Fontaine`, `D'ALMEIDA` -> `d'Almeida`.

    A family name that is not all in capitals was written by someone who chose its case:
    it is kept as is.
    """
    if family != family.upper():
        return family
    words = family.split()
    out: list[str] = []
    leading = True
    for index, word in enumerate(words):
        lowered = word.lower()
        last = index == len(words) - 1
        # French keeps an article capitalised (`Le Goff`, `de La Fontaine`): only particles drop.
        particle = lowered in _PARTICLES
        if leading and particle and not last:
            out.append(lowered)
            continue
        leading = False
        out.append(_recase_word(word))
    return " ".join(out)


def display_name(name: PersonName) -> str:
    """`Given Family` with the family name re-cased: `Madina Rival`, `Jean de La Fontaine`."""
    family = recase_family(name.family)
    return f"{name.given} {family}" if name.given else family
