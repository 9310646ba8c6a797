"""Vocabulary IRIs, slugs, name folding and N-Triples term syntax, shared by every module.

Mapping writes N-Triples term strings directly (not rdflib objects): building 2.5 M rdflib
terms costs tens of seconds, writing their text costs a few, and Oxigraph parses it natively.
"""

from __future__ import annotations

import functools
import unicodedata

from slugify import slugify

SCHEMA = "http://schema.org/"
DCTERMS = "http://purl.org/dc/terms/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"  # the datatype of a plain literal, which SPARQL results leave unwritten
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
FOAF = "http://xmlns.com/foaf/0.1/"
SH = "http://www.w3.org/ns/shacl#"

PREFIXES = {
    "schema": SCHEMA,
    "dcterms": DCTERMS,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "skos": SKOS,
    "void": VOID,
    "dcat": DCAT,
}

# Canonical IRI of each authority, from an identifier in its usual short form.
AUTHORITY_IRI = {
    "orcid": "https://orcid.org/{}",
    "idref": "http://www.idref.fr/{}/id",
    "isni": "https://isni.org/isni/{}",
    "viaf": "http://viaf.org/viaf/{}",
    "wikidata": "http://www.wikidata.org/entity/{}",
    "ror": "https://ror.org/{}",
}


def make_slug(text: str) -> str:
    """Lower-case ASCII, accents stripped, every run of other characters -> '-'."""
    # Typographic apostrophes separate words like the ASCII one (`D’ALMEIDA` -> `d-almeida`);
    # the explicit backend skips a failing import of the optional `unidecode` on every call.
    return slugify(
        text, lowercase=True, separator="-", regex_pattern=r"[^a-z0-9]+", backend="text-unidecode",
        replacements=(("’", "-"), ("ʼ", "-"), ("‘", "-")),
    )


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Identity key: case, accents and spacing folded (`JOULLIÉ Jean-Étienne` = `Joullie jean-etienne`)."""
    if text.isascii():
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


class Iris:
    """The IRIs of `profile.md` under one base."""

    def __init__(self, base: str) -> None:
        if not base.endswith("/"):
            raise ValueError(f"base IRI must end with '/': {base}")
        self.base = base

    def video(self, record_id: str) -> str:
        return f"{self.base}video/{record_id}"

    def person(self, slug: str) -> str:
        return f"{self.base}person/{slug}"

    def organization(self, slug: str) -> str:
        return f"{self.base}organization/{slug}"

    def theme(self, slug: str) -> str:
        return f"{self.base}theme/{slug}"

    @property
    def scheme(self) -> str:
        return f"{self.base}theme/"

    @property
    def dataset(self) -> str:
        return f"{self.base}dataset"

    @property
    def ontology(self) -> str:
        return f"{self.base}ontology"



# --- N-Triples term syntax -------------------------------------------------------------

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def iri(value: str) -> str:
    return f"<{value}>"


def _escape(text: str) -> str:
    # Most text needs no escape; four scans in C beat one translate that copies the string.
    if "\\" in text or '"' in text or "\n" in text or "\r" in text:
        return text.translate(_ESCAPES)
    return text


def lit(text: str, lang: str | None = None) -> str:
    quoted = '"' + _escape(text) + '"'
    return f"{quoted}@{lang}" if lang else quoted


def typed(text: str, datatype: str) -> str:
    return '"' + _escape(text) + f'"^^<{datatype}>'


def integer(value: int) -> str:
    return f'"{value}"^^<{XSD}integer>'


A = iri(RDF + "type")
