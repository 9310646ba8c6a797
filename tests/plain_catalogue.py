"""The generated catalogue's facts worked out in plain Python, to check the question library.

Reads the generated record dicts and the institutions file only: names are re-derived as the
README says (`RIVAL Madina` -> "Madina Rival"), institutions identified by their label or a
variant, themes by their label; no SPARQL and no code of the publisher's mapping.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

LEADING_PARTICLES = {"de", "du", "des", "da", "dos", "van", "den", "di", "del"}


def reading_name(written: str | dict[str, str]) -> str:
    if isinstance(written, dict):
        return f"{written['given']} {written['family']}".strip()
    words = written.split()
    count = 0
    while count < len(words) and words[count] == words[count].upper() and words[count].lower() != words[count]:
        count += 1
    return " ".join(words[count:]) + " " + reading_family(words[:count])


def reading_family(words: list[str]) -> str:
    out, leading = [], True
    for index, word in enumerate(words):
        if leading and word.lower() in LEADING_PARTICLES and index < len(words) - 1:
            out.append(word.lower())
            continue
        leading = False
        out.append("-".join(_capitalised(part) for part in word.split("-")))
    return " ".join(out)


def _capitalised(part: str) -> str:
    if "'" in part:
        head, _, tail = part.partition("'")
        return (head.lower() if head.lower() in ("d", "l") else _capitalised(head)) + "'" + _capitalised(tail)
    return part[:1].upper() + part[1:].lower()


def slug(text: str) -> str:
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", bare.lower()).strip("-")


def seconds(duration: str) -> int:
    if duration.startswith("PT"):
        parts = dict((unit, int(n)) for n, unit in re.findall(r"(\d+)([HMS])", duration))
        return parts.get("H", 0) * 3600 + parts.get("M", 0) * 60 + parts.get("S", 0)
    total = 0
    for part in duration.split(":"):
        total = total * 60 + int(part)
    return total


def published_form(value: str) -> str:
    """A date-time gains `:00` seconds when it has none (README: normalisations)."""
    return re.sub(r"T(\d\d:\d\d)(?=[Z+-]|$)", r"T\1:00", value)


@dataclass
class Talk:
    id: str
    title: str
    themes: list[str]
    speakers: list[tuple[str, str | None]]  # (name as read, institution label) in the record's order
    keywords: list[str]
    views: int | None
    published: str | None
    seconds: int | None

    @property
    def people(self) -> set[str]:
        return {name for name, _ in self.speakers}

    @property
    def institutions(self) -> set[str]:
        return {label for _, label in self.speakers if label is not None}


@dataclass
class Catalogue:
    talks: list[Talk]
    names: dict[str, str]  # institution label -> schema:name
    parents: dict[str, str]  # institution label -> parent label
    variants: dict[str, set[str]]  # institution label -> every label it is written with

    def below(self, label: str) -> set[str]:
        """The institution and every one under it."""
        found = {label}
        while more := {child for child, parent in self.parents.items() if parent in found} - found:
            found |= more
        return found

    def published_institutions(self) -> set[str]:
        """Those the talks name, and their parents: the others of the file are not published."""
        return {above for t in self.talks for label in t.institutions for above in self.above(label)}

    def above(self, label: str) -> list[str]:
        chain = [label]
        while chain[-1] in self.parents:
            chain.append(self.parents[chain[-1]])
        return chain


def read_catalogue(records: Iterable[dict[str, Any]], institutions: list[dict[str, str]]) -> Catalogue:
    canonical: dict[str, str] = {}
    variants: dict[str, set[str]] = {}
    for row in institutions:
        labels = {row["label"], *filter(None, row.get("alt_labels", "").split(";"))}
        variants[row["label"]] = labels
        canonical.update({label: row["label"] for label in labels})
    names = {row["label"]: row.get("name") or row["label"] for row in institutions}
    parents = {row["label"]: canonical[row["parent"]] for row in institutions if row.get("parent")}
    return Catalogue([_talk(r, canonical) for r in records], names, parents, variants)


def _talk(record: dict[str, Any], canonical: dict[str, str]) -> Talk:
    keywords = record.get("keywords", [])
    keywords = keywords.split(";") if isinstance(keywords, str) else keywords
    views = record.get("views")
    return Talk(
        id=record["id"], title=record["title"], themes=record["themes"],
        speakers=[(reading_name(s["name"]), canonical[s["institution"]] if s.get("institution") else None)
                  for s in record["speakers"]],
        keywords=list(dict.fromkeys(k.strip() for k in keywords)),
        views=int(re.sub(r"\D", "", views)) if isinstance(views, str) else views,
        published=published_form(record["published"]) if record.get("published") else None,
        seconds=seconds(record["duration"]) if record.get("duration") else None,
    )
