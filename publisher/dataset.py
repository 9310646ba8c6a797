"""The description of the dataset as a whole: VoID, DCAT and schema.org, with its counts."""

from __future__ import annotations

from dataclasses import dataclass, field

from publisher.mapping import OWL_SAME_AS, D, S
from publisher.terms import AUTHORITY_IRI, DCAT, DCTERMS, SCHEMA, SKOS, VOID, XSD, A, Iris, integer, iri, lit, typed

# The dumps a publication offers: (file name, media type, title).
DUMPS = (
    ("catalogue.nt.gz", "application/n-triples", "N-Triples, gzip"),
    ("catalogue.ttl.gz", "text/turtle", "Turtle, gzip"),
    ("catalogue.jsonld.gz", "application/ld+json", "JSON-LD, gzip"),
)
# The owl:sameAs links alone, the dataset's linkset (VoID), for those who only want the links.
LINKS_DUMP = ("links.nt.gz", "application/n-triples", "owl:sameAs links to library authorities, N-Triples, gzip")
# Each authority as the target of a linkset: (dataset IRI, title); its IRIs are AUTHORITY_IRI's.
AUTHORITY_DATASETS = {
    "orcid": ("https://orcid.org/", "ORCID"),
    "idref": ("https://www.idref.fr/", "IdRef"),
    "isni": ("https://isni.org/", "ISNI"),
    "viaf": ("https://viaf.org/", "VIAF"),
    "wikidata": ("https://www.wikidata.org/", "Wikidata"),
    "ror": ("https://ror.org/", "ROR"),
}
IANA = "https://www.iana.org/assignments/media-types/"
VOCABULARIES = (SCHEMA, DCTERMS, SKOS, "http://www.w3.org/2002/07/owl#")


@dataclass(frozen=True)
class DatasetFacts:
    title: str
    license: str
    modified: str  # xsd:dateTime
    triples: int
    entities_by_class: dict[str, int]  # class IRI -> count
    example_video: str | None  # record id
    links: dict[str, int] = field(default_factory=dict)  # authority -> owl:sameAs statements


def _v(name: str) -> str:
    return iri(VOID + name)


def _dcat(name: str) -> str:
    return iri(DCAT + name)


def dataset_triples(iris: Iris, facts: DatasetFacts) -> list[str]:
    d = iri(iris.dataset)
    modified = typed(facts.modified, XSD + "dateTime")
    out = [
        f"{d} {A} {_v('Dataset')}",
        f"{d} {A} {_dcat('Dataset')}",
        f"{d} {A} {S['Dataset']}",
        f"{d} {D['title']} {lit(facts.title, 'fr')}",
        f"{d} {S['name']} {lit(facts.title, 'fr')}",
        f"{d} {D['license']} {iri(facts.license)}",
        f"{d} {S['license']} {iri(facts.license)}",
        f"{d} {D['modified']} {modified}",
        f"{d} {S['dateModified']} {modified}",
        f"{d} {_v('triples')} {integer(facts.triples)}",
        f"{d} {_v('entities')} {integer(sum(facts.entities_by_class.values()))}",
        f"{d} {_v('uriSpace')} {lit(iris.base)}",
        f"{d} {_v('sparqlEndpoint')} {iri(iris.base + 'sparql')}",
        f"{d} {_v('rootResource')} {iri(iris.scheme)}",
    ]
    out += [f"{d} {_v('vocabulary')} {iri(v)}" for v in VOCABULARIES]
    if facts.example_video is not None:
        out.append(f"{d} {_v('exampleResource')} {iri(iris.video(facts.example_video))}")
    out += _class_partitions(iris, d, facts.entities_by_class)
    out += _distributions(iris, d)
    out += linkset_triples(iris, facts.links)
    return out


def linkset_triples(iris: Iris, links: dict[str, int]) -> list[str]:
    """The owl:sameAs links as a void:Linkset, a subset of the dataset with a dump of its own,
    and within it one linkset per authority (each a pair of datasets, as VoID wants)."""
    d, whole = iri(iris.dataset), iri(f"{iris.dataset}#links")
    name, media_type, title = LINKS_DUMP
    url = iri(f"{iris.base}dumps/{name}")
    out = [
        f"{d} {_v('subset')} {whole}",
        f"{whole} {A} {_v('Linkset')}",
        f"{whole} {_v('linkPredicate')} {OWL_SAME_AS}",
        f"{whole} {_v('subjectsTarget')} {d}",
        f"{whole} {_v('triples')} {integer(sum(links.values()))}",
        f"{whole} {D['title']} {lit('Liens owl:sameAs vers les autorités', 'fr')}",
        f"{whole} {D['title']} {lit('owl:sameAs links to library authorities', 'en')}",
        f"{whole} {_v('dataDump')} {url}",
        f"{url} {A} {_dcat('Distribution')}",
        f"{url} {_dcat('downloadURL')} {url}",
        f"{url} {_dcat('mediaType')} {iri(IANA + media_type)}",
        f"{url} {_dcat('compressFormat')} {iri(IANA + 'application/gzip')}",
        f"{url} {D['title']} {lit(title, 'en')}",
    ]
    for authority, count in sorted(links.items()):
        part, (target, label) = iri(f"{iris.dataset}#links-{authority}"), AUTHORITY_DATASETS[authority]
        out += [
            f"{whole} {_v('subset')} {part}",
            f"{part} {A} {_v('Linkset')}",
            f"{part} {_v('linkPredicate')} {OWL_SAME_AS}",
            f"{part} {_v('subjectsTarget')} {d}",
            f"{part} {_v('objectsTarget')} {iri(target)}",
            f"{part} {_v('triples')} {integer(count)}",
            f"{iri(target)} {A} {_v('Dataset')}",
            f"{iri(target)} {D['title']} {lit(label)}",
            f"{iri(target)} {_v('uriSpace')} {lit(AUTHORITY_IRI[authority].split('{')[0])}",
        ]
    return out


def _class_partitions(iris: Iris, d: str, counts: dict[str, int]) -> list[str]:
    out = []
    for n, (cls, count) in enumerate(sorted(counts.items()), start=1):
        part = iri(f"{iris.dataset}#class-{n}")
        out += [
            f"{d} {_v('classPartition')} {part}",
            f"{part} {_v('class')} {iri(cls)}",
            f"{part} {_v('entities')} {integer(count)}",
        ]
    return out


def _distributions(iris: Iris, d: str) -> list[str]:
    out = []
    for name, media_type, title in DUMPS:
        url = iri(f"{iris.base}dumps/{name}")
        out += [
            f"{d} {_v('dataDump')} {url}",
            f"{d} {_dcat('distribution')} {url}",
            f"{url} {A} {_dcat('Distribution')}",
            f"{url} {_dcat('downloadURL')} {url}",
            f"{url} {_dcat('mediaType')} {iri(IANA + media_type)}",
            f"{url} {_dcat('compressFormat')} {iri(IANA + 'application/gzip')}",
            f"{url} {D['title']} {lit(title, 'en')}",
        ]
    return out
