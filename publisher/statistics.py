"""Statistics of the whole catalogue, computed at publish time and published beside it.

Some questions of `queries/` aggregate over every talk (talks per year, the most viewed, the
institutions with the most talks counting their sub-labs), sort many talks by title or compare
keywords ignoring case; an embedded store answers them in seconds.
The build knows the whole catalogue, so it counts once, here, in plain Python, and publishes the
figures in the project's vocabulary (`pub:`, documented in `ontology/ontology.ttl`):

- on each video: `pub:titleOrder` (its position by title) and `pub:viewRank` (by views);
- on each person, institution and theme: `pub:talkCount` (an institution also
  `pub:talkCountWithSubOrganizations`);
- tallies, `BASE statistics#tally-{n}`, `a pub:Tally`: the number of talks (`pub:talkCount`, and
  `pub:viewCount` for a year) sharing a year, a theme and a year, an institution or a keyword;
- keyword keys, `BASE statistics#keyword-{n}`: a keyword lower-cased and the forms written with it.

The build maps the whole catalogue again each time, so the figures always describe what is
published: a record's change changes them in the next build.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from itertools import product

from publisher.entities import Registry
from publisher.model import Record
from publisher.terms import A, Iris, integer, iri, lit


def statistics(iris: Iris, reg: Registry, records: Sequence[Record]) -> list[str]:
    """The statistics' triples (N-Triples lines without the final " .")."""
    pub = iris.ontology + "#"
    p = {name: iri(pub + name) for name in (
        "Tally", "KeywordKey", "titleOrder", "viewRank", "talkCount", "talkCountWithSubOrganizations", "viewCount",
        "year", "theme", "organization", "withinOrganization", "keyword", "keywordKey", "keywordForm",
    )}  # fmt: skip
    videos = {record.id: iri(iris.video(record.id)) for record in records}
    by_title = sorted(records, key=lambda r: (r.title, r.id))
    out = [f"{videos[r.id]} {p['titleOrder']} {integer(n)}" for n, r in enumerate(by_title, start=1)]
    viewed = sorted((r for r in records if r.views is not None), key=lambda r: (-(r.views or 0), r.title, r.id))
    out += [f"{videos[r.id]} {p['viewRank']} {integer(n)}" for n, r in enumerate(viewed, start=1)]

    theme_iri = {key: iri(iris.theme(theme.slug)) for key, theme in reg.themes.items()}
    org_iri = {key: iri(iris.organization(org.slug)) for key, org in reg.institutions.items()}
    person_iri = {key: iri(iris.person(person.slug)) for key, person in reg.people.items()}
    talks: Counter[str] = Counter()  # entity -> talks
    within_talks: Counter[str] = Counter()
    years: Counter[str] = Counter()
    year_views: Counter[str] = Counter()
    # (theme, dimension value) -> talks, by dimension; Counter.update over products counts in C.
    pairs: dict[str, Counter[tuple[str, str]]] = {
        name: Counter() for name in ("year", "organization", "withinOrganization", "keyword")}
    forms: dict[str, dict[str, None]] = defaultdict(dict)  # lower-cased keyword -> tagged literals
    for record in records:
        themes = [theme_iri[reg.theme_key(label)] for label in record.themes]
        keys = list(dict.fromkeys(reg.institution_key(s.institution) for s in record.speakers if s.institution))
        orgs = [org_iri[key] for key in keys]
        within = list(dict.fromkeys(org_iri[above] for key in keys for above in _above(reg, key)))
        people = list(dict.fromkeys(person_iri[reg.speaker_keys[(record.id, n)]]
                                    for n in range(1, len(record.speakers) + 1)))
        keywords = [lit(keyword) for keyword in record.keywords]
        talks.update(themes)
        talks.update(orgs)
        talks.update(people)
        within_talks.update(within)
        if record.published is not None:
            year = integer(int(record.published[:4]))
            years[year] += 1
            year_views[year] += record.views or 0
            pairs["year"].update((theme, year) for theme in themes)
        pairs["organization"].update(product(themes, orgs))
        pairs["withinOrganization"].update(product(themes, within))
        pairs["keyword"].update(product(themes, keywords))
        for keyword in record.keywords:
            forms[keyword.lower()][lit(keyword, record.language)] = None
    out += [f"{entity} {p['talkCount']} {integer(n)}" for entity, n in talks.items()]
    out += [f"{org} {p['talkCountWithSubOrganizations']} {integer(n)}" for org, n in within_talks.items()]
    out += _tallies(iris, p, years, year_views, pairs)
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


def _tallies(iris: Iris, p: dict[str, str], years: Counter[str], year_views: Counter[str],
             pairs: dict[str, Counter[tuple[str, str]]]) -> list[str]:
    """Numbered in the order they were met, which follows the records' order (by id)."""
    out = []
    n = 0
    for year, talks in years.items():
        n += 1
        node = iri(f"{iris.base}statistics#tally-{n}")
        out += [f"{node} {A} {p['Tally']}", f"{node} {p['year']} {year}", f"{node} {p['talkCount']} {integer(talks)}",
                f"{node} {p['viewCount']} {integer(year_views[year])}"]
    for dimension, counts in pairs.items():
        for (theme, value), talks in counts.items():
            n += 1
            node = iri(f"{iris.base}statistics#tally-{n}")
            out += [f"{node} {A} {p['Tally']}", f"{node} {p['theme']} {theme}", f"{node} {p[dimension]} {value}",
                    f"{node} {p['talkCount']} {integer(talks)}"]
    return out


def _keywords(iris: Iris, p: dict[str, str], forms: dict[str, dict[str, None]]) -> list[str]:
    out = []
    for n, key in enumerate(sorted(forms), start=1):
        node = iri(f"{iris.base}statistics#keyword-{n}")
        out += [f"{node} {A} {p['KeywordKey']}", f"{node} {p['keywordKey']} {lit(key)}"]
        out += [f"{node} {p['keywordForm']} {form}" for form in forms[key]]
    return out


__all__ = ["statistics"]
