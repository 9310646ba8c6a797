"""The mapping writes exactly the statements of profile.md (compared as graphs)."""

from __future__ import annotations

from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic

from publisher.entities import resolve
from publisher.mapping import Mapper, as_ntriples
from publisher.model import InstitutionAuthority, PersonAuthority, Record, Speaker
from publisher.names import parse_name
from publisher.terms import Iris

BASE = "http://example.org/"
ORCID = "https://orcid.org/0000-0002-1825-0097"


def speaker(name: str, institution: str | None) -> Speaker:
    return Speaker(parse_name(name)[0], institution)


PORTRAIT = Record(
    id="portrait-burlaud",
    title="Portrait du Professeur Alain Burlaud",
    description="Découvrez le portrait\ndu Professeur \"Alain\" Burlaud.",
    duration="PT52M52S",
    views=2024,
    published="2024-03-01T10:00:00+01:00",
    url="https://videos.example.org/v/1",
    license="https://creativecommons.org/licenses/by-nc/4.0/",
    keywords=("comptabilité", "portrait"),
    themes=("Histoire du management",),
    speakers=(speaker("BURLAUD Alain", "LIRSA-CNAM"), speaker("WALLISER Elisabeth", "IAE de Nice")),
)

EXPECTED = """
@prefix schema: <http://schema.org/> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix v: <http://example.org/video/> . @prefix p: <http://example.org/person/> .
@prefix o: <http://example.org/organization/> . @prefix t: <http://example.org/theme/> .

v:portrait-burlaud a schema:VideoObject ;
  schema:identifier "portrait-burlaud" ; dcterms:identifier "portrait-burlaud" ;
  schema:name "Portrait du Professeur Alain Burlaud"@fr ; dcterms:title "Portrait du Professeur Alain Burlaud"@fr ;
  schema:description "Découvrez le portrait\\ndu Professeur \\"Alain\\" Burlaud."@fr ;
  dcterms:description "Découvrez le portrait\\ndu Professeur \\"Alain\\" Burlaud."@fr ;
  schema:inLanguage "fr" ; dcterms:language "fr" ;
  dcterms:modified "2026-01-01T00:00:00Z"^^xsd:dateTime ;
  schema:duration "PT52M52S"^^xsd:duration ;
  schema:datePublished "2024-03-01T10:00:00+01:00"^^xsd:dateTime ; dcterms:issued "2024-03-01T10:00:00+01:00"^^xsd:dateTime ;
  schema:interactionStatistic <http://example.org/video/portrait-burlaud#views> ;
  schema:url <https://videos.example.org/v/1> ;
  schema:license <https://creativecommons.org/licenses/by-nc/4.0/> ; dcterms:license <https://creativecommons.org/licenses/by-nc/4.0/> ;
  schema:keywords "comptabilité"@fr , "portrait"@fr ;
  schema:about t:histoire-du-management ; dcterms:subject t:histoire-du-management ;
  schema:creator p:burlaud-alain , p:walliser-elisabeth ; dcterms:creator p:burlaud-alain , p:walliser-elisabeth ;
  schema:contributor <http://example.org/video/portrait-burlaud#speaker-1> , <http://example.org/video/portrait-burlaud#speaker-2> ;
  schema:sourceOrganization o:lirsa-cnam , o:iae-de-nice .

<http://example.org/video/portrait-burlaud#views> a schema:InteractionCounter ;
  schema:interactionType schema:WatchAction ; schema:userInteractionCount 2024 .

<http://example.org/video/portrait-burlaud#speaker-1> a schema:Role ; schema:contributor p:burlaud-alain ;
  schema:roleName "speaker" ; schema:affiliation o:lirsa-cnam ; schema:position 1 ;
  rdfs:label "BURLAUD Alain - LIRSA-CNAM" .
<http://example.org/video/portrait-burlaud#speaker-2> a schema:Role ; schema:contributor p:walliser-elisabeth ;
  schema:roleName "speaker" ; schema:affiliation o:iae-de-nice ; schema:position 2 ;
  rdfs:label "WALLISER Elisabeth - IAE de Nice" .
"""

ENTITIES = """
@prefix schema: <http://schema.org/> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix p: <http://example.org/person/> . @prefix o: <http://example.org/organization/> . @prefix t: <http://example.org/theme/> .

p:burlaud-alain a schema:Person ; schema:name "Alain Burlaud" ; schema:givenName "Alain" ; schema:familyName "Burlaud" ;
  schema:alternateName "BURLAUD Alain" ; schema:affiliation o:lirsa-cnam ;
  owl:sameAs <https://orcid.org/0000-0002-1825-0097> ; schema:sameAs <https://orcid.org/0000-0002-1825-0097> .
p:walliser-elisabeth a schema:Person ; schema:name "Elisabeth Walliser" ; schema:givenName "Elisabeth" ;
  schema:familyName "Walliser" ; schema:alternateName "WALLISER Elisabeth" ; schema:affiliation o:iae-de-nice .
o:lirsa-cnam a schema:Organization ; schema:name "Laboratoire interdisciplinaire de recherche en sciences de l'action" ;
  schema:alternateName "LIRSA-CNAM" , "LIRSA" ; schema:parentOrganization o:cnam ; schema:url <https://lirsa.cnam.fr/> ;
  owl:sameAs <https://ror.org/0175hh227> ; schema:sameAs <https://ror.org/0175hh227> .
o:cnam a schema:Organization ; schema:name "CNAM" ; schema:alternateName "CNAM" .
o:iae-de-nice a schema:Organization ; schema:name "IAE de Nice" ; schema:alternateName "IAE de Nice" .
t:histoire-du-management a skos:Concept , schema:DefinedTerm ;
  skos:prefLabel "Histoire du management"@fr ; schema:name "Histoire du management"@fr ;
  skos:inScheme <http://example.org/theme/> ; schema:inDefinedTermSet <http://example.org/theme/> .
<http://example.org/theme/> a skos:ConceptScheme , schema:DefinedTermSet ;
  skos:prefLabel "Thèmes"@fr , "Themes"@en ; schema:name "Thèmes"@fr , "Themes"@en ;
  skos:hasTopConcept t:histoire-du-management ; schema:hasDefinedTerm t:histoire-du-management .
"""

INSTITUTIONS = {
    "LIRSA-CNAM": InstitutionAuthority(
        "LIRSA-CNAM",
        "Laboratoire interdisciplinaire de recherche en sciences de l'action",
        ("LIRSA",),
        "CNAM",
        "https://lirsa.cnam.fr/",
        {"ror": "https://ror.org/0175hh227"},
    )
}
PEOPLE = {"BURLAUD Alain": PersonAuthority("BURLAUD Alain", {"orcid": ORCID})}


def parse(ntriples: str) -> Graph:
    return Graph().parse(data=ntriples, format="nt")


def assert_same(actual: Graph, expected: Graph) -> None:
    _, missing, extra = graph_diff(expected, actual)
    assert isomorphic(actual, expected), (
        f"missing: {sorted(missing)}\nextra: {sorted(extra)}"
    )


def test_video_statements_follow_the_profile():
    mapper = Mapper(Iris(BASE), resolve([PORTRAIT], INSTITUTIONS, PEOPLE))
    actual = parse(as_ntriples(mapper.video(PORTRAIT, "2026-01-01T00:00:00Z")))
    assert_same(actual, Graph().parse(data=EXPECTED, format="turtle"))


def test_entity_statements_follow_the_profile():
    mapper = Mapper(Iris(BASE), resolve([PORTRAIT], INSTITUTIONS, PEOPLE))
    actual = Graph()
    for triples in mapper.entities():
        actual += parse(as_ntriples(triples))
    assert_same(actual, Graph().parse(data=ENTITIES, format="turtle"))


def test_minimal_record_has_no_optional_statements():
    record = Record(id="m", title="T", speakers=(speaker("RIVAL Madina", None),))
    mapper = Mapper(Iris(BASE), resolve([record], {}, {}))
    graph = parse(as_ntriples(mapper.video(record, "2026-01-01T00:00:00Z")))
    predicates = {str(p).rsplit("/", 1)[-1] for p in graph.predicates()}
    assert "affiliation" not in predicates and "sourceOrganization" not in predicates
    assert "interactionStatistic" not in predicates and "duration" not in predicates
    assert len(graph) == 8 + 8  # video basics + one Role, as counted in profile.md
