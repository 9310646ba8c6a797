"""The fast validator (shapes compiled to SPARQL, run by Oxigraph) agrees with pySHACL.

The sample graph conforms under both engines; each mutation below breaks one rule of the
profile and must make both engines report exactly the expected (focus, path, component)
results; together the mutations make every compiled constraint fire at least once.
"""

from __future__ import annotations

import time
from dataclasses import astuple, dataclass
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, URIRef

from publisher.entities import resolve
from publisher.errors import ShapesError
from publisher.mapping import Mapper, as_ntriples
from publisher.model import Record, Speaker
from publisher.names import parse_name
from publisher.terms import Iris
from publisher.validation import (
    Shapes,
    Violation,
    load_shapes,
    validate,
    validate_pyshacl,
)

BASE = "http://example.org/"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE = FIXTURES / "sample.ttl"
PREFIXES = {
    "schema": "http://schema.org/",
    "dcterms": "http://purl.org/dc/terms/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
}
TURTLE_PREFIXES = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items())
# Short names for the sample's resources, in the mutation table.
NODES = {
    "V": "video/innovation-publique",
    "W": "video/portrait-burlaud",
    "R": "video/innovation-publique#speaker-1",
    "C": "video/innovation-publique#views",
    "P": "person/burlaud-alain",
    "Q": "person/rival-madina",
    "O": "organization/lirsa-cnam",
    "T": "theme/management-public",
    "S": "theme/",
    "D": "dataset",
}


@dataclass(frozen=True)
class Mutation:
    name: str
    remove: tuple[str, ...]
    add: tuple[str, ...]
    expect: frozenset[tuple[str, str | None, str]]


def mutation(name: str, expect: str, remove: tuple[str, ...] = (), add: tuple[str, ...] = ()) -> Mutation:
    """`expect`: `;`-separated `node path Component` (path `-` for the node itself)."""
    results = set()
    for item in expect.split(";"):
        node, path, component = item.split()
        results.add((_iri(node), None if path == "-" else _expand(path), f"{component}ConstraintComponent"))
    return Mutation(name, remove, add, frozenset(results))


def replace(subject: str, predicate: str, *objects: str) -> dict[str, tuple[str, ...]]:
    return {"remove": (f"{subject} {predicate} *",), "add": tuple(f"{subject} {predicate} {o}" for o in objects)}


def both(subject: str, predicates: str, obj: str) -> tuple[str, ...]:
    return tuple(f"{subject} {p} {obj}" for p in predicates.split(","))


def replace_both(subject: str, predicates: str, obj: str) -> dict[str, tuple[str, ...]]:
    return {"remove": both(subject, predicates, "*"), "add": both(subject, predicates, obj)}


def _iri(node: str) -> str:
    return BASE + NODES.get(node, node)


def _expand(name: str) -> str:
    prefix, local = name.split(":", 1)
    return PREFIXES[prefix] + local


# Statements written in parallel: a mutation changes both, so as to break one rule only.
TITLE = "schema:name,dcterms:title"
IDENT = "schema:identifier,dcterms:identifier"
DESC = "schema:description,dcterms:description"
LANG = "schema:inLanguage,dcterms:language"
DATE = "schema:datePublished,dcterms:issued"
SUBJECT = "schema:about,dcterms:subject"
CREATOR = "schema:creator,dcterms:creator"
LICENSE = "schema:license,dcterms:license"
SAME = "owl:sameAs,schema:sameAs"
PREF = "skos:prefLabel,schema:name"
SCHEME = "skos:inScheme,schema:inDefinedTermSet"
D_TITLE = "dcterms:title,schema:name"
D_LICENSE = "dcterms:license,schema:license"
D_MODIFIED = "dcterms:modified,schema:dateModified"
OTHER_ORG = (
    "<organization/autre> a schema:Organization",
    '<organization/autre> schema:name "Autre"',
    '<organization/autre> schema:alternateName "Autre"',
)

MUTATIONS = [
    # --- video ------------------------------------------------------------------------
    mutation("title missing", "V schema:name MinCount", remove=both("V", TITLE, "*")),
    mutation("two titles", "V schema:name MaxCount", add=both("V", TITLE, '"Autre titre"@fr')),
    mutation("title without language", "V schema:name Datatype", **replace_both("V", TITLE, '"Titre"')),
    mutation("empty title", "V schema:name MinLength", **replace_both("V", TITLE, '""@fr')),
    mutation("dc title differs", "V dcterms:title Equals", **replace("V", "dcterms:title", '"Autre"@fr')),
    mutation("identifier missing", "V schema:identifier MinCount", remove=both("V", IDENT, "*")),
    mutation("two identifiers", "V schema:identifier MaxCount", add=both("V", IDENT, '"autre"')),
    mutation("identifier typed", "V schema:identifier Datatype",
             **replace_both("V", IDENT, '"innovation-publique"^^xsd:token')),
    mutation("identifier malformed", "V schema:identifier Pattern", **replace_both("V", IDENT, '"-innovation publique"')),
    mutation("dc identifier missing", "V dcterms:identifier Equals", remove=("V dcterms:identifier *",)),
    mutation("two descriptions", "V schema:description MaxCount", add=both("V", DESC, '"Autre"@fr')),
    mutation("description without language", "V schema:description Datatype", **replace_both("V", DESC, '"Texte"')),
    mutation("dc description missing", "V dcterms:description Equals", remove=("V dcterms:description *",)),
    mutation("language missing", "V schema:inLanguage MinCount", remove=both("V", LANG, "*")),
    mutation("two languages", "V schema:inLanguage MaxCount", add=both("V", LANG, '"en"')),
    mutation("language tagged", "V schema:inLanguage Datatype", **replace_both("V", LANG, '"fr"@fr')),
    mutation("language not BCP 47", "V schema:inLanguage Pattern", **replace_both("V", LANG, '"français"')),
    mutation("dc language differs", "V dcterms:language Equals", **replace("V", "dcterms:language", '"en"')),
    mutation("two durations", "V schema:duration MaxCount", add=('V schema:duration "PT1M"^^xsd:duration',)),
    mutation("duration as on the platform", "V schema:duration Datatype",
             **replace("V", "schema:duration", '"03:59"^^xsd:duration')),
    mutation("duration untyped", "V schema:duration Datatype", **replace("V", "schema:duration", '"PT3M47S"')),
    mutation("two view counters", "V schema:interactionStatistic MaxCount", add=(
        "V schema:interactionStatistic <video/innovation-publique#views2>",
        "<video/innovation-publique#views2> a schema:InteractionCounter",
        "<video/innovation-publique#views2> schema:interactionType schema:WatchAction",
        "<video/innovation-publique#views2> schema:userInteractionCount 1")),
    mutation("views as a literal", "V schema:interactionStatistic NodeKind; V schema:interactionStatistic Class",
             **replace("V", "schema:interactionStatistic", '"2024"')),
    mutation("counter untyped", "V schema:interactionStatistic Class", remove=("C a *",)),
    mutation("two publication dates", "V schema:datePublished MaxCount", add=both("V", DATE, '"2024-03-02"^^xsd:date')),
    mutation("publication date untyped", "V schema:datePublished Or", **replace_both("V", DATE, '"2024-03-01"')),
    mutation("publication date impossible", "V schema:datePublished Or",
             **replace_both("V", DATE, '"2024-13-01"^^xsd:date')),
    mutation("dc issued missing", "V dcterms:issued Equals", remove=("V dcterms:issued *",)),
    mutation("modified missing", "V dcterms:modified MinCount", remove=("V dcterms:modified *",)),
    mutation("two modified", "V dcterms:modified MaxCount",
             add=('V dcterms:modified "2025-01-01T00:00:00Z"^^xsd:dateTime',)),
    mutation("modified as a date", "V dcterms:modified Datatype",
             **replace("V", "dcterms:modified", '"2025-11-25"^^xsd:date')),
    mutation("keyword untyped", "V schema:keywords Datatype", add=('V schema:keywords "gestion"',)),
    mutation("empty keyword", "V schema:keywords MinLength", add=('V schema:keywords ""@fr',)),
    mutation("theme is a literal", "V schema:about NodeKind; V schema:about Class",
             add=both("V", SUBJECT, '"Management public"@fr')),
    mutation("theme not described", "V schema:about Class", add=both("V", SUBJECT, "<theme/inconnu>")),
    mutation("dc subject missing", "V dcterms:subject Equals", remove=("V dcterms:subject *",)),
    mutation("no speaker", "V schema:creator MinCount", remove=both("V", CREATOR, "*")),
    mutation("missing type on a linked person", "V schema:creator Class; R schema:contributor Class",
             remove=("Q a *",)),
    mutation("speaker is a literal", "V schema:creator NodeKind; V schema:creator Class",
             add=both("V", CREATOR, '"RIVAL Madina"')),
    mutation("dc creator missing", "V dcterms:creator Equals", remove=("V dcterms:creator *",)),
    mutation("no appearance", "V schema:contributor MinCount", remove=("V schema:contributor *",)),
    mutation("appearance untyped", "V schema:contributor Class", remove=("R a *",)),
    mutation("appearance is a literal", "V schema:contributor NodeKind; V schema:contributor Class",
             add=('V schema:contributor "RIVAL Madina - LIRSA-CNAM"',)),
    mutation("institution is a literal", "V schema:sourceOrganization NodeKind; V schema:sourceOrganization Class",
             add=('V schema:sourceOrganization "LIRSA-CNAM"',)),
    *[
        m
        for prop in ("url", "embedUrl", "contentUrl", "thumbnailUrl")
        for m in (
            mutation(f"two {prop}", f"V schema:{prop} MaxCount", add=(f"V schema:{prop} <https://example.com/2>",)),
            mutation(f"{prop} not an IRI", f"V schema:{prop} NodeKind",
                     **replace("V", f"schema:{prop}", '"https://x.org/"')),
            mutation(f"{prop} not http", f"V schema:{prop} Pattern", **replace("V", f"schema:{prop}", "<ftp://x.org/v>")),
        )
    ],
    mutation("two licences", "V schema:license MaxCount", add=both("V", LICENSE, "<https://example.com/licence>")),
    mutation("licence not an IRI", "V schema:license NodeKind", **replace_both("V", LICENSE, '"https://cc.org/by"')),
    mutation("licence not http", "V schema:license Pattern", **replace_both("V", LICENSE, "<urn:cc:by>")),
    mutation("dc licence missing", "V dcterms:license Equals", remove=("V dcterms:license *",)),
    # --- speaker appearance -----------------------------------------------------------
    mutation("appearance without person", "R schema:contributor MinCount", remove=("R schema:contributor *",)),
    mutation("appearance with two people", "R schema:contributor MaxCount", add=("R schema:contributor P",)),
    mutation("appearance person is a literal", "R schema:contributor NodeKind; R schema:contributor Class",
             **replace("R", "schema:contributor", '"RIVAL Madina"')),
    mutation("no role name", "R schema:roleName MinCount", remove=("R schema:roleName *",)),
    mutation("other role name", "R schema:roleName In", **replace("R", "schema:roleName", '"orateur"')),
    mutation("two role names", "R schema:roleName MaxCount; R schema:roleName In", add=('R schema:roleName "speaker"@en',)),
    mutation("two institutions on an appearance", "R schema:affiliation MaxCount",
             add=("R schema:affiliation <organization/cnam>",)),
    mutation("appearance institution is a literal", "R schema:affiliation NodeKind; R schema:affiliation Class",
             **replace("R", "schema:affiliation", '"LIRSA-CNAM"')),
    mutation("position missing", "R schema:position MinCount", remove=("R schema:position *",)),
    mutation("two positions", "R schema:position MaxCount", add=("R schema:position 2",)),
    mutation("position 0", "R schema:position MinInclusive", **replace("R", "schema:position", "0")),
    mutation("position as a string", "R schema:position Datatype; R schema:position MinInclusive",
             **replace("R", "schema:position", '"1"')),
    mutation("display line missing", "R rdfs:label MinCount", remove=("R rdfs:label *",)),
    mutation("two display lines", "R rdfs:label MaxCount", add=('R rdfs:label "RIVAL M."',)),
    mutation("display line tagged", "R rdfs:label Datatype", **replace("R", "rdfs:label", '"RIVAL Madina"@fr')),
    mutation("empty display line", "R rdfs:label MinLength", **replace("R", "rdfs:label", '""')),
    # --- person -----------------------------------------------------------------------
    *[
        m
        for prop, count in (("name", "MinCount"), ("familyName", "MinCount"), ("givenName", None))
        for m in (
            *([mutation(f"person {prop} missing", f"P schema:{prop} {count}", remove=(f"P schema:{prop} *",))]
              if count else []),
            mutation(f"two {prop}s", f"P schema:{prop} MaxCount", add=(f'P schema:{prop} "Autre"',)),
            mutation(f"person {prop} tagged", f"P schema:{prop} Datatype", **replace("P", f"schema:{prop}", '"Alain"@fr')),
            mutation(f"empty person {prop}", f"P schema:{prop} MinLength", **replace("P", f"schema:{prop}", '""')),
        )
    ],
    mutation("name as written missing", "P schema:alternateName MinCount", remove=("P schema:alternateName *",)),
    mutation("name as written tagged", "P schema:alternateName Datatype", add=('P schema:alternateName "Alain"@fr',)),
    mutation("empty name as written", "P schema:alternateName MinLength", add=('P schema:alternateName ""',)),
    mutation("person affiliation is a literal", "P schema:affiliation NodeKind; P schema:affiliation Class",
             add=('P schema:affiliation "LIRSA-CNAM"',)),
    mutation("person authority link is a string", "P owl:sameAs NodeKind",
             add=both("P", SAME, '"https://orcid.org/0000-0002-1825-0097"')),
    mutation("person linked to no authority", "P owl:sameAs Pattern", add=both("P", SAME, "<https://example.org/alain>")),
    mutation("person linked to ROR", "P owl:sameAs Pattern", add=both("P", SAME, "<https://ror.org/0175hh227>")),
    mutation("ORCID without hyphens", "P owl:sameAs Pattern", add=both("P", SAME, "<https://orcid.org/0000000218250097>")),
    mutation("schema:sameAs differs", "P schema:sameAs Equals",
             remove=("P schema:sameAs <http://viaf.org/viaf/12345678>",)),
    # --- institution ------------------------------------------------------------------
    mutation("institution name missing", "O schema:name MinCount", remove=("O schema:name *",)),
    mutation("two institution names", "O schema:name MaxCount", add=('O schema:name "LIRSA"',)),
    mutation("institution name tagged", "O schema:name Datatype", **replace("O", "schema:name", '"LIRSA"@fr')),
    mutation("empty institution name", "O schema:name MinLength", **replace("O", "schema:name", '""')),
    mutation("label as written missing", "O schema:alternateName MinCount", remove=("O schema:alternateName *",)),
    mutation("label as written tagged", "O schema:alternateName Datatype", add=('O schema:alternateName "LIRSA"@fr',)),
    mutation("empty label as written", "O schema:alternateName MinLength", add=('O schema:alternateName ""',)),
    mutation("two parents", "O schema:parentOrganization MaxCount",
             add=("O schema:parentOrganization <organization/autre>", *OTHER_ORG)),
    mutation("parent is a literal", "O schema:parentOrganization NodeKind; O schema:parentOrganization Class",
             **replace("O", "schema:parentOrganization", '"CNAM"')),
    mutation("parent not described", "O schema:parentOrganization Class",
             **replace("O", "schema:parentOrganization", "<organization/inconnue>")),
    mutation("two web sites", "O schema:url MaxCount", add=("O schema:url <https://www.cnam.fr/>",)),
    mutation("web site not an IRI", "O schema:url NodeKind", **replace("O", "schema:url", '"https://lirsa.cnam.fr/"')),
    mutation("web site not http", "O schema:url Pattern", **replace("O", "schema:url", "<mailto:lirsa@cnam.fr>")),
    mutation("institution authority link is a string", "O owl:sameAs NodeKind",
             add=both("O", SAME, '"https://ror.org/0175hh227"')),
    mutation("institution linked to ORCID", "O owl:sameAs Pattern",
             add=both("O", SAME, "<https://orcid.org/0000-0002-1825-0097>")),
    mutation("institution schema:sameAs missing", "O schema:sameAs Equals", remove=("O schema:sameAs *",)),
    # --- theme and scheme -------------------------------------------------------------
    mutation("theme not a DefinedTerm", "T rdf:type HasValue", remove=("T a schema:DefinedTerm",)),
    mutation("theme not a Concept", "T rdf:type HasValue; V schema:about Class; W schema:about Class",
             remove=("T a skos:Concept",)),
    mutation("theme label missing", "T skos:prefLabel MinCount", remove=both("T", PREF, "*")),
    mutation("two theme labels", "T skos:prefLabel MaxCount", add=both("T", PREF, '"Public management"@en')),
    mutation("theme label untagged", "T skos:prefLabel Datatype", **replace_both("T", PREF, '"Management public"')),
    mutation("empty theme label", "T skos:prefLabel MinLength", **replace_both("T", PREF, '""@fr')),
    mutation("theme name differs", "T schema:name Equals", remove=("T schema:name *",)),
    mutation("theme in another scheme", "T skos:inScheme HasValue", **replace_both("T", SCHEME, "<vocabulary/>")),
    mutation("theme in two schemes", "T skos:inScheme MaxCount", add=both("T", SCHEME, "<vocabulary/>")),
    mutation("theme term set differs", "T schema:inDefinedTermSet Equals", remove=("T schema:inDefinedTermSet *",)),
    mutation("scheme not a DefinedTermSet", "S rdf:type HasValue", remove=("S a schema:DefinedTermSet",)),
    mutation("scheme not a ConceptScheme", "S rdf:type HasValue", remove=("S a skos:ConceptScheme",)),
    mutation("a second scheme", "vocabulary/ - In", add=("<vocabulary/> a skos:ConceptScheme",)),
    # --- view counter -----------------------------------------------------------------
    mutation("counter type missing", "C schema:interactionType MinCount; C schema:interactionType HasValue",
             remove=("C schema:interactionType *",)),
    mutation("two counter types", "C schema:interactionType MaxCount", add=("C schema:interactionType schema:LikeAction",)),
    mutation("counter counts likes", "C schema:interactionType HasValue",
             **replace("C", "schema:interactionType", "schema:LikeAction")),
    mutation("count missing", "C schema:userInteractionCount MinCount", remove=("C schema:userInteractionCount *",)),
    mutation("two counts", "C schema:userInteractionCount MaxCount", add=("C schema:userInteractionCount 5",)),
    mutation("negative count", "C schema:userInteractionCount MinInclusive",
             **replace("C", "schema:userInteractionCount", "-1")),
    mutation("count as a string", "C schema:userInteractionCount Datatype; C schema:userInteractionCount MinInclusive",
             **replace("C", "schema:userInteractionCount", '"2024"')),
    mutation("count ill-typed", "C schema:userInteractionCount Datatype; C schema:userInteractionCount MinInclusive",
             **replace("C", "schema:userInteractionCount", '"2 024 vues"^^xsd:integer')),
    mutation("count as a decimal", "C schema:userInteractionCount Datatype",
             **replace("C", "schema:userInteractionCount", "2024.5")),
    # --- dataset ----------------------------------------------------------------------
    *[mutation(f"dataset not a {t}", "D rdf:type HasValue", remove=(f"D a {t}",))
      for t in ("void:Dataset", "dcat:Dataset", "schema:Dataset")],
    mutation("dataset title missing", "D dcterms:title MinCount", remove=both("D", D_TITLE, "*")),
    mutation("dataset title is an IRI", "D dcterms:title NodeKind", **replace_both("D", D_TITLE, "<titre>")),
    mutation("dataset name differs", "D schema:name Equals", remove=("D schema:name *",)),
    mutation("dataset licence missing", "D dcterms:license MinCount", remove=both("D", D_LICENSE, "*")),
    mutation("two dataset licences", "D dcterms:license MaxCount", add=both("D", D_LICENSE, "<https://example.com/l>")),
    mutation("dataset licence is a string", "D dcterms:license NodeKind", **replace_both("D", D_LICENSE, '"CC BY"')),
    mutation("dataset schema:license differs", "D schema:license Equals", remove=("D schema:license *",)),
    mutation("dataset modified missing", "D dcterms:modified MinCount", remove=both("D", D_MODIFIED, "*")),
    mutation("two dataset modified", "D dcterms:modified MaxCount",
             add=both("D", D_MODIFIED, '"2025-01-01T00:00:00Z"^^xsd:dateTime')),
    mutation("dataset modified as a date", "D dcterms:modified Datatype",
             **replace_both("D", D_MODIFIED, '"2025-11-25"^^xsd:date')),
    mutation("dataset dateModified differs", "D schema:dateModified Equals", remove=("D schema:dateModified *",)),
    *[
        m
        for prop in ("void:triples", "void:entities")
        for m in (
            mutation(f"{prop} missing", f"D {prop} MinCount", remove=(f"D {prop} *",)),
            mutation(f"two {prop}", f"D {prop} MaxCount", add=(f"D {prop} 7",)),
            mutation(f"{prop} negative", f"D {prop} MinInclusive", **replace("D", prop, "-7")),
            mutation(f"{prop} decimal", f"D {prop} Datatype", **replace("D", prop, "1.5")),
        )
    ],
    mutation("endpoint missing", "D void:sparqlEndpoint MinCount", remove=("D void:sparqlEndpoint *",)),
    mutation("two endpoints", "D void:sparqlEndpoint MaxCount", add=("D void:sparqlEndpoint <sparql2>",)),
    mutation("endpoint is a string", "D void:sparqlEndpoint NodeKind", **replace("D", "void:sparqlEndpoint", '"/sparql"')),
    mutation("no dump", "D void:dataDump MinCount", remove=("D void:dataDump *",)),
    mutation("dump is a string", "D void:dataDump NodeKind", **replace("D", "void:dataDump", '"dump.nt"')),
    mutation("no distribution", "D dcat:distribution MinCount", remove=("D dcat:distribution *",)),
    mutation("distribution is a string", "D dcat:distribution NodeKind", **replace("D", "dcat:distribution", '"dump"')),
    mutation("example is a string", "D void:exampleResource NodeKind", add=('D void:exampleResource "video"',)),
    mutation("no vocabulary", "D void:vocabulary MinCount", remove=("D void:vocabulary *",)),
    mutation("vocabulary is a string", "D void:vocabulary NodeKind", add=('D void:vocabulary "schema.org"',)),
]


@pytest.fixture(scope="module")
def shapes() -> Shapes:
    return load_shapes(BASE)


@pytest.fixture(scope="module")
def sample() -> Graph:
    return Graph().parse(SAMPLE, format="turtle", publicID=BASE)


def mutate(sample: Graph, m: Mutation) -> str:
    graph = Graph()
    graph += sample
    for text in m.remove:
        s, p, o = _triple(text)
        before = len(graph)
        graph.remove((s, p, None if o == "*" else o))
        assert len(graph) < before, f"{m.name}: nothing to remove for {text!r}"
    for text in m.add:
        graph.add(_triple(text))
    return graph.serialize(format="nt")


def _triple(text: str) -> tuple:
    subject, predicate, obj = text.split(maxsplit=2)
    terms = [f"<{NODES[t]}>" if t in NODES else t for t in (subject, obj)]
    if terms[1] == "*":
        terms[1] = "<placeholder>"
    parsed = Graph().parse(data=f"{TURTLE_PREFIXES}{terms[0]} {predicate} {terms[1]} .", format="turtle", publicID=BASE)
    ((s, p, o),) = list(parsed)
    return s, p, ("*" if obj == "*" else o)


def keys(violations: list[Violation]) -> set[tuple[str, str | None, str]]:
    return {(v.focus, v.path, v.component) for v in violations}


def comparable(violations: list[Violation]) -> list[tuple]:
    """Whole violations, values read back by rdflib: each engine writes literals in its own canonical form."""
    return sorted(((*astuple(v)[:2], _term(v.value), *astuple(v)[3:]) for v in violations), key=repr)


def _term(value: str | None) -> object:
    if value is None:
        return None
    ((_, _, term),) = list(Graph().parse(data=f"<s:s> <p:p> {value} .", format="nt"))
    return term


def test_the_sample_conforms_under_both_engines(shapes: Shapes, sample: Graph) -> None:
    data = sample.serialize(format="nt")
    assert validate(data, shapes) == []
    assert validate_pyshacl(data, shapes) == []


@pytest.mark.parametrize("m", MUTATIONS, ids=[m.name for m in MUTATIONS])
def test_both_engines_report_each_broken_rule(shapes: Shapes, sample: Graph, m: Mutation) -> None:
    data = mutate(sample, m)
    fast, reference = validate(data, shapes), validate_pyshacl(data, shapes)
    assert keys(fast) == m.expect
    assert keys(reference) == m.expect
    assert comparable(fast) == comparable(reference)  # values, messages and record fields too


def test_the_mutations_make_every_constraint_fire(shapes: Shapes, sample: Graph) -> None:
    fired = set()
    for m in MUTATIONS:
        store = pyoxigraph.Store()
        store.bulk_load(input=mutate(sample, m).encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)
        for i, check in enumerate(shapes.checks):
            rows = store.query(check.query)
            assert isinstance(rows, pyoxigraph.QuerySolutions)
            if next(iter(rows), None) is not None:
                fired.add(i)
    silent = [(str(c.path), c.component, c.message) for i, c in enumerate(shapes.checks) if i not in fired]
    assert not silent


def test_violations_carry_bilingual_messages_and_the_record_field(shapes: Shapes, sample: Graph) -> None:
    m = next(m for m in MUTATIONS if m.name == "negative count")
    (violation,) = validate(mutate(sample, m), shapes)
    assert violation.field == "views"
    assert violation.value == '"-1"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert "views" in violation.message and "views" in violation.message_fr
    assert violation.message != violation.message_fr
    assert violation.severity == "Violation"
    assert str(violation).startswith(f"{BASE}video/innovation-publique#views: views: ")


def test_relative_iris_follow_the_base() -> None:
    base = "https://data.example.edu/catalogue/"
    shapes = load_shapes(base)
    data = Graph().parse(SAMPLE, format="turtle", publicID=base).serialize(format="nt")
    assert validate(data, shapes) == []
    broken = data.replace(f"<{base}theme/> .", f"<{base}vocabulary/> .")
    assert {v.component for v in validate(broken, shapes)} == {"HasValueConstraintComponent"}


def test_switching_shapes_off(shapes: Shapes, sample: Graph) -> None:
    videos_only = Graph()
    videos_only += sample
    videos_only.remove((URIRef(BASE + "dataset"), None, None))
    data = videos_only.serialize(format="nt")
    assert {v.focus for v in validate(data, shapes)} == {BASE + "dataset"}
    fewer = shapes.without(BASE + "shapes#Dataset")
    assert len(fewer) < len(shapes)
    assert validate(data, fewer) == [] == validate_pyshacl(data, fewer)


# --- constructs outside the compiled subset ---------------------------------------------

SHAPE = """@prefix ex: <http://example.org/ns#> .
ex:Shape a sh:NodeShape ; sh:targetClass ex:Thing ; {} .
"""
UNSUPPORTED = {
    "sh:node": ("sh:node ex:Other", "sh:node"),
    "sh:closed": ("sh:closed true", "sh:closed"),
    "sh:not": ("sh:not [ sh:class ex:A ]", "sh:not"),
    "sh:and": ("sh:and ( [ sh:class ex:A ] )", "sh:and"),
    "sh:xone": ("sh:xone ( [ sh:class ex:A ] )", "sh:xone"),
    "sh:sparql": ('sh:sparql [ sh:select "SELECT $this WHERE {}" ]', "sh:sparql|sh:select"),
    "sh:deactivated": ("sh:deactivated true", "sh:deactivated"),
    "sh:target": ("sh:target [ a sh:SPARQLTarget ]", "sh:target|sh:SPARQLTarget"),
    "sequence path": ("sh:property [ sh:path ( ex:a ex:b ) ; sh:minCount 1 ]", "sh:path"),
    "inverse path": ("sh:property [ sh:path [ sh:inversePath ex:a ] ]", "sh:inversePath"),
    "qualified shape": (
        "sh:property [ sh:path ex:a ; sh:qualifiedValueShape [ sh:class ex:A ] ]", "sh:qualifiedValueShape"
    ),
    "sh:lessThan": ("sh:property [ sh:path ex:a ; sh:lessThan ex:b ]", "sh:lessThan"),
    "sh:disjoint": ("sh:property [ sh:path ex:a ; sh:disjoint ex:b ]", "sh:disjoint"),
    "minCount on a node shape": ("sh:minCount 1", "only supported on property shapes"),
    "nested property shape": ("sh:property [ sh:path ex:a ; sh:property [ sh:path ex:b ] ]", "sh:property inside"),
    "path in an sh:or member": (
        "sh:property [ sh:path ex:a ; sh:or ( [ sh:path ex:b ; sh:minCount 1 ] ) ]", "sh:or members"
    ),
    "unknown node kind": ("sh:property [ sh:path ex:a ; sh:nodeKind sh:Thing ]", "sh:nodeKind"),
    "misspelt parameter": ("sh:property [ sh:path ex:a ; sh:minCont 1 ]", "sh:minCont"),
    "unsupported regex flag": ('sh:property [ sh:path ex:a ; sh:pattern "a" ; sh:flags "q" ]', "sh:flags"),
    "negative count": ("sh:property [ sh:path ex:a ; sh:maxCount -1 ]", "non-negative integer"),
    "blank node value": ("sh:property [ sh:path ex:a ; sh:hasValue [ ] ]", "blank node"),
    "implicit class target": ("a rdfs:Class", "implicit class targets"),
}


@pytest.mark.parametrize("name", list(UNSUPPORTED))
def test_unsupported_constructs_are_refused_when_loading(tmp_path: Path, name: str) -> None:
    body, named = UNSUPPORTED[name]
    path = tmp_path / "shapes.ttl"
    path.write_text(TURTLE_PREFIXES + SHAPE.format(body), encoding="utf-8")
    with pytest.raises(ShapesError, match=named):
        load_shapes(BASE, [path])


def test_broken_shapes_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "shapes.ttl"
    path.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(ShapesError, match="cannot read shapes"):
        load_shapes(BASE, [path])
    with pytest.raises(ShapesError, match="end with '/'"):
        load_shapes("http://example.org")


# --- the rest of the compiled subset, against pySHACL on data of its own -----------------

EXTRA_SHAPES = """@prefix ex: <http://example.org/ns#> .
ex:Things a sh:NodeShape ;
    sh:targetSubjectsOf ex:label ;
    sh:property [ sh:path ex:label ; sh:languageIn ( "fr" "en" ) ; sh:uniqueLang true ; sh:maxLength 8 ] ,
        [ sh:path ex:size ; sh:minExclusive 0 ; sh:maxExclusive 10 ; sh:maxInclusive 9 ] ,
        [ sh:path ex:code ; sh:pattern "^ab" ; sh:flags "i" ; sh:minCount 2 ; sh:severity sh:Warning ] ,
        [ sh:path ex:kind ; sh:in ( ex:a ex:b ) ;
          sh:or ( [ sh:nodeKind sh:IRI ; sh:class ex:K ] [ sh:datatype xsd:string ] ) ] .
ex:Targets a sh:NodeShape ;
    sh:targetObjectsOf ex:link ;
    sh:nodeKind sh:IRI ; sh:class ex:K ; sh:pattern "^http://example.org/ok" .
ex:Subclasses a sh:NodeShape ;
    sh:targetClass ex:K ;
    sh:property [ sh:path ex:label ; sh:minCount 1 ; sh:datatype rdf:langString ] .
"""
EXTRA_DATA = """@prefix ex: <http://example.org/ns#> .
ex:Sub rdfs:subClassOf ex:K .
ex:one ex:label "un"@fr , "one"@en , "uno"@it , "premier"@FR , "beaucoup trop long"@en ;
    ex:size 0 , 5 , 10 , 9.5 , "7" ; ex:code "ABc" ;
    ex:kind ex:a , ex:c , "a" ; ex:link ex:sub , ex:nothing , "literal" .
ex:two ex:label "deux"@fr ; ex:code "ab" , "xab" ; ex:kind ex:b .
ex:b a ex:Sub ; ex:label "b" .
ex:sub a ex:Sub .
ex:ok a ex:K ; ex:label "ok"@en .
ex:three ex:link ex:ok .
"""


def test_the_rest_of_the_subset_agrees_with_pyshacl(tmp_path: Path) -> None:
    path = tmp_path / "extra.ttl"
    path.write_text(TURTLE_PREFIXES + EXTRA_SHAPES, encoding="utf-8")
    shapes = load_shapes(BASE, [path])
    data = Graph().parse(data=TURTLE_PREFIXES + EXTRA_DATA, format="turtle").serialize(format="nt")
    fast, reference = validate(data, shapes), validate_pyshacl(data, shapes)
    assert comparable(fast) == comparable(reference)
    components = {v.component.removesuffix("ConstraintComponent") for v in fast}
    assert components == {
        "LanguageIn", "UniqueLang", "MaxLength", "MinExclusive", "MaxExclusive", "MaxInclusive", "Pattern",
        "MinCount", "In", "Or", "NodeKind", "Class", "Datatype",
    }  # fmt: skip
    assert {v.severity for v in fast} == {"Violation", "Warning"}
    assert all(v.message and v.message_fr for v in fast)  # generic ones where the shapes give none


# --- speed ------------------------------------------------------------------------------


def catalogue_ntriples(videos: int) -> str:
    """A batch as the build validates it: videos, then the people, institutions and themes they name."""
    families = ("RIVAL", "BURLAUD", "WALLISER", "GAREL", "DUPONT", "MARTIN", "BERNARD", "PETIT", "ROBERT", "RICHARD")
    given = ("Madina", "Alain", "Elisabeth", "Gilles", "Claire", "Jean", "Anne", "Paul", "Marie", "Louis", "Sophie")
    records = [
        Record(
            id=f"v{i:06d}", title=f"Titre de la vidéo {i}", description="Une conférence filmée.", duration="PT3M59S",
            views=i, published="2024-03-01", url=f"https://videos.example.org/v/{i}",
            license="https://creativecommons.org/licenses/by-nc-nd/4.0/", keywords=("innovation", "secteur public"),
            themes=(f"Thème {i % 20}",),
            speakers=tuple(
                Speaker(parse_name(f"{families[(i * 7 + k) % 10]} {given[(i * 3 + k * 5) % 11]}")[0],
                        f"Institut {(i + k) % 40}")
                for k in range(2)
            ),
        )
        for i in range(videos)
    ]
    mapper = Mapper(Iris(BASE), resolve(records, {}, {}))
    parts = [as_ntriples(mapper.video(r, "2025-11-25T20:00:00Z")) for r in records]
    parts += [as_ntriples(triples) for triples in mapper.entities()]
    return "".join(parts)


@pytest.mark.slow
def test_the_fast_engine_is_ten_times_faster_than_pyshacl(shapes: Shapes) -> None:
    data = catalogue_ntriples(1000)
    fewer = shapes.without(BASE + "shapes#Dataset")
    started = time.perf_counter()
    fast = validate(data, fewer)
    fast_seconds = time.perf_counter() - started
    started = time.perf_counter()
    reference = validate_pyshacl(data, fewer)
    reference_seconds = time.perf_counter() - started
    assert fast == reference == []
    assert reference_seconds / fast_seconds >= 10, (fast_seconds, reference_seconds)
