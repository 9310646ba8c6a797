"""The shapes and the ontology: bilingual, complete, and true to what the mapping writes."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import OWL, RDF, RDFS, SH, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.term import Node

from publisher.dataset import DatasetFacts, dataset_triples
from publisher.entities import resolve
from publisher.mapping import Mapper, as_ntriples
from publisher.model import InstitutionAuthority, PersonAuthority, Record, Speaker
from publisher.names import parse_name
from publisher.terms import PREFIXES, Iris
from publisher.validation import load_shapes, validate, validate_pyshacl

ROOT = Path(__file__).resolve().parent.parent
BASE = "http://example.org/"
PUB = BASE + "ontology#"
RECORD_FIELDS = {
    "id", "title", "description", "language", "duration", "views", "published", "url", "embed_url",
    "content_url", "thumbnail", "license", "keywords", "themes", "speakers",
}  # fmt: skip
# Every term spec/profile.md names, and the ones the publisher adds beside them.
_PROFILE_TERMS = """
schema:VideoObject schema:Person schema:Organization schema:Role schema:InteractionCounter schema:WatchAction
schema:DefinedTerm schema:DefinedTermSet schema:Dataset skos:Concept skos:ConceptScheme void:Dataset dcat:Dataset
schema:identifier schema:name schema:description schema:inLanguage schema:duration schema:interactionStatistic
schema:interactionType schema:userInteractionCount schema:datePublished schema:keywords schema:about schema:creator
schema:contributor schema:sourceOrganization schema:url schema:embedUrl schema:contentUrl schema:thumbnailUrl
schema:license schema:roleName schema:affiliation schema:position schema:givenName schema:familyName
schema:alternateName schema:parentOrganization schema:sameAs schema:inDefinedTermSet rdfs:label owl:sameAs
dcterms:identifier dcterms:title dcterms:description dcterms:language dcterms:issued dcterms:subject
dcterms:creator dcterms:license dcterms:modified skos:prefLabel skos:inScheme void:sparqlEndpoint void:dataDump
void:exampleResource void:triples void:entities void:vocabulary dcat:distribution
"""
PROFILE_TERMS = _PROFILE_TERMS.split()
NAMESPACES = {**PREFIXES, "skos": "http://www.w3.org/2004/02/skos/core#"}


@pytest.fixture(scope="module")
def shapes_graph() -> Graph:
    return Graph().parse(ROOT / "shapes" / "shapes.ttl", format="turtle", publicID=BASE)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "ontology.ttl", format="turtle", publicID=BASE)


def expand(name: str) -> URIRef:
    prefix, local = name.split(":", 1)
    return URIRef(NAMESPACES[prefix] + local)


def languages(graph: Graph, subject: Node, predicate: URIRef) -> set[str | None]:
    return {o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal)}


def constrained_shapes(graph: Graph) -> set[Node]:
    """Shapes that carry constraint parameters themselves (sh:or members excepted)."""
    members = {m for lst in graph.objects(None, SH["or"]) for m in graph.items(lst)}
    parameters = {p for p in set(graph.predicates()) if str(p).startswith(str(SH))} - {
        SH.path, SH.property, SH.message, SH.targetClass, SH.targetNode, SH.severity
    }  # fmt: skip
    return {s for s, p in graph.subject_predicates() if p in parameters and s not in members}


# --- shapes -----------------------------------------------------------------------------


def test_every_constraint_speaks_english_and_french(shapes_graph: Graph) -> None:
    shapes = constrained_shapes(shapes_graph)
    assert len(shapes) > 50
    for shape in shapes:
        messages = {m.language: str(m) for m in shapes_graph.objects(shape, SH.message) if isinstance(m, Literal)}
        assert set(messages) == {"en", "fr"}, shape
        assert messages["en"] != messages["fr"]
        assert all(text.rstrip().endswith(".") for text in messages.values())


def test_record_fields_are_the_records_own_and_named_in_the_messages(shapes_graph: Graph) -> None:
    annotated = list(shapes_graph.subject_objects(URIRef(PUB + "recordField")))
    assert len(annotated) > 40
    for shape, field in annotated:
        assert str(field) in RECORD_FIELDS, field
        for message in shapes_graph.objects(shape, SH.message):
            assert f"`{field}`" in str(message), (field, str(message))


def test_every_compiled_constraint_has_both_messages() -> None:
    shapes = load_shapes(BASE)
    assert len(shapes) > 150
    for check in shapes.checks:
        assert "ConstraintComponent failed" not in check.message + check.message_fr


# --- ontology ---------------------------------------------------------------------------


def test_the_ontology_describes_itself(ontology: Graph) -> None:
    (onto,) = ontology.subjects(RDF.type, OWL.Ontology)
    assert onto == URIRef(BASE + "ontology")
    dcterms = "http://purl.org/dc/terms/"
    for predicate in ("title", "description"):
        assert languages(ontology, onto, URIRef(dcterms + predicate)) == {"en", "fr"}
    assert ontology.value(onto, OWL.versionInfo) is not None
    assert ontology.value(onto, URIRef(dcterms + "license")) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert (URIRef(PUB + "recordField"), RDF.type, OWL.AnnotationProperty) in ontology


def terms_of_the_shapes(graph: Graph) -> set[URIRef]:
    terms = set()
    for predicate in (SH.path, SH["class"], SH.targetClass, SH.equals, SH.hasValue):
        terms |= {o for o in graph.objects(None, predicate) if isinstance(o, URIRef)}
    return {t for t in terms if not t.startswith(BASE) and t != RDF.type}


def assert_described(ontology: Graph, terms: set[URIRef]) -> None:
    missing = []
    for term in sorted(terms):
        for predicate in (RDFS.label, RDFS.comment):
            if languages(ontology, term, predicate) != {"en", "fr"}:
                missing.append((str(term), predicate.fragment))
    assert not missing


def test_every_term_of_the_shapes_and_the_profile_is_described(ontology: Graph, shapes_graph: Graph) -> None:
    assert_described(ontology, terms_of_the_shapes(shapes_graph) | {expand(t) for t in PROFILE_TERMS})
    own = {s for s in ontology.subjects(RDF.type, OWL.AnnotationProperty) if isinstance(s, URIRef)}
    assert own
    assert_described(ontology, own)


def test_the_ontology_says_where_each_property_of_the_shapes_is_used(ontology: Graph, shapes_graph: Graph) -> None:
    used_on = URIRef(PUB + "usedOn")
    for node_shape in shapes_graph.subjects(RDF.type, SH.NodeShape):
        classes = set(shapes_graph.objects(node_shape, SH.targetClass))
        for prop in shapes_graph.objects(node_shape, SH.property):
            path = shapes_graph.value(prop, SH.path)
            if path == RDF.type:
                classes |= set(shapes_graph.objects(prop, SH.hasValue))
        for prop in shapes_graph.objects(node_shape, SH.property):
            path = shapes_graph.value(prop, SH.path)
            if path != RDF.type:
                assert classes & set(ontology.objects(path, used_on)), (node_shape, path)


def test_parallel_terms_are_annotated_not_declared_equivalent(ontology: Graph) -> None:
    parallel = URIRef(PUB + "writtenInParallelWith")
    assert (expand("schema:name"), parallel, expand("dcterms:title")) in ontology
    assert (expand("owl:sameAs"), parallel, expand("schema:sameAs")) in ontology
    for axiom in (OWL.equivalentProperty, OWL.equivalentClass, RDFS.subPropertyOf, RDFS.domain, RDFS.range):
        external = [s for s in ontology.subjects(axiom, None) if not str(s).startswith(BASE)]
        assert not external, (axiom, external)


# --- what the mapping writes ------------------------------------------------------------

ORCID = "https://orcid.org/0000-0002-1825-0097"


def speaker(name: str, institution: str | None) -> Speaker:
    return Speaker(parse_name(name)[0], institution)


def mapped_catalogue() -> str:
    records = [
        Record(
            id="portrait-burlaud", title="Portrait du Professeur Alain Burlaud", description="Découvrez le portrait.",
            duration="PT52M52S", views=2024, published="2024-03-01T10:00:00+01:00", url="https://videos.example.org/v/1",
            embed_url="https://videos.example.org/e/1", content_url="https://media.example.org/1.mp4",
            thumbnail="https://media.example.org/1.jpg", license="https://creativecommons.org/licenses/by-nc/4.0/",
            keywords=("comptabilité", "portrait"), themes=("Histoire du management",),
            speakers=(speaker("BURLAUD Alain", "LIRSA-CNAM"), speaker("WALLISER Elisabeth", "IAE de Nice")),
        ),
        Record(id="m", title="Title", language="en", published="2023-06-15", speakers=(speaker("RIVAL Madina", None),)),
    ]  # fmt: skip
    institutions = {
        "LIRSA-CNAM": InstitutionAuthority(
            "LIRSA-CNAM", "Laboratoire interdisciplinaire de recherche en sciences de l'action", ("LIRSA",), "CNAM",
            "https://lirsa.cnam.fr/", {"ror": "https://ror.org/0175hh227", "idref": "http://www.idref.fr/026375273/id"},
        )
    }  # fmt: skip
    people = {"BURLAUD Alain": PersonAuthority("BURLAUD Alain", {"orcid": ORCID, "viaf": "http://viaf.org/viaf/12345678"})}
    iris = Iris(BASE)
    mapper = Mapper(iris, resolve(records, institutions, people))
    triples = [t for r in records for t in mapper.video(r, "2026-01-01T00:00:00Z")]
    triples += [t for entity in mapper.entities() for t in entity]
    counts = {"http://schema.org/VideoObject": 2, "http://schema.org/Person": 3}
    facts = DatasetFacts("Vidéos de recherche", "https://creativecommons.org/licenses/by/4.0/",
                         "2026-01-01T00:00:00Z", 120, counts, "m")  # fmt: skip
    return as_ntriples(triples + dataset_triples(iris, facts))


def test_what_the_mapping_writes_conforms_under_both_engines() -> None:
    shapes = load_shapes(BASE)
    data = mapped_catalogue()
    assert validate(data, shapes) == []
    assert validate_pyshacl(data, shapes) == []


def test_every_term_the_mapping_writes_is_described(ontology: Graph) -> None:
    graph = Graph().parse(data=mapped_catalogue(), format="nt")
    terms = (set(graph.predicates()) | set(graph.objects(None, RDF.type))) - {RDF.type}
    vocabularies = tuple(NAMESPACES[p] for p in ("schema", "dcterms", "skos", "owl", "void", "dcat", "rdfs"))
    assert_described(ontology, {t for t in terms if isinstance(t, URIRef) and str(t).startswith(vocabularies)})


@pytest.mark.parametrize("name", ["ontology/ontology.ttl", "shapes/shapes.ttl"])
def test_rdflib_and_oxigraph_resolve_the_relative_iris_alike(name: str) -> None:
    base = "https://data.example.edu/catalogue/"
    by_rdflib = Graph().parse(ROOT / name, format="turtle", publicID=base)
    quads = pyoxigraph.parse(path=str(ROOT / name), format=pyoxigraph.RdfFormat.TURTLE, base_iri=base)
    text = pyoxigraph.serialize([q.triple for q in quads], format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert text is not None
    assert isomorphic(by_rdflib, Graph().parse(data=text, format="nt"))
    assert (URIRef(base + "ontology#recordField"), None, None) in by_rdflib or name.startswith("shapes")


def test_the_readmes_name_the_relative_iri_trick() -> None:
    for folder in ("ontology", "shapes"):
        text = (ROOT / folder / "README.md").read_text(encoding="utf-8")
        assert re.search(r"publicID|base IRI", text), folder
