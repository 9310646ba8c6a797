"""Records and resolved entities -> the statements of `profile.md`, as N-Triples text.

Pure: no I/O. Each function returns triples as N-Triples lines without the final " .",
so that the caller can write them as triples or as quads in a record's named graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from publisher.entities import Institution, Person, Registry, Theme
from publisher.model import Record
from publisher.terms import (
    DCTERMS,
    OWL,
    RDFS,
    SCHEMA,
    SKOS,
    XSD,
    A,
    Iris,
    integer,
    iri,
    lit,
    typed,
)

S = {name: iri(SCHEMA + name) for name in (
    "VideoObject", "Person", "Organization", "Role", "InteractionCounter", "WatchAction",
    "DefinedTerm", "DefinedTermSet", "Dataset", "identifier", "name", "description",
    "inLanguage", "duration", "interactionStatistic", "interactionType", "userInteractionCount",
    "datePublished", "keywords", "about", "creator", "contributor", "sourceOrganization", "url",
    "embedUrl", "contentUrl", "thumbnailUrl", "license", "roleName", "affiliation", "position",
    "givenName", "familyName", "alternateName", "parentOrganization", "sameAs",
    "inDefinedTermSet", "dateModified", "hasDefinedTerm",
)}
D = {name: iri(DCTERMS + name) for name in (
    "identifier", "title", "description", "language", "issued", "subject", "creator", "license",
    "modified",
)}
RDFS_LABEL = iri(RDFS + "label")
OWL_SAME_AS = iri(OWL + "sameAs")
K = {name: iri(SKOS + name) for name in (
    "Concept", "ConceptScheme", "prefLabel", "inScheme", "hasTopConcept",
)}


class Mapper:
    """Writes the graph of one catalogue under one base IRI, from one resolved registry."""

    def __init__(self, iris: Iris, registry: Registry) -> None:
        self.iris = iris
        self.reg = registry

    # --- videos ------------------------------------------------------------------------

    def video(self, record: Record, modified: str) -> list[str]:
        v = iri(self.iris.video(record.id))
        lang = record.language
        out = [
            f"{v} {A} {S['VideoObject']}",
            f"{v} {S['identifier']} {lit(record.id)}",
            f"{v} {D['identifier']} {lit(record.id)}",
            f"{v} {S['name']} {lit(record.title, lang)}",
            f"{v} {D['title']} {lit(record.title, lang)}",
            f"{v} {S['inLanguage']} {lit(lang)}",
            f"{v} {D['language']} {lit(lang)}",
            f"{v} {D['modified']} {typed(modified, XSD + 'dateTime')}",
        ]
        if record.description is not None:
            out.append(f"{v} {S['description']} {lit(record.description, lang)}")
            out.append(f"{v} {D['description']} {lit(record.description, lang)}")
        if record.duration is not None:
            out.append(f"{v} {S['duration']} {typed(record.duration, XSD + 'duration')}")
        if record.published is not None:
            kind = "dateTime" if "T" in record.published else "date"
            date = typed(record.published, XSD + kind)
            out += [f"{v} {S['datePublished']} {date}", f"{v} {D['issued']} {date}"]
        out += self._views(record, v)
        out += self._links(record, v)
        out += [f"{v} {S['keywords']} {lit(k, lang)}" for k in record.keywords]
        for label in record.themes:
            t = iri(self.iris.theme(self.reg.themes[self.reg.theme_key(label)].slug))
            out += [f"{v} {S['about']} {t}", f"{v} {D['subject']} {t}"]
        out += self._speakers(record, v)
        return out

    def _views(self, record: Record, v: str) -> list[str]:
        if record.views is None:
            return []
        c = iri(f"{self.iris.video(record.id)}#views")
        return [
            f"{v} {S['interactionStatistic']} {c}",
            f"{c} {A} {S['InteractionCounter']}",
            f"{c} {S['interactionType']} {S['WatchAction']}",
            f"{c} {S['userInteractionCount']} {integer(record.views)}",
        ]

    def _links(self, record: Record, v: str) -> list[str]:
        out = []
        for value, prop in (
            (record.url, S["url"]),
            (record.embed_url, S["embedUrl"]),
            (record.content_url, S["contentUrl"]),
            (record.thumbnail, S["thumbnailUrl"]),
        ):
            if value is not None:
                out.append(f"{v} {prop} {iri(value)}")
        if record.license is not None:
            out += [f"{v} {S['license']} {iri(record.license)}", f"{v} {D['license']} {iri(record.license)}"]
        return out

    def _speakers(self, record: Record, v: str) -> list[str]:
        out: list[str] = []
        organizations: list[str] = []
        for n, speaker in enumerate(record.speakers, start=1):
            person = self.reg.people[self.reg.speaker_keys[(record.id, n)]]
            p = iri(self.iris.person(person.slug))
            role = iri(f"{self.iris.video(record.id)}#speaker-{n}")
            display = speaker.name.written
            out += [
                f"{v} {S['creator']} {p}",
                f"{v} {D['creator']} {p}",
                f"{v} {S['contributor']} {role}",
                f"{role} {A} {S['Role']}",
                f"{role} {S['contributor']} {p}",
                f"{role} {S['roleName']} {lit('speaker')}",
                f"{role} {S['position']} {integer(n)}",
            ]
            if speaker.institution:
                org = self._organization_iri(speaker.institution)
                out.append(f"{role} {S['affiliation']} {org}")
                display = f"{display} - {speaker.institution}"
                if org not in organizations:
                    organizations.append(org)
            out.append(f"{role} {RDFS_LABEL} {lit(display)}")
        out += [f"{v} {S['sourceOrganization']} {org}" for org in organizations]
        return out

    def _organization_iri(self, label: str) -> str:
        return iri(self.iris.organization(self.reg.institutions[self.reg.institution_key(label)].slug))

    # --- entities ----------------------------------------------------------------------

    def person(self, person: Person) -> list[str]:
        p = iri(self.iris.person(person.slug))
        out = [
            f"{p} {A} {S['Person']}",
            f"{p} {S['name']} {lit(person.name)}",
            f"{p} {S['familyName']} {lit(person.family)}",
        ]
        if person.given:
            out.append(f"{p} {S['givenName']} {lit(person.given)}")
        out += [f"{p} {S['alternateName']} {lit(w)}" for w in person.written]
        out += [f"{p} {S['affiliation']} {self._org_by_key(k)}" for k in person.affiliations]
        return out + _same_as(p, person.ids.values())

    def institution(self, org: Institution) -> list[str]:
        o = iri(self.iris.organization(org.slug))
        out = [f"{o} {A} {S['Organization']}", f"{o} {S['name']} {lit(org.name)}"]
        out += [f"{o} {S['alternateName']} {lit(label)}" for label in org.labels]
        if org.parent:
            out.append(f"{o} {S['parentOrganization']} {self._org_by_key(org.parent)}")
        if org.url:
            out.append(f"{o} {S['url']} {iri(org.url)}")
        return out + _same_as(o, org.ids.values())

    def _org_by_key(self, key: str) -> str:
        return iri(self.iris.organization(self.reg.institutions[key].slug))

    def theme(self, theme: Theme) -> list[str]:
        t = iri(self.iris.theme(theme.slug))
        scheme = iri(self.iris.scheme)
        label = lit(theme.label, theme.language)
        return [
            f"{t} {A} {K['Concept']}",
            f"{t} {A} {S['DefinedTerm']}",
            f"{t} {K['prefLabel']} {label}",
            f"{t} {S['name']} {label}",
            f"{t} {K['inScheme']} {scheme}",
            f"{t} {S['inDefinedTermSet']} {scheme}",
        ]

    def scheme(self, title_fr: str = "Thèmes", title_en: str = "Themes") -> list[str]:
        s = iri(self.iris.scheme)
        out = [
            f"{s} {A} {K['ConceptScheme']}",
            f"{s} {A} {S['DefinedTermSet']}",
            f"{s} {K['prefLabel']} {lit(title_fr, 'fr')}",
            f"{s} {K['prefLabel']} {lit(title_en, 'en')}",
            f"{s} {S['name']} {lit(title_fr, 'fr')}",
            f"{s} {S['name']} {lit(title_en, 'en')}",
        ]
        for theme in self.reg.themes.values():
            t = iri(self.iris.theme(theme.slug))
            out += [f"{s} {K['hasTopConcept']} {t}", f"{s} {S['hasDefinedTerm']} {t}"]
        return out

    def entities(self) -> Iterator[list[str]]:
        """The triples of every person, institution and theme, and of the scheme."""
        for person in self.reg.people.values():
            yield self.person(person)
        for org in self.reg.institutions.values():
            yield self.institution(org)
        for theme in self.reg.themes.values():
            yield self.theme(theme)
        yield self.scheme()


def _same_as(subject: str, identifiers: Iterable[str]) -> list[str]:
    out = []
    for value in sorted(identifiers):
        out += [f"{subject} {OWL_SAME_AS} {iri(value)}", f"{subject} {S['sameAs']} {iri(value)}"]
    return out


def as_ntriples(triples: Iterable[str]) -> str:
    return "".join(f"{t} .\n" for t in triples)


__all__ = ["Mapper", "as_ntriples"]
