"""The description of the dataset as a whole: VoID, DCAT and schema.org, with its counts."""

from __future__ import annotations

from dataclasses import dataclass

from publisher.mapping import D, S
from publisher.terms import DCAT, DCTERMS, SCHEMA, SKOS, VOID, XSD, A, Iris, integer, iri, lit, typed

# The dumps a publication offers: (file name, media type, title).
DUMPS = (
    ("catalogue.nt.gz", "application/n-triples", "N-Triples, gzip"),
    ("catalogue.ttl.gz", "text/turtle", "Turtle, gzip"),
    ("catalogue.jsonld.gz", "application/ld+json", "JSON-LD, gzip"),
)
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
