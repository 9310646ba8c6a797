"""Statistics of the whole catalogue, computed at publish time and published beside it.

Some questions of `queries/` aggregate over every talk (talks per year, the most viewed, the
institutions with the most talks counting their sub-labs) or compare text over every talk
(keywords ignoring case, durations, calendar days); an embedded store answers them in seconds.
The build knows the whole catalogue, so it counts once, here, in plain Python, and publishes the
figures in the project's vocabulary (`pub:`, documented in `ontology/ontology.ttl`):

- on each video: `pub:durationSeconds`, `pub:publicationDay`, `pub:titleOrder`, `pub:viewRank`;
- on each person, institution and theme: `pub:talkCount` (an institution also
  `pub:talkCountWithSubOrganizations`);
- tallies, `BASE dataset#tally-{n}`, `a pub:Tally`: the number of talks (`pub:talkCount`, and
  `pub:viewCount` for a year) sharing a year, a theme and an institution, a theme and a keyword...;
- keyword keys, `BASE dataset#keyword-{n}`: a keyword lower-cased and the forms written with it.

The build maps the whole catalogue again each time, so the figures always describe what is
published: a record's change changes them in the next build.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence

from publisher.entities import Registry
from publisher.model import Record
from publisher.terms import XSD, A, Iris, integer, iri, lit, typed

_DURATION = re.compile(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?")


def seconds(duration: str) -> int:
    """`PT1H2M3S` -> 3723; the mapping writes durations with hours, minutes and seconds only."""
    match = _DURATION.fullmatch(duration)
    if match is None:
        raise ValueError(f"not a duration the mapping writes: {duration!r}")
    hours, minutes, secs = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + secs


class Tallies:
    """Talks counted by the values they share; each key is a tuple of (dimension, N-Triples term)."""

    def __init__(self) -> None:
        self.talks: Counter[tuple[tuple[str, str], ...]] = Counter()
        self.views: Counter[tuple[tuple[str, str], ...]] = Counter()

    def add(self, key: tuple[tuple[str, str], ...], views: int = 0) -> None:
        self.talks[key] += 1
        self.views[key] += views


def statistics(iris: Iris, reg: Registry, records: Sequence[Record]) -> list[str]:
    """The statistics' triples (N-Triples lines without the final " .")."""
    pub = iris.ontology + "#"
    p = {name: iri(pub + name) for name in (
        "Tally", "KeywordKey", "durationSeconds", "publicationDay", "titleOrder", "viewRank", "talkCount",
        "talkCountWithSubOrganizations", "viewCount", "year", "theme", "organization", "withinOrganization",
        "keyword", "keywordKey", "keywordForm",
    )}  # fmt: skip
    out: list[str] = []
    videos = {record.id: iri(iris.video(record.id)) for record in records}
    for n, record in enumerate(sorted(records, key=lambda r: (r.title, r.id)), start=1):
        out.append(f"{videos[record.id]} {p['titleOrder']} {integer(n)}")
    viewed = sorted((r for r in records if r.views is not None), key=lambda r: (-(r.views or 0), r.title, r.id))
    out += [f"{videos[r.id]} {p['viewRank']} {integer(n)}" for n, r in enumerate(viewed, start=1)]

    theme_iri = {key: iri(iris.theme(theme.slug)) for key, theme in reg.themes.items()}
    org_iri = {key: iri(iris.organization(org.slug)) for key, org in reg.institutions.items()}
    person_iri = {key: iri(iris.person(person.slug)) for key, person in reg.people.items()}
    talks: Counter[str] = Counter()  # entity IRI -> talks
    within_talks: Counter[str] = Counter()
    tallies = Tallies()
    forms: dict[str, dict[str, None]] = defaultdict(dict)  # lower-cased keyword -> tagged literals
    for record in records:
        v = videos[record.id]
        if record.duration is not None:
            out.append(f"{v} {p['durationSeconds']} {integer(seconds(record.duration))}")
        year = None
        if record.published is not None:
            out.append(f"{v} {p['publicationDay']} {typed(record.published[:10], XSD + 'date')}")
            year = integer(int(record.published[:4]))
            tallies.add((("year", year),), record.views or 0)
        themes = [theme_iri[reg.theme_key(label)] for label in record.themes]
        orgs = list(dict.fromkeys(reg.institution_key(s.institution) for s in record.speakers if s.institution))
        within = list(dict.fromkeys(key for org in orgs for key in _above(reg, org)))
        people = {person_iri[reg.speaker_keys[(record.id, n)]] for n in range(1, len(record.speakers) + 1)}
        talks.update(themes)
        talks.update(org_iri[o] for o in orgs)
        talks.update(people)
        within_talks.update(org_iri[o] for o in within)
        for keyword in record.keywords:
            forms[keyword.lower()][lit(keyword, record.language)] = None
        for theme in themes:
            if year is not None:
                tallies.add((("theme", theme), ("year", year)))
            for org in orgs:
                tallies.add((("theme", theme), ("organization", org_iri[org])))
            for org in within:
                tallies.add((("theme", theme), ("withinOrganization", org_iri[org])))
            for keyword in record.keywords:
                tallies.add((("theme", theme), ("keyword", lit(keyword))))
    out += [f"{entity} {p['talkCount']} {integer(n)}" for entity, n in talks.items()]
    out += [f"{org} {p['talkCountWithSubOrganizations']} {integer(n)}" for org, n in within_talks.items()]
    out += _tallies(iris, p, tallies)
    out += _keywords(iris, p, forms)
    return out


def _above(reg: Registry, key: str) -> Iterator[str]:
    """The institution and every one above it (a cycle stops)."""
    seen: set[str] = set()
    current: str | None = key
    while current is not None and current not in seen:
        seen.add(current)
        yield current
        current = reg.institutions[current].parent


def _tallies(iris: Iris, p: dict[str, str], tallies: Tallies) -> list[str]:
    out = []
    for n, key in enumerate(sorted(tallies.talks), start=1):
        node = iri(f"{iris.dataset}#tally-{n}")
        out += [f"{node} {A} {p['Tally']}", f"{node} {p['talkCount']} {integer(tallies.talks[key])}"]
        out += [f"{node} {p[dimension]} {value}" for dimension, value in key]
        if key[0][0] == "year" and len(key) == 1:
            out.append(f"{node} {p['viewCount']} {integer(tallies.views[key])}")
    return out


def _keywords(iris: Iris, p: dict[str, str], forms: dict[str, dict[str, None]]) -> list[str]:
    out = []
    for n, key in enumerate(sorted(forms), start=1):
        node = iri(f"{iris.dataset}#keyword-{n}")
        out += [f"{node} {A} {p['KeywordKey']}", f"{node} {p['keywordKey']} {lit(key)}"]
        out += [f"{node} {p['keywordForm']} {form}" for form in forms[key]]
    return out


__all__ = ["seconds", "statistics"]
