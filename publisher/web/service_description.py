"""The SPARQL 1.1 Service Description of `/sparql`: what the endpoint speaks and answers, and
its default dataset described with VoID (size, classes), linked to the dataset's description."""

from __future__ import annotations

import pyoxigraph as ox

from publisher.sparql.results import RESULT_FORMATS
from publisher.store.version import PublishedVersion
from publisher.terms import DCTERMS, RDF, RDFS, SCHEMA, SKOS, VOID, XSD
from publisher.web.versions import settings
from publisher.web.void import dataset_iri

SD = "http://www.w3.org/ns/sparql-service-description#"
_CLASSES = {"VideoObject": SCHEMA + "VideoObject", "Person": SCHEMA + "Person",
            "Organization": SCHEMA + "Organization", "Concept": SKOS + "Concept"}


def description(version: PublishedVersion, endpoint: str) -> list[ox.Triple]:
    s = settings()
    service, dataset, graph = ox.NamedNode(endpoint), ox.BlankNode("dataset"), ox.BlankNode("default")
    facts: list[tuple[ox.NamedNode | ox.BlankNode, str, ox.NamedNode | ox.BlankNode | ox.Literal]] = [
        (service, RDF + "type", ox.NamedNode(SD + "Service")),
        (service, SD + "endpoint", service),
        (service, SD + "supportedLanguage", ox.NamedNode(SD + "SPARQL11Query")),
        (service, SD + "defaultDataset", dataset),
        (service, DCTERMS + "description", ox.Literal(
            f"Read-only SPARQL 1.1 endpoint. A query is stopped after {s.sparql_timeout:g} s; an answer holds at "
            f"most {s.sparql_rows} rows (header X-Truncated when cut); SERVICE and updates are refused.", language="en")),
        (dataset, RDF + "type", ox.NamedNode(SD + "Dataset")),
        (dataset, SD + "defaultGraph", graph),
        (dataset, RDFS + "seeAlso", ox.NamedNode(dataset_iri(version))),
        (graph, RDF + "type", ox.NamedNode(SD + "Graph")),
        (graph, RDF + "type", ox.NamedNode(VOID + "Dataset")),
        (graph, VOID + "triples", _integer(version.manifest.triples)),
        (graph, DCTERMS + "isPartOf", ox.NamedNode(dataset_iri(version))),
    ]
    facts += [(service, SD + "resultFormat", ox.NamedNode(f.iri)) for f in RESULT_FORMATS]
    if s.allowed_services:
        facts.append((service, SD + "feature", ox.NamedNode(SD + "BasicFederatedQuery")))
    for name, iri in _CLASSES.items():
        if name in version.manifest.counts:
            partition = ox.BlankNode(f"class-{name}")
            facts += [(graph, VOID + "classPartition", partition), (partition, VOID + "class", ox.NamedNode(iri)),
                      (partition, VOID + "entities", _integer(version.manifest.counts[name]))]
    return [ox.Triple(subject, ox.NamedNode(predicate), value) for subject, predicate, value in facts]


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
