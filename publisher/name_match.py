"""How alike a published name and an authority row's name are, with the reasons in words.

Pure: strings in, a score in [0, 1] and evidence out. People: the family name must be close
(a typo, a particle or a hyphen may differ), then the given names are compared in order,
an initial counting for a little less than a whole name. Institutions: every published
label against the row's label, name and alt_labels, in any word order, or as an acronym.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from publisher.names import parse_name
from publisher.terms import fold

_WORD = re.compile(r"[a-z0-9]+")
# Left out when family names are compared: `DE LA FONTAINE` = `La Fontaine` = `Fontaine, Jean de`.
_PARTICLES = frozenset({"de", "du", "des", "d", "la", "le", "les", "l", "van", "von", "der", "den", "di", "da", "dos",
                        "das", "do", "del", "della", "dei", "ten", "ter", "zu", "vom"})
# Not part of an acronym: `Laboratoire ... de l'action` -> LIRSA... .
_STOPWORDS = _PARTICLES | {"et", "en", "au", "aux", "a", "sur", "pour", "the", "of", "and", "for", "in"}
FAMILY_FLOOR = 0.75  # below this the family names differ: not a candidate at all
TYPO_FLOOR = 0.85  # two words this alike are one word mistyped
INITIAL_WEIGHT = 0.85  # an initial that fits is weaker evidence than a whole name
ACRONYM_SCORE = 0.9
PARTIAL_WEIGHT = 0.9  # the row gives fewer given names than are published


@functools.lru_cache(maxsize=1 << 16)
def words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(text)))


@dataclass(frozen=True)
class Match:
    score: float
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Reading:
    """One way of reading an authority row's name: which words are the family name."""

    family: tuple[str, ...]
    given: tuple[str, ...]
    how: str


@functools.lru_cache(maxsize=1 << 14)
def readings(name: str) -> tuple[Reading, ...]:
    """`Rival, M.` has one reading; `Madina Rival` two (family last, or first)."""
    if "," in name:
        family, _, given = name.partition(",")
        return (Reading(words(family), words(given), "family name before the comma"),)
    try:
        parsed, warning = parse_name(name)
    except ValueError:
        return ()
    if warning is None:
        return (Reading(words(parsed.family), words(parsed.given), "family name in capitals"),)
    found = name.split()
    if len(found) < 2:
        return (Reading(words(name), (), "one word"),)
    # No telling where the family name starts: every split, family last or first
    # (`Claire Vasseur Lenoir`, `Jean de La Fontaine`, `Rival Madina`).
    out = []
    for cut in range(1, len(found)):
        out.append(Reading(_words_of(found[cut:]), _words_of(found[:cut]), "family name last"))
        out.append(Reading(_words_of(found[:cut]), _words_of(found[cut:]), "family name first"))
    return tuple(out)


def _words_of(parts: list[str]) -> tuple[str, ...]:
    return words(" ".join(parts))


def family_key(tokens: tuple[str, ...]) -> str:
    kept = [t for t in tokens if t not in _PARTICLES] or list(tokens)
    return "".join(kept)


def _family_similarity(published: tuple[str, ...], row: tuple[str, ...]) -> float:
    plain = fuzz.ratio(family_key(published), family_key(row))
    whole = fuzz.ratio("".join(published), "".join(row))
    return max(plain, whole) / 100


def _given_similarity(published: tuple[str, ...], row: tuple[str, ...]) -> tuple[float, str]:
    if not row:
        return 0.5, "the row gives no given name"
    if not published:
        return 0.5, "no given name is published"
    scores, initials = [], 0
    for n, token in enumerate(row):
        other = published[n] if n < len(published) else ""
        if len(token) == 1:
            initials += 1
            scores.append(1.0 if other[:1] == token else 0.0)
        else:
            scores.append(fuzz.ratio(token, other) / 100)
    positional = sum(scores) / len(scores)
    # `J.` or `Anne` for `Jean-Marc` or `Anne-Sophie`: it fits, but says less than the whole.
    partial, part = (PARTIAL_WEIGHT, " (but not all of them)") if len(row) < len(published) else (1.0, "")
    if initials:
        if min(scores) < 1:
            return positional * INITIAL_WEIGHT * partial, "the initials do not all fit the given names"
        return INITIAL_WEIGHT * partial, f"the given name is written as initials, which fit{part}"
    joined = fuzz.ratio("".join(published), "".join(row)) / 100
    best = max(positional * partial, joined)
    said = "the given names are the same" if best == 1 else f"the given names are alike ({best:.0%})"
    return best, said + (part if best == positional * partial < 1 else "")


def person_match(family: str, given: str, row_name: str) -> Match | None:
    """The published person (family and given names as published) against a row's name."""
    published_family, published_given = words(family), words(given)
    best: Match | None = None
    for reading in readings(row_name):
        family_score = _family_similarity(published_family, reading.family)
        if family_score < FAMILY_FLOOR:
            continue
        given_score, given_words = _given_similarity(published_given, reading.given)
        score = 0.55 * family_score + 0.45 * given_score
        family_words = (
            "the family names are the same" if family_score == 1
            else f"the family names are alike ({family_score:.0%}: a typo, a particle or a hyphen)"
        )
        match = Match(round(score, 3), (f"{family_words} ({reading.how})", given_words))
        if best is None or match.score > best.score:
            best = match
    return best


@functools.lru_cache(maxsize=1 << 14)
def acronym(text: str) -> str:
    return "".join(w[0] for w in words(text) if w not in _STOPWORDS)


class LabelIndex:
    """How telling each word of the institutions' labels is: `institut`, `université` or
    `recherche` are in many labels and say little; `Valenciennes` or `LIRSA` say a lot
    (inverse document frequency, as in Cohen, Ravikumar and Fienberg's soft TF-IDF)."""

    def __init__(self, labels: list[str]) -> None:
        counts: dict[str, int] = {}
        for label in labels:
            for word in set(self.words(label)):
                counts[word] = counts.get(word, 0) + 1
        self.size = len(labels) + 1
        self.idf = {word: math.log(self.size / n) for word, n in counts.items()}

    @staticmethod
    @functools.lru_cache(maxsize=1 << 16)
    def words(label: str) -> tuple[str, ...]:
        return tuple(w for w in words(label) if w not in _STOPWORDS)

    def weight(self, word: str) -> float:
        return self.idf.get(word, math.log(self.size))

    def similarity(self, a: str, b: str) -> float:
        left, right = self.words(a), self.words(b)
        if not left or not right:
            return 0.0
        matched = sum(self.weight(w) * _closest(w, right) for w in left)
        matched += sum(self.weight(w) * _closest(w, left) for w in right)
        return matched / (sum(map(self.weight, left)) + sum(map(self.weight, right)))


def _closest(word: str, others: tuple[str, ...]) -> float:
    """1 for the same word, the likeness of a near one (a typo, an accent), else 0."""
    if word in others:
        return 1.0
    if len(word) < 5:
        return 0.0
    best = max(fuzz.ratio(word, other) for other in others) / 100
    return best if best >= TYPO_FLOOR else 0.0


def _label_similarity(index: LabelIndex, published: str, variant: str) -> tuple[float, str]:
    score = index.similarity(published, variant)
    how = "the same words" if score == 1 else f"alike ({score:.0%}, weighing the rarer words most)"
    a, b = words(published), words(variant)
    for short, long in ((a, variant), (b, published)):
        for form in _natural_orders(long):
            letters = acronym(form)
            # The whole label: `LIRSA-CNAM` for `Laboratoire ... (LIRSA), CNAM`, never one word of it
            # (`LIRSA-USMB` holds its parent's acronym and is not its parent).
            if len(letters) >= 3 and len(words(form)) >= 3 and letters == "".join(short):
                if ACRONYM_SCORE > score:
                    score, how = ACRONYM_SCORE, f"{letters.upper()} is the acronym of {form!r}"
    return score, how


@functools.lru_cache(maxsize=1 << 14)
def _natural_orders(label: str) -> list[str]:
    """The label, and `Université de Lille` for a catalogue's inverted `Lille, Université de`."""
    head, comma, tail = label.partition(",")
    return [label, f"{tail.strip()} {head.strip()}"] if comma and "," not in tail else [label]


def institution_match(index: LabelIndex, published: list[str], variants: list[str]) -> Match | None:
    """Every published label of an institution against the row's label, name and alt_labels."""
    best: tuple[float, str] = (0.0, "")
    for label in published:
        for variant in variants:
            score, how = _label_similarity(index, label, variant)
            if score > best[0]:
                best = (score, f"{label!r} and the row's {variant!r}: {how}")
    if best[0] == 0:
        return None
    return Match(round(best[0], 3), (best[1],))
