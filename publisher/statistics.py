"""Statistics of the whole catalogue, computed at publish time and published beside it.

Some questions of `queries/` aggregate over every talk (talks per year, the most viewed, the
institutions with the most talks counting their sub-labs), sort many talks by title or compare
keywords ignoring case; an embedded store answers them in seconds.
The build knows the whole catalogue, so it counts once, here, in plain Python, and publishes the
figures in the project's vocabulary (`pub:`, documented in `ontology/ontology.ttl`):

- on each video: `pub:titleOrder` (its position by title), `pub:viewRank` (by views) and
  `pub:durationRank` (by duration, the longest first) and `pub:durationSeconds` (its length);
- on each person, institution and theme: `pub:talkCount` (an institution also
  `pub:talkCountWithSubOrganizations`);
- tallies, `BASE statistics#tally-{n}`, `a pub:Tally`: the number of talks (`pub:talkCount`, and
  `pub:viewCount` for a year) sharing a year, a theme and a year, an institution or a keyword (a
  theme and an institution's tally also lists its videos, `pub:tallyVideo`);
- keyword keys, `BASE statistics#keyword-{n}`: a keyword lower-cased and the forms written with it;
- the ranks by duration a hundred to a node, `BASE statistics#by-duration-{k}`, `a pub:RankHundred`;
- the dated talks in order of publication, `BASE statistics#published-{place}` (`pub:listedVideo`),
  and for each calendar day from the first to the last, `BASE statistics#published-on-{day}`, the
  number of talks published before it and up to it (`pub:placesBefore`, `pub:placesThrough`);
  `BASE statistics#publication-days` gives the first and last day (`pub:firstDay`, `pub:lastDay`);
- person tallies, `a pub:PersonTally`: the talks of a person on a theme (`pub:speakerTheme`, each
  theme's top twenty, `BASE statistics#speaker-{n}`); for an institution (`pub:speakerOrganization`,
  every pair, `BASE statistics#speakers-of-{institution's slug}-{place}`), with their first and last publication dates
  (`pub:firstPublished`, `pub:lastPublished`) and the person's place among the institution's
  speakers (`pub:listPosition`); with another person (`pub:coSpeakerOf`, `pub:coSpeaker`, every
  pair, `BASE statistics#co-speakers-of-{person's slug}-{place}`), with the other's place among
  the person's co-speakers.
  A place in the node's IRI lets a question compute the IRIs of a page (`limit` places after `offset`).

The build maps the whole catalogue again each time, so the figures always describe what is
published: a record's change changes them in the next build.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from decimal import Decimal
from itertools import product
from urllib.parse import quote

from publisher.entities import Registry
from publisher.model import Record
from publisher.terms import XSD, A, Iris, integer, iri, lit


def statistics(iris: Iris, reg: Registry, records: Sequence[Record]) -> list[str]:
    """The statistics' triples (N-Triples lines without the final " .")."""
    pub = iris.ontology + "#"
    p = {name: iri(pub + name) for name in (
        "Tally", "KeywordKey", "PersonTally", "RankHundred", "hundred", "rankedVideo", "titleOrder", "viewRank",
        "durationRank", "durationSeconds", "talkCount",
        "talkCountWithSubOrganizations", "viewCount",
        "year", "theme", "organization", "person", "speakerTheme", "speakerOrganization", "withinOrganization", "keyword",
        "keywordKey", "keywordForm",
        "listPosition", "coSpeakerOf", "coSpeaker", "firstPublished", "lastPublished",
        "listedRole", "listedVideo", "tallyVideo", "placesBefore", "placesThrough", "firstDay", "lastDay",
    )}  # fmt: skip
    videos = {record.id: iri(iris.video(record.id)) for record in records}
    by_title = sorted(records, key=lambda r: (r.title, r.id))
    out = [f"{videos[r.id]} {p['titleOrder']} {integer(n)}" for n, r in enumerate(by_title, start=1)]
    viewed = sorted((r for r in records if r.views is not None), key=lambda r: (-(r.views or 0), r.title, r.id))
    out += [f"{videos[r.id]} {p['viewRank']} {integer(n)}" for n, r in enumerate(viewed, start=1)]
    lengths = {r.id: _seconds(r.duration) for r in records if r.duration is not None}
    longest = sorted((r for r in records if r.id in lengths), key=lambda r: (-lengths[r.id], r.title, r.id))
    out += [f"{videos[r.id]} {p['durationRank']} {integer(n)}" for n, r in enumerate(longest, start=1)]
    out += [f"{videos[r.id]} {p['durationSeconds']} {decimal(lengths[r.id])}" for r in longest]
    out += _hundreds(iris, p, [videos[r.id] for r in longest])
    out += _publication_order(iris, p, records, {r.id: n for n, r in enumerate(by_title, start=1)}, videos)

    theme_iri = {key: iri(iris.theme(theme.slug)) for key, theme in reg.themes.items()}
    org_iri = {key: iri(iris.organization(org.slug)) for key, org in reg.institutions.items()}
    person_iri = {key: iri(iris.person(person.slug)) for key, person in reg.people.items()}
    # Labels as written -> IRIs, resolved once each; every count is made by one Counter over a
    # list at the end (counting in C), which keeps 100k records to about a second.
    themes_of: dict[str, str] = {}
    orgs_of: dict[str, tuple[str, list[str]]] = {}  # label -> (its IRI, its IRI and those above)
    keyword_lit: dict[str, str] = {}
    entities: list[str] = []
    within_all: list[str] = []
    years: list[str] = []
    year_views: Counter[str] = Counter()
    speakers: list[tuple[str, str]] = []  # (theme, person), once per talk
    spoke_for: list[tuple[str, str]] = []  # (institution, person), once per talk
    pairs: dict[str, list[tuple[str, str]]] = {name: [] for name in ("year", "organization", "withinOrganization", "keyword")}
    spoke_dates: dict[tuple[str, str], list[str]] = defaultdict(list)  # (institution, person) -> dates
    together: list[tuple[str, str]] = []  # (person, other), once per talk
    appearances: dict[str, list[tuple[str, str, str, int]]] = defaultdict(list)  # person key -> (date, title, id, n)
    written: set[tuple[str, str]] = set()  # (keyword, language)
    sharing: dict[tuple[str, str], list[str]] = defaultdict(list)  # (theme, institution) -> its videos
    for record in records:
        themes = []
        for label in record.themes:
            if label not in themes_of:
                themes_of[label] = theme_iri[reg.theme_key(label)]
            themes.append(themes_of[label])
        orgs: set[str] = set()
        within: set[str] = set()
        for speaker in record.speakers:
            if speaker.institution:
                if speaker.institution not in orgs_of:
                    key = reg.institution_key(speaker.institution)
                    orgs_of[speaker.institution] = (org_iri[key], [org_iri[above] for above in _above(reg, key)])
                org, chain = orgs_of[speaker.institution]
                orgs.add(org)
                within.update(chain)
        people = {person_iri[reg.speaker_keys[(record.id, n)]] for n in range(1, len(record.speakers) + 1)}
        spoke_for += {(orgs_of[speaker.institution][0], person_iri[reg.speaker_keys[(record.id, n)]])
                      for n, speaker in enumerate(record.speakers, start=1) if speaker.institution}
        if record.published:
            for n, speaker in enumerate(record.speakers, start=1):
                if speaker.institution:
                    pair = (orgs_of[speaker.institution][0], person_iri[reg.speaker_keys[(record.id, n)]])
                    spoke_dates[pair].append(record.published)
        together += ((person, other) for person in people for other in people if other != person)
        for n in range(1, len(record.speakers) + 1):
            appearances[reg.speaker_keys[(record.id, n)]].append((record.published or "", record.title, record.id, n))
        entities += themes
        speakers += product(themes, people)
        entities += orgs
        entities += people
        within_all += within
        if record.published is not None:
            year = integer(int(record.published[:4]))
            years.append(year)
            year_views[year] += record.views or 0
            pairs["year"] += [(theme, year) for theme in themes]
        if themes:
            keywords = []
            for keyword in record.keywords:
                if keyword not in keyword_lit:
                    keyword_lit[keyword] = lit(keyword)
                keywords.append(keyword_lit[keyword])
            pairs["organization"] += product(themes, orgs)
            for pair in product(themes, orgs):
                sharing[pair].append(videos[record.id])
            pairs["withinOrganization"] += product(themes, within)
            pairs["keyword"] += product(themes, keywords)
        written.update((keyword, record.language) for keyword in record.keywords)
    forms: dict[str, dict[str, None]] = defaultdict(dict)  # lower-cased keyword -> tagged literals
    for keyword, language in sorted(written):
        forms[keyword.lower()][lit(keyword, language)] = None
    talks, within_talks = Counter(entities), Counter(within_all)
    out += [f"{entity} {p['talkCount']} {integer(n)}" for entity, n in talks.items()]
    out += [f"{org} {p['talkCountWithSubOrganizations']} {integer(n)}" for org, n in within_talks.items()]
    out += _tallies(iris, p, Counter(years), year_views, {name: Counter(found) for name, found in pairs.items()},
                    sharing)
    out += _keywords(iris, p, forms)
    with_keyword: dict[str, list[str]] = defaultdict(list)  # lower-cased keyword -> its talks by title
    for record in by_title:
        for key in dict.fromkeys(keyword.lower() for keyword in record.keywords):
            with_keyword[key].append(videos[record.id])
    for key, listed in with_keyword.items():  # the key as SPARQL's ENCODE_FOR_URI(LCASE(…)) writes it
        out += _listed(p, f"{iris.base}statistics#with-keyword-{quote(key, safe='')}-", listed, "listedVideo")
    for key, spoken in appearances.items():
        roles = [iri(f"{iris.video(record_id)}#speaker-{n}") for *_, record_id, n in sorted(spoken)]
        out += _listed(p, f"{iris.base}statistics#talks-of-{reg.people[key].slug}-", roles, "listedRole")
    name_of = {person_iri[key]: person.name for key, person in reg.people.items()}
    out += _top_speakers(iris, p, Counter(speakers), name_of)
    out += _speakers_of_institutions(iris, p, Counter(spoke_for), name_of, spoke_dates)
    out += _co_speakers(iris, p, Counter(together), name_of)
    return out


_DURATION = re.compile(r"P(?:(?P<D>[0-9.]+)D)?(?:T(?:(?P<H>[0-9.]+)H)?(?:(?P<M>[0-9.]+)M)?(?:(?P<S>[0-9.]+)S)?)?")


def _seconds(duration: str) -> Decimal:
    """An xsd:duration's length in seconds, exactly ("PT1H2M3.5S" -> 3723.5); years and months do not occur."""
    match = _DURATION.fullmatch(duration)
    if match is None:
        return Decimal(0)
    units = {"D": 86400, "H": 3600, "M": 60, "S": 1}
    return sum((Decimal(match[unit]) * size for unit, size in units.items() if match[unit]), Decimal(0))


def decimal(value: Decimal) -> str:
    return f'"{value:f}"^^<{XSD}decimal>'


def _above(reg: Registry, key: str) -> Iterator[str]:
    """The institution and every one above it (a cycle stops)."""
    seen: set[str] = set()
    current: str | None = key
    while current is not None and current not in seen:
        seen.add(current)
        yield current
        current = reg.institutions[current].parent


def _tallies(iris: Iris, p: dict[str, str], years: Counter[str], year_views: Counter[str],
             pairs: dict[str, Counter[tuple[str, str]]], sharing: dict[tuple[str, str], list[str]]) -> list[str]:
    """Numbered in the order they were met, which follows the records' order (by id). A tally of a
    theme and an institution also lists its videos (`pub:tallyVideo`), for related-talks."""
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
            if dimension == "organization":
                out += [f"{node} {p['tallyVideo']} {video}" for video in sharing[(theme, value)]]
    return out


def _hundreds(iris: Iris, p: dict[str, str], ranked: list[str]) -> list[str]:
    """The videos by duration, a hundred ranks to a node (`BASE statistics#by-duration-{k}`, ranks
    100k+1 to 100k+100): a page of long-talks scans these few nodes, not every rank."""
    out = []
    for k in range(0, len(ranked), 100):
        node = iri(f"{iris.base}statistics#by-duration-{k // 100}")
        out += [f"{node} {A} {p['RankHundred']}", f"{node} {p['hundred']} {integer(k // 100)}"]
        out += [f"{node} {p['rankedVideo']} {video}" for video in ranked[k:k + 100]]
    return out


def _publication_order(iris: Iris, p: dict[str, str], records: Sequence[Record], title_order: dict[str, int],
                       videos: dict[str, str]) -> list[str]:
    """The dated talks in order of publication (the date as written, then by title), one node per
    place (`BASE statistics#published-{place}`), and a node per calendar day from the first day
    to the last (`BASE statistics#published-on-{YYYY-MM-DD}`) giving the number of talks
    published before that day and up to it, the day of a date-time being its first ten
    characters: the talks of a range of days are a range of places, which a question computes."""
    dated = sorted((r for r in records if r.published), key=lambda r: (r.published or "", title_order[r.id]))
    if not dated:
        return []
    out = _listed(p, f"{iris.base}statistics#published-", [videos[r.id] for r in dated], "listedVideo")
    days = [(r.published or "")[:10] for r in dated]
    first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
    bounds = iri(f"{iris.base}statistics#publication-days")
    out += [f"{bounds} {p['firstDay']} {lit(days[0])}", f"{bounds} {p['lastDay']} {lit(days[-1])}"]
    for n in range((last - first).days + 1):
        day = (first + timedelta(days=n)).isoformat()
        node = iri(f"{iris.base}statistics#published-on-{day}")
        out += [f"{node} {p['placesBefore']} {integer(bisect_left(days, day))}",
                f"{node} {p['placesThrough']} {integer(bisect_right(days, day))}"]
    return out


TOP_SPEAKERS = 20


def _top_speakers(iris: Iris, p: dict[str, str], counts: Counter[tuple[str, str]], name_of: dict[str, str]) -> list[str]:
    """The twenty people with the most talks on each theme (then by name and IRI, as
    top-speakers-of-theme orders them): its own class and theme link, so that the theme's
    other tallies (found by pub:theme) are not mixed with them."""
    per_theme: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for (theme, person), talks in counts.items():
        per_theme[theme].append((-talks, name_of[person], person[1:-1]))  # IRIs compared without <>
    out = []
    n = 0
    for theme, ranked in per_theme.items():
        for minus_talks, _, person in sorted(ranked)[:TOP_SPEAKERS]:
            n += 1
            node = iri(f"{iris.base}statistics#speaker-{n}")
            out += [f"{node} {A} {p['PersonTally']}", f"{node} {p['speakerTheme']} {theme}",
                    f"{node} {p['person']} {iri(person)}", f"{node} {p['talkCount']} {integer(-minus_talks)}"]
    return out


def _speakers_of_institutions(iris: Iris, p: dict[str, str], counts: Counter[tuple[str, str]], name_of: dict[str, str],
                              dates: dict[tuple[str, str], list[str]]) -> list[str]:
    """Every (institution, person) pair: the talks a person gave for an institution (as the
    record wrote it on the speaker's role), a pub:PersonTally with pub:speakerOrganization, its
    first and last dates of publication (as written) and its place among the institution's
    speakers (pub:listPosition: the most talks first, then by name and IRI)."""
    positions = _positions(counts, name_of)
    out = []
    for (org, person), talks in counts.items():
        place = positions[(org, person)]
        node = iri(f"{iris.base}statistics#speakers-of-{_slug(org)}-{place}")
        out += [f"{node} {A} {p['PersonTally']}", f"{node} {p['speakerOrganization']} {org}",
                f"{node} {p['person']} {person}", f"{node} {p['talkCount']} {integer(talks)}",
                f"{node} {p['listPosition']} {integer(place)}"]
        if published := dates.get((org, person)):
            out += [f"{node} {p['firstPublished']} {lit(min(published))}", f"{node} {p['lastPublished']} {lit(max(published))}"]
    return out


def _co_speakers(iris: Iris, p: dict[str, str], counts: Counter[tuple[str, str]], name_of: dict[str, str]) -> list[str]:
    """Every (person, other) pair of people who spoke in the same talk: their talks together, a
    pub:PersonTally with pub:coSpeakerOf, and the other's place among the person's co-speakers."""
    positions = _positions(counts, name_of)
    out = []
    for (person, other), talks in counts.items():
        node = iri(f"{iris.base}statistics#co-speakers-of-{_slug(person)}-{positions[(person, other)]}")
        out += [f"{node} {A} {p['PersonTally']}", f"{node} {p['coSpeakerOf']} {person}", f"{node} {p['coSpeaker']} {other}",
                f"{node} {p['talkCount']} {integer(talks)}", f"{node} {p['listPosition']} {integer(positions[(person, other)])}"]
    return out


def _slug(written: str) -> str:
    """The last segment of a written IRI: `<BASE person/rival-madina>` -> "rival-madina"."""
    return written[1:-1].rsplit("/", 1)[-1]


def _positions(counts: Counter[tuple[str, str]], name_of: dict[str, str]) -> dict[tuple[str, str], int]:
    """(owner, person) -> the person's place in the owner's list: the most talks first, then by name and IRI."""
    ranked = sorted(counts, key=lambda pair: (pair[0], -counts[pair], name_of[pair[1]], pair[1][1:-1]))
    positions: dict[tuple[str, str], int] = {}
    previous, n = None, 0
    for owner, person in ranked:
        n = n + 1 if owner == previous else 1
        previous = owner
        positions[(owner, person)] = n
    return positions


def _listed(p: dict[str, str], prefix: str, members: list[str], link: str) -> list[str]:
    """A list, one node per place (`{prefix}{place}`, from 1) giving its member: a question computes
    the IRIs of a page's places from `limit` and `offset` and looks each one up."""
    return [f"<{prefix}{place}> {p[link]} {member}" for place, member in enumerate(members, start=1)]


def _keywords(iris: Iris, p: dict[str, str], forms: dict[str, dict[str, None]]) -> list[str]:
    out = []
    for n, key in enumerate(sorted(forms), start=1):
        node = iri(f"{iris.base}statistics#keyword-{n}")
        out += [f"{node} {A} {p['KeywordKey']}", f"{node} {p['keywordKey']} {lit(key)}"]
        out += [f"{node} {p['keywordForm']} {form}" for form in forms[key]]
    return out


__all__ = ["statistics"]
