"""Speakers' names: splitting `FAMILY Given`, structured names, re-casing for reading."""

from __future__ import annotations

import pytest

from publisher.model import PersonName
from publisher.names import display_name, parse_name, recase_family, structured_name


@pytest.mark.parametrize(
    ("text", "family", "given", "written"),
    [
        ("RIVAL Madina", "RIVAL", "Madina", "RIVAL Madina"),
        (
            "PASSANT Adrien Jean-Guy",
            "PASSANT",
            "Adrien Jean-Guy",
            "PASSANT Adrien Jean-Guy",
        ),
        ("JOULLIÉ Jean-Étienne", "JOULLIÉ", "Jean-Étienne", "JOULLIÉ Jean-Étienne"),
        ("DE LA FONTAINE Jean", "DE LA FONTAINE", "Jean", "DE LA FONTAINE Jean"),
        ("D'ALMEIDA Ana", "D'ALMEIDA", "Ana", "D'ALMEIDA Ana"),
        ("MARTIN-DUPONT Anne", "MARTIN-DUPONT", "Anne", "MARTIN-DUPONT Anne"),
        ("DUPONT J.", "DUPONT", "J.", "DUPONT J."),
        ("DUPONT J.-P.", "DUPONT", "J.-P.", "DUPONT J.-P."),
        ("GAREL Gilles", "GAREL", "Gilles", "GAREL Gilles"),
        ("  RIVAL \t  Madina  ", "RIVAL", "Madina", "RIVAL Madina"),
        ("RIVAL", "RIVAL", "", "RIVAL"),
        ("VAN DER BERG Piet", "VAN DER BERG", "Piet", "VAN DER BERG Piet"),
    ],
)
def test_platform_names_split_without_warning(
    text: str, family: str, given: str, written: str
) -> None:
    name, warning = parse_name(text)
    assert name == PersonName(family=family, given=given, written=written)
    assert warning is None


@pytest.mark.parametrize(
    ("text", "family", "given", "in_warning"),
    [
        ("Claire Vasseur-Lenoir", "Vasseur-Lenoir", "Claire", "VASSEUR-LENOIR Claire"),
        ("Madina", "Madina", "", "MADINA"),
        ("J. DUPONT", "DUPONT", "J.", "no family name in capitals"),
        ("RIVAL MADINA", "RIVAL", "MADINA", "all in capitals"),
        ("DE LA FONTAINE JEAN", "DE LA FONTAINE", "JEAN", "all in capitals"),
    ],
)
def test_names_without_a_clear_family_part_warn(
    text: str, family: str, given: str, in_warning: str
) -> None:
    name, warning = parse_name(text)
    assert (name.family, name.given, name.written) == (
        family,
        given,
        " ".join(text.split()),
    )
    assert warning is not None and in_warning in warning


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_an_empty_name_is_unusable(text: str) -> None:
    with pytest.raises(ValueError, match="empty"):
        parse_name(text)


@pytest.mark.parametrize(
    ("family", "given", "expected"),
    [
        ("Rival", "Madina", PersonName("Rival", "Madina", "RIVAL Madina")),
        (
            "de La Fontaine",
            "Jean",
            PersonName("de La Fontaine", "Jean", "DE LA FONTAINE Jean"),
        ),
        (
            "  Joullié ",
            " Jean-Étienne ",
            PersonName("Joullié", "Jean-Étienne", "JOULLIÉ Jean-Étienne"),
        ),
        ("Rival", "", PersonName("Rival", "", "RIVAL")),
    ],
)
def test_structured_names_are_written_family_first_in_capitals(
    family: str, given: str, expected: PersonName
) -> None:
    assert structured_name(family, given) == expected


def test_a_structured_name_needs_a_family_name() -> None:
    with pytest.raises(ValueError, match="family"):
        structured_name("  ", "Madina")


@pytest.mark.parametrize(
    ("family", "expected"),
    [
        ("RIVAL", "Rival"),
        ("JOULLIÉ", "Joullié"),
        ("DE LA FONTAINE", "de La Fontaine"),
        ("D'ALMEIDA", "d'Almeida"),
        ("D\u2019ALMEIDA", "d\u2019Almeida"),
        ("PASSANT", "Passant"),
        ("MARTIN-DUPONT", "Martin-Dupont"),
        ("VAN DER BERG", "van der Berg"),
        ("VON DER LEYEN", "von der Leyen"),
        ("DOS SANTOS", "dos Santos"),
        ("DU BELLAY", "du Bellay"),
        ("LE GOFF", "Le Goff"),
        ("DE LA FONTAINE", "de La Fontaine"),
        ("O'BRIEN", "O'Brien"),
        ("DE", "De"),
        ("Vasseur-Lenoir", "Vasseur-Lenoir"),
        ("de La Fontaine", "de La Fontaine"),
        ("McDONALD", "McDONALD"),
    ],
)
def test_family_names_are_recased_for_reading(family: str, expected: str) -> None:
    assert recase_family(family) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("RIVAL Madina", "Madina Rival"),
        ("DE LA FONTAINE Jean", "Jean de La Fontaine"),
        ("JOULLIÉ Jean-Étienne", "Jean-Étienne Joullié"),
        ("PASSANT Adrien Jean-Guy", "Adrien Jean-Guy Passant"),
        ("RIVAL", "Rival"),
    ],
)
def test_display_name_is_given_then_family(written: str, expected: str) -> None:
    name, _ = parse_name(written)
    assert display_name(name) == expected


def test_display_name_of_a_structured_name() -> None:
    assert display_name(structured_name("Rival", "Madina")) == "Madina Rival"
