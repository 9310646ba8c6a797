"""What the HTML pages show, read from a resource's description and a few SPARQL questions.

Each `*_page` function returns the template's variables; templates only lay them out.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from flask import abort, request

from publisher.store.version import PublishedVersion
from publisher.terms import DCTERMS, OWL, RDFS, SCHEMA, SKOS, fold
from publisher.web import describe

PER_PAGE = 50
MAX_SPEAKERS = 200  # an institution's page names this many speakers, then says how many more


@dataclass(frozen=True)
class Link:
    href: str
    label: str


@dataclass
class Talk:
    href: str
    title: str
    institutions: list[Link] = field(default_factory=list)
    people: list[Link] = field(default_factory=list)


class Description:
    """A resource's statements, indexed by subject and predicate, with the labels of its links."""

    def __init__(self, triples: list[ox.Triple], base: str) -> None:
        self.base = base
        self._values: dict[tuple[str, str], list[ox.Literal | ox.NamedNode]] = defaultdict(list)
        for t in triples:
            if isinstance(t.subject, ox.NamedNode) and isinstance(t.object, ox.Literal | ox.NamedNode):
                self._values[(t.subject.value, t.predicate.value)].append(t.object)

    def all(self, subject: str, predicate: str) -> list[str]:
        return sorted(o.value for o in self._values.get((subject, predicate), ()))

    def one(self, subject: str, predicate: str) -> str | None:
        found = self._values.get((subject, predicate))
        return found[0].value if found else None

    def subjects_with(self, predicate: str) -> list[str]:
        return sorted({s for (s, p) in self._values if p == predicate})

    def in_language(self, subject: str, predicate: str, lang: str = "en") -> str | None:
        """The value in `lang` if there is one, else any value."""
        values = self._values.get((subject, predicate), [])
        for v in values:
            if isinstance(v, ox.Literal) and v.language == lang:
                return v.value
        return values[0].value if values else None

    def label(self, iri: str) -> str:
        """The French name where there are several (the pages are in French)."""
        return self.in_language(iri, SCHEMA + "name", "fr") or self.in_language(iri, RDFS + "label", "fr") or iri

    def link(self, iri: str) -> Link:
        return Link(href(iri, self.base), self.label(iri))

    def links(self, subject: str, predicate: str) -> list[Link]:
        return sorted((self.link(o) for o in self.all(subject, predicate)), key=lambda x: fold(x.label))


def href(iri: str, base: str) -> str:
    """Our own resources link to this server (wherever it is mounted); others as they are."""
    if iri.startswith(base):
        return f"{request.script_root}/{iri[len(base):]}"
    return iri


def paginate(items: list[Any], per_page: int = PER_PAGE) -> dict[str, Any]:
    page = request.args.get("page", 1, type=int) or 1
    pages = max(1, -(-len(items) // per_page))
    if page < 1 or page > pages:
        abort(404, f"there is no page {page}: pages go from 1 to {pages}")
    return {"items": items[(page - 1) * per_page: page * per_page], "page": page, "pages": pages, "total": len(items)}


_DURATION = re.compile(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$")


def duration_text(value: str | None) -> str | None:
    """`PT1H2M3S` -> `1:02:03`, `PT3M59S` -> `3:59`, as the platform shows durations."""
    match = _DURATION.match(value or "")
    if not match:
        return value
    h, m, s = (int(float(g)) if g else 0 for g in match.groups())
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def video_page(d: Description, version: PublishedVersion, iri: str) -> dict[str, Any]:
    s = SCHEMA
    roles = sorted(d.all(iri, s + "contributor"), key=lambda r: int(d.one(r, s + "position") or 0))
    speakers = [
        {"person": d.link(p), "institution": d.link(o) if (o := d.one(r, s + "affiliation")) else None}
        for r in roles if (p := d.one(r, s + "contributor"))
    ]
    counter = d.one(iri, s + "interactionStatistic")
    return {
        "title": d.one(iri, s + "name") or iri,
        "description": d.one(iri, s + "description"),
        "duration": duration_text(d.one(iri, s + "duration")),
        "views": d.one(counter, s + "userInteractionCount") if counter else None,
        "published": d.one(iri, s + "datePublished"),
        "language": d.one(iri, s + "inLanguage"),
        "speakers": speakers,
        "themes": d.links(iri, s + "about"),
        "keywords": d.all(iri, s + "keywords"),
        "sources": [(name, v) for name, p in _SOURCES if (v := d.one(iri, s + p))],
        "license": d.one(iri, s + "license"),
        "same_institution": _talks(version, describe.SAME_INSTITUTION, iri, d.base),
        "same_theme": _talks(version, describe.SAME_THEME, iri, d.base),
    }


_SOURCES = (("Page", "url"), ("Lecteur", "embedUrl"), ("Fichier vidéo", "contentUrl"), ("Vignette", "thumbnailUrl"))


def _talks(version: PublishedVersion, query: str, iri: str, base: str) -> list[Talk]:
    talks = {r["video"]: Talk(href(r["video"], base), r["title"]) for r in describe.select(version, query, iri)}
    return sorted(talks.values(), key=lambda t: fold(t.title))


def person_page(d: Description, version: PublishedVersion, iri: str) -> dict[str, Any]:
    talks: dict[str, Talk] = {}
    for r in describe.select(version, describe.TALKS_OF_PERSON, iri):
        talk = talks.setdefault(r["video"], Talk(href(r["video"], d.base), r["title"]))
        if r["org"] is not None:
            _add(talk.institutions, Link(href(r["org"], d.base), r["orgName"]))
        if r["other"] is not None:
            _add(talk.people, Link(href(r["other"], d.base), r["otherName"]))
    return {
        "title": d.label(iri),
        "written": d.all(iri, SCHEMA + "alternateName"),
        "given": d.one(iri, SCHEMA + "givenName"),
        "family": d.one(iri, SCHEMA + "familyName"),
        "affiliations": d.links(iri, SCHEMA + "affiliation"),
        "same_as": d.all(iri, OWL + "sameAs"),
        "talks": paginate(sorted(talks.values(), key=lambda t: fold(t.title))),
    }


def _add(links: list[Link], link: Link) -> None:
    if link not in links:
        links.append(link)


def organization_page(d: Description, version: PublishedVersion, iri: str) -> dict[str, Any]:
    talks: dict[str, Talk] = {}
    speakers: dict[str, Link] = {}
    for r in describe.select(version, describe.TALKS_OF_ORGANIZATION, iri):
        talk = talks.setdefault(r["video"], Talk(href(r["video"], d.base), r["title"]))
        person = Link(href(r["person"], d.base), r["personName"])
        _add(talk.people, person)
        speakers[r["person"]] = person
    subs = [Link(href(r["org"], d.base), r["name"]) for r in describe.select(version, describe.SUB_ORGANIZATIONS, iri)]
    themes = [(Link(href(r["theme"], d.base), r["name"]), r["n"])
              for r in describe.select(version, describe.THEMES_OF_ORGANIZATION, iri)]
    parent = d.one(iri, SCHEMA + "parentOrganization")
    return {
        "title": d.label(iri),
        "labels": d.all(iri, SCHEMA + "alternateName"),
        "parent": d.link(parent) if parent else None,
        "url": d.one(iri, SCHEMA + "url"),
        "same_as": d.all(iri, OWL + "sameAs"),
        "sub_organizations": sorted(subs, key=lambda x: fold(x.label)),
        "themes": themes,
        "speakers": sorted(speakers.values(), key=lambda x: fold(x.label))[:MAX_SPEAKERS],
        "speaker_count": len(speakers),
        "talks": paginate(sorted(talks.values(), key=lambda t: fold(t.title))),
    }


def theme_page(d: Description, version: PublishedVersion, iri: str) -> dict[str, Any]:
    talks = _talks(version, describe.TALKS_OF_THEME, iri, d.base)
    orgs = [(Link(href(r["org"], d.base), r["name"]), r["n"])
            for r in describe.select(version, describe.ORGANIZATIONS_OF_THEME, iri)]
    return {
        "title": d.label(iri),
        "scheme": d.link(d.one(iri, SKOS + "inScheme") or iri),
        "organizations": orgs,
        "talks": paginate(talks),
    }


def scheme_page(d: Description, version: PublishedVersion, iri: str) -> dict[str, Any]:
    return {"title": d.label(iri), "themes": paginate(d.links(iri, SKOS + "hasTopConcept"))}


def ontology_page(d: Description, version: PublishedVersion, iri: str) -> dict[str, Any]:
    """The ontology's terms with their English labels and comments."""
    label, comment = RDFS + "label", RDFS + "comment"
    rows = [{"iri": t, "label": d.in_language(t, label), "comment": d.in_language(t, comment)}
            for t in d.subjects_with(label) if t != iri]
    return {"title": d.in_language(iri, label) or "Ontology", "description": d.in_language(iri, DCTERMS + "description"),
            "terms": rows}


PAGES = {
    "video": video_page,
    "person": person_page,
    "organization": organization_page,
    "theme": theme_page,
    "scheme": scheme_page,
    "ontology": ontology_page,
}
