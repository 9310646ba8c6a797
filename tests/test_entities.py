"""Identity rules of records.md: who is one person, one institution, one theme, and their slugs."""

from __future__ import annotations

import pytest

from publisher.entities import resolve
from publisher.model import InstitutionAuthority, PersonAuthority, PersonName, Record, Speaker
from publisher.names import parse_name
from publisher.terms import make_slug


def speaker(name: str, institution: str | None = None, **ids: str) -> Speaker:
    parsed, _ = parse_name(name)
    return Speaker(parsed, institution, dict(ids))


def record(rid: str, *speakers: Speaker, themes: tuple[str, ...] = (), language: str = "fr") -> Record:
    return Record(id=rid, title=rid, speakers=speakers, themes=themes, language=language, source="t.jsonl", line=1)


def test_names_equal_after_folding_are_one_person():
    reg = resolve(
        [record("a", speaker("JOULLIÉ Jean-Étienne", "EMLV")), record("b", speaker("Joullie Jean-Etienne", "EMLV"))],
        {},
        {},
    )
    assert len(reg.people) == 1
    person = next(iter(reg.people.values()))
    assert person.slug == "joullie-jean-etienne"
    assert person.name == "Jean-Étienne Joullié"
    assert person.written == ["JOULLIÉ Jean-Étienne", "Joullie Jean-Etienne"]


def test_same_name_with_different_identifiers_is_two_people_and_warns():
    orcid_a, orcid_b = "https://orcid.org/0000-0002-1825-0097", "https://orcid.org/0000-0001-5109-3700"
    reg = resolve(
        [record("a", speaker("DUPONT Marie", orcid=orcid_a)), record("b", speaker("DUPONT Marie", orcid=orcid_b))],
        {},
        {},
    )
    assert sorted(p.slug for p in reg.people.values()) == ["dupont-marie", "dupont-marie-2"]
    assert any("dupont-marie-2" in w.message for w in reg.warnings)


def test_people_authority_file_gives_identifiers():
    orcid = "https://orcid.org/0000-0002-1825-0097"
    reg = resolve([record("a", speaker("RIVAL Madina"))], {}, {"RIVAL Madina": PersonAuthority("RIVAL Madina", {"orcid": orcid})})
    assert next(iter(reg.people.values())).ids == {"orcid": orcid}


def test_institution_variants_and_parents():
    rows = {
        "LIRSA-CNAM": InstitutionAuthority("LIRSA-CNAM", "Laboratoire LIRSA", ("LIRSA",), "CNAM"),
        "CNAM": InstitutionAuthority("CNAM", "Conservatoire national des arts et métiers"),
        "Unused": InstitutionAuthority("Unused", "Nobody speaks for it"),
    }
    reg = resolve([record("a", speaker("RIVAL Madina", "lirsa")), record("b", speaker("GAREL Gilles", "LIRSA-CNAM"))], rows, {})
    assert set(reg.institutions) == {"lirsa-cnam", "cnam"}
    lab = reg.institutions["lirsa-cnam"]
    assert lab.slug == "lirsa-cnam" and lab.name == "Laboratoire LIRSA"
    assert lab.parent == "cnam"
    assert lab.labels == ["LIRSA-CNAM", "LIRSA", "lirsa"]


def test_parent_named_only_as_a_parent_keeps_its_written_label():
    rows = {"IAE de Nice": InstitutionAuthority("IAE de Nice", parent="Université Côte d'Azur")}
    reg = resolve([record("a", speaker("WALLISER Elisabeth", "IAE de Nice"))], rows, {})
    parent = reg.institutions[reg.institutions["iae de nice"].parent or ""]
    assert parent.name == "Université Côte d'Azur" and parent.slug == "universite-cote-d-azur"


def test_theme_language_and_slug_come_from_the_first_record_by_id():
    reg = resolve(
        [record("b", speaker("A Bc"), themes=("Innovation",), language="en"), record("a", speaker("A Bc"), themes=("INNOVATION",))],
        {},
        {},
    )
    theme = reg.themes["innovation"]
    assert (theme.label, theme.language, theme.slug) == ("INNOVATION", "fr", "innovation")


def test_slug_collision_between_different_labels_gets_a_suffix():
    reg = resolve([record("a", speaker("A Bc", "IAE de Nice")), record("b", speaker("A Bc", "IAE-de-Nice"))], {}, {})
    assert sorted(o.slug for o in reg.institutions.values()) == ["iae-de-nice", "iae-de-nice-2"]


def test_affiliations_follow_every_institution_a_person_was_shown_with():
    reg = resolve([record("a", speaker("RIVAL Madina", "LIRSA-CNAM")), record("b", speaker("RIVAL Madina", "EMLV"))], {}, {})
    assert next(iter(reg.people.values())).affiliations == ["lirsa-cnam", "emlv"]


def test_structured_and_written_names_meet():
    structured = Speaker(PersonName("RIVAL", "Madina", "RIVAL Madina"))
    reg = resolve([record("a", structured), record("b", speaker("RIVAL Madina"))], {}, {})
    assert len(reg.people) == 1


@pytest.mark.parametrize(
    "text, slug",
    [
        ("JOULLIÉ Jean-Étienne", "joullie-jean-etienne"),
        ("LIRSA-CNAM", "lirsa-cnam"),
        ("IAE de Nice", "iae-de-nice"),
        ("D'ALMEIDA Ana", "d-almeida-ana"),
        ("D’ALMEIDA Ana", "d-almeida-ana"),
        ("Œuvre Straße", "oeuvre-strasse"),
        ("  Finance -- d’entreprise ", "finance-d-entreprise"),
    ],
)
def test_slugs_follow_the_profile(text: str, slug: str):
    assert make_slug(text) == slug
