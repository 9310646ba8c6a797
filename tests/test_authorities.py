"""Authority identifiers: short forms and IRIs to canonical IRIs, shapes and check digits."""

from __future__ import annotations

import pytest

from publisher.authorities import mod11_2, normalise_identifier, ppn_check, ror_check

ORCID = "https://orcid.org/0000-0002-1825-0097"
ISNI = "https://isni.org/isni/0000000121032683"
IDREF = "http://www.idref.fr/027542084/id"


@pytest.mark.parametrize(
    ("authority", "value", "expected"),
    [
        ("orcid", "0000-0002-1825-0097", ORCID),
        ("orcid", " 0000-0002-1825-0097 ", ORCID),
        ("orcid", "0000000218250097", ORCID),
        ("orcid", "https://orcid.org/0000-0002-1825-0097", ORCID),
        ("orcid", "http://orcid.org/0000-0002-1825-0097/", ORCID),
        ("orcid", "https://www.orcid.org/0000-0002-1825-0097", ORCID),
        ("orcid", "orcid.org/0000-0002-1825-0097", ORCID),
        ("orcid", "0000-0002-1694-233X", "https://orcid.org/0000-0002-1694-233X"),
        ("orcid", "0000-0002-1694-233x", "https://orcid.org/0000-0002-1694-233X"),
        ("isni", "0000 0001 2103 2683", ISNI),
        ("isni", "0000000121032683", ISNI),
        ("isni", "https://isni.org/isni/0000000121032683", ISNI),
        ("isni", "http://www.isni.org/isni/0000000121032683", ISNI),
        ("isni", "0000 0001 2146 438X", "https://isni.org/isni/000000012146438X"),
        ("idref", "027542084", IDREF),
        ("idref", "https://www.idref.fr/027542084", IDREF),
        ("idref", "http://www.idref.fr/027542084/id", IDREF),
        ("idref", "idref.fr/027542084/", IDREF),
        ("idref", "10000007X", "http://www.idref.fr/10000007X/id"),
        ("viaf", "113230702", "http://viaf.org/viaf/113230702"),
        ("viaf", "https://viaf.org/viaf/113230702/", "http://viaf.org/viaf/113230702"),
        ("wikidata", "Q42", "http://www.wikidata.org/entity/Q42"),
        (
            "wikidata",
            "https://www.wikidata.org/wiki/Q42",
            "http://www.wikidata.org/entity/Q42",
        ),
        (
            "wikidata",
            "http://www.wikidata.org/entity/Q42",
            "http://www.wikidata.org/entity/Q42",
        ),
        ("ror", "02feahw73", "https://ror.org/02feahw73"),
        ("ror", "https://ror.org/02feahw73", "https://ror.org/02feahw73"),
        ("ror", "ror.org/03yrm5c26", "https://ror.org/03yrm5c26"),
        ("ror", "05F82E368", "https://ror.org/05f82e368"),
    ],
)
def test_identifiers_become_canonical_iris(
    authority: str, value: str, expected: str
) -> None:
    assert normalise_identifier(authority, value) == expected


@pytest.mark.parametrize(
    ("authority", "value", "message"),
    [
        ("orcid", "0000-0002-1825-0098", "check digit"),
        ("orcid", "0000-0002-1825-009", "16 digits"),
        ("orcid", "0000-0002-1825-00977", "16 digits"),
        ("orcid", "X000-0002-1825-0097", "16 digits"),
        ("orcid", "https://example.org/0000-0002-1825-0097", "16 digits"),
        ("isni", "0000 0001 2103 2684", "check digit"),
        ("isni", "0000 0001 2103", "16 digits"),
        ("idref", "027542085", "check digit"),
        ("idref", "02754208", "9 characters"),
        ("idref", "0275420845", "9 characters"),
        ("viaf", "12a4", "digits only"),
        ("wikidata", "42", "Q42"),
        ("wikidata", "P31", "Q42"),
        ("wikidata", "Q0", "Q42"),
        ("ror", "02feahw74", "check digit"),
        ("ror", "12feahw73", "ROR identifier"),
        ("ror", "02feahu73", "ROR identifier"),
        ("ror", "02feahw7", "ROR identifier"),
        ("orcid", "", "empty"),
        ("hal", "123", "unknown authority"),
    ],
)
def test_malformed_identifiers_are_refused(
    authority: str, value: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        normalise_identifier(authority, value)


def test_an_identifier_that_is_not_text_is_refused() -> None:
    with pytest.raises(ValueError, match="not a string"):
        normalise_identifier("viaf", 113230702)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("digits", "check"),
    [("000000021825009", "7"), ("000000012103268", "3"), ("000000021694233", "X")],
)
def test_mod11_2(digits: str, check: str) -> None:
    assert mod11_2(digits) == check


@pytest.mark.parametrize(("digits", "check"), [("02754208", "4"), ("10000007", "X")])
def test_ppn_check(digits: str, check: str) -> None:
    assert ppn_check(digits) == check


@pytest.mark.parametrize(
    "ror",
    [
        "00xnj6419",
        "03hv95d67",
        "03yrm5c26",
        "02feahw73",
        "013cjyk83",
        "05f82e368",
        "02en5vm52",
    ],
)
def test_ror_checksum_of_real_identifiers(ror: str) -> None:
    assert ror_check(ror[:7]) == ror[7:]
