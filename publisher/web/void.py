"""The dataset's description as served: what the graph says of `BASE dataset` (its class
partitions and distributions included), plus each dump's size and checksum, which the graph
cannot hold since the dumps contain the graph."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from publisher.dumps import DUMPS_DIR, DumpFile, read_index
from publisher.store.version import PublishedVersion
from publisher.terms import DCAT, DCTERMS, RDF, VOID, XSD

SPDX = "http://spdx.org/rdf/terms#"
HEX = ox.NamedNode(XSD + "hexBinary")

DESCRIPTION = """PREFIX void: <http://rdfs.org/ns/void#>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
CONSTRUCT { ?s ?p ?o }
WHERE {
  { <dataset> ?p ?o BIND(<dataset> AS ?s) }
  UNION { <dataset> void:classPartition ?s . ?s ?p ?o }
  UNION { <dataset> dcat:distribution ?s . ?s ?p ?o }
  UNION { <dataset> void:subset+ ?s . ?s ?p ?o }
  UNION { <dataset> void:subset+/(void:dataDump|void:objectsTarget) ?s . ?s ?p ?o }
}"""


# The linkset's parts: each authority's title and how many owl:sameAs statements point at it.
LINKSETS = """PREFIX void: <http://rdfs.org/ns/void#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?title ?n WHERE {
  <dataset> void:subset/void:subset ?part .
  ?part void:objectsTarget ?target ; void:triples ?n .
  ?target dcterms:title ?title
} ORDER BY DESC(?n) ?title"""


def dataset_iri(version: PublishedVersion) -> str:
    return version.manifest.base + "dataset"


def description(version: PublishedVersion) -> list[ox.Triple]:
    iri = dataset_iri(version)
    # `<dataset>` is relative to the version's base: a BIND of a substituted variable inside
    # a UNION branch is evaluated before the substitution applies, and would match everything.
    found = version.query(DESCRIPTION, version.manifest.base)
    triples = list(found)  # type: ignore[call-overload]
    for dump in read_index(version.path):
        triples += dump_facts(version.manifest.base, iri, dump)
    return triples


def dump_facts(base: str, dataset: str, dump: DumpFile) -> list[ox.Triple]:
    url = ox.NamedNode(f"{base}{DUMPS_DIR}/{dump.name}")
    checksum = ox.NamedNode(f"{dataset}#sha256-{dump.name}")
    return [
        ox.Triple(url, ox.NamedNode(DCAT + "byteSize"), ox.Literal(str(dump.bytes), datatype=ox.NamedNode(XSD + "decimal"))),
        ox.Triple(url, ox.NamedNode(SPDX + "checksum"), checksum),
        ox.Triple(checksum, ox.NamedNode(RDF + "type"), ox.NamedNode(SPDX + "Checksum")),
        ox.Triple(checksum, ox.NamedNode(SPDX + "algorithm"), ox.NamedNode(SPDX + "checksumAlgorithm_sha256")),
        ox.Triple(checksum, ox.NamedNode(SPDX + "checksumValue"), ox.Literal(dump.sha256, datatype=HEX)),
    ]


@dataclass(frozen=True)
class PageFacts:
    """What the dataset's HTML page shows beside the counts and the dumps."""

    title: str
    license: str | None
    modified: str | None
    sparql: str | None
    examples: list[str]
    vocabularies: list[str]
    links: list[tuple[str, int]]  # authority, owl:sameAs statements


def facts(version: PublishedVersion) -> PageFacts:
    d = ox.NamedNode(dataset_iri(version))

    def values(predicate: str) -> list[str]:
        found = version.query(f"SELECT ?o WHERE {{ {d} <{predicate}> ?o }}")
        return sorted(row["o"].value for row in found)

    def first(predicate: str) -> str | None:
        return next(iter(values(predicate)), None)

    return PageFacts(
        title=first(DCTERMS + "title") or "Dataset",
        license=first(DCTERMS + "license"),
        modified=first(DCTERMS + "modified"),
        sparql=first(VOID + "sparqlEndpoint"),
        examples=values(VOID + "exampleResource"),
        vocabularies=values(VOID + "vocabulary"),
        links=[(row["title"].value, int(row["n"].value))  # type: ignore[index]
               for row in version.query(LINKSETS, version.manifest.base)],  # type: ignore[attr-defined]
    )
