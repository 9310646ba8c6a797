"""How names and institutions are scored, on small hand-made indexes: name order, initials,
namesakes, institution evidence up and down the hierarchy, and when `match` is withheld."""

from __future__ import annotations

import pytest

from publisher.reconciliation import Entity, Index, PersonQuery, Query, acronym, key, words

BASE = "http://example.org/"


def person(slug: str, family: str, given: str, *orgs: str) -> Entity:
    return Entity(f"person/{slug}", "person", f"{given} {family}", [key(f"{family} {given}")], words(family), words(given),
                  affiliations=[f"organization/{o}" for o in orgs])


def org(slug: str, name: str, *alternates: str, parent: str | None = None) -> Entity:
    e = Entity(f"organization/{slug}", "organization", name, [key(name), *map(key, alternates), acronym(name)],
               alternates=list(alternates), parent=f"organization/{parent}" if parent else None)
    return e


def index(*entities: Entity) -> Index:
    found = Index(BASE, entities)
    for e in entities:
        if e.parent:
            found.entities[e.parent].children.append(e.id)
    return found


ORGS = (
    org("cnam", "Conservatoire national des arts et métiers", "CNAM", "Le Cnam"),
    org("lirsa-cnam", "Laboratoire interdisciplinaire de recherche en sciences de l'action", "LIRSA-CNAM", parent="cnam"),
    org("emlv", "École de management Léonard de Vinci", "EMLV"),
)


def ranked(idx: Index, text: str, *institutions: str) -> list[tuple[str, bool]]:
    return [(c.entity.id, c.match) for c in idx.reconcile(Query(text, ("person",), 5, list(institutions)))]


@pytest.mark.parametrize(("text", "family", "initials"), [
    ("RIVAL Madina", ["rival"], []),
    ("Madina Rival", ["rival"], []),
    ("Rival, M.", ["rival"], ["m"]),
    ("DE LA FONTAINE Jean", ["de", "la", "fontaine"], []),
    ("Walliser, J.-G. R.", ["walliser"], ["j", "g", "r"]),
    ("rival madina", None, []),
])
def test_what_a_written_name_says(text: str, family: list[str] | None, initials: list[str]) -> None:
    parsed = PersonQuery.parse(text)
    assert (parsed.family, parsed.initials) == (family, initials)


def test_order_case_and_accents_do_not_count() -> None:
    idx = index(person("joullie-jean-etienne", "JOULLIÉ", "Jean-Étienne", "emlv"), person("joly-jean", "JOLY", "Jean", "emlv"), *ORGS)
    for text in ("JOULLIÉ Jean-Étienne", "Jean-Etienne Joullie", "joullie jean etienne", "JOULLIE JEAN-ETIENNE"):
        assert ranked(idx, text)[0] == ("person/joullie-jean-etienne", True), text


def test_two_people_with_swapped_names_are_never_matched_on_an_unordered_name() -> None:
    idx = index(person("martin-paul", "MARTIN", "Paul"), person("paul-martin", "PAUL", "Martin"))
    assert [m for _, m in ranked(idx, "paul martin")] == [False, False]
    assert ranked(idx, "MARTIN Paul")[0] == ("person/martin-paul", False)  # first, but 3 points ahead only


def test_initials_rank_but_do_not_match() -> None:
    idx = index(person("rival-madina", "RIVAL", "Madina", "lirsa-cnam"), person("rival-marc", "RIVAL", "Marc", "emlv"), *ORGS)
    assert [m for _, m in ranked(idx, "Rival, M.")] == [False, False]
    assert ranked(idx, "Rival, M.", "LIRSA-CNAM")[0] == ("person/rival-madina", False)
    assert ranked(idx, "Rival, M.", "EMLV")[0] == ("person/rival-marc", False)
    assert ranked(idx, "Rival, P.") == []  # no Rival with a P.


def test_institution_evidence_follows_the_hierarchy() -> None:
    idx = index(person("rival-madina", "RIVAL", "Madina", "lirsa-cnam"), *ORGS)
    assert ranked(idx, "Madina Rival", "LIRSA-CNAM") == [("person/rival-madina", True)]
    assert ranked(idx, "Madina Rival", "Conservatoire national des arts et metiers") == [("person/rival-madina", True)]
    assert ranked(idx, "Madina Rival", "le cnam") == [("person/rival-madina", True)]
    assert ranked(idx, "Madina Rival", "EMLV") == [("person/rival-madina", False)]  # shown only elsewhere
    # An institution the catalogue does not know says nothing: the name alone decides, as without it.
    assert ranked(idx, "Madina Rival", "Université inconnue") == ranked(idx, "Madina Rival") == [("person/rival-madina", True)]


def test_institutions_by_label_acronym_and_full_name() -> None:
    idx = index(*ORGS)
    for text, expected in (("CNAM", "organization/cnam"), ("Conservatoire National des Arts et Métiers", "organization/cnam"),
                           ("LIRSA-CNAM", "organization/lirsa-cnam"), ("lirsa cnam", "organization/lirsa-cnam")):
        top = idx.reconcile(Query(text, ("organization",)))[0]
        assert (top.entity.id, top.match) == (expected, True), text
