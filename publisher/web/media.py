"""Content negotiation in one table: format name <-> media types <-> file suffix <-> serializer.

Every negotiated response of the web tier goes through `negotiate`. The table's order is the
server's preference for equally acceptable types: HTML first, so that a client that says
nothing (`Accept` absent or `*/*`, as curl and most crawlers do) gets the page a person
reads, the usual choice of Linked Data front ends (Pubby, DBpedia); data clients name their
format (rdflib, Jena and pyld send an explicit `Accept`), and a suffix (`.ttl`) always works.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from flask import request
from werkzeug.exceptions import NotAcceptable

from publisher.terms import PREFIXES as TERM_PREFIXES


@dataclass(frozen=True)
class Format:
    name: str
    label: str  # for people
    media_type: str  # what the response's Content-Type says
    suffix: str  # the URL suffix that asks for it (`.ttl`)
    rdf: ox.RdfFormat | None  # None for HTML
    aliases: tuple[str, ...] = ()  # other media types clients use for it

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.media_type.startswith("text/") else self.media_type


FORMATS: tuple[Format, ...] = (
    Format("html", "HTML", "text/html", ".html", None, ("application/xhtml+xml",)),
    Format("turtle", "Turtle", "text/turtle", ".ttl", ox.RdfFormat.TURTLE, ("application/x-turtle",)),
    Format("jsonld", "JSON-LD", "application/ld+json", ".jsonld", ox.RdfFormat.JSON_LD, ("application/json",)),
    Format("ntriples", "N-Triples", "application/n-triples", ".nt", ox.RdfFormat.N_TRIPLES),
    Format("rdfxml", "RDF/XML", "application/rdf+xml", ".rdf", ox.RdfFormat.RDF_XML, ("application/xml",)),
)
BY_NAME = {f.name: f for f in FORMATS}
BY_SUFFIX = {f.suffix: f for f in FORMATS}
_BY_TYPE = {t: f for f in FORMATS for t in (f.media_type, *f.aliases)}
# Primary types first, so that a wildcard picks a primary type, in the table's order.
_OFFERED = [f.media_type for f in FORMATS] + [a for f in FORMATS for a in f.aliases]
HTML = BY_NAME["html"]
TURTLE = BY_NAME["turtle"]


def split_suffix(name: str) -> tuple[str, Format | None]:
    """`innovation.ttl` -> (`innovation`, Turtle); a name without a known suffix is returned whole."""
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and f".{suffix}" in BY_SUFFIX:
        return stem, BY_SUFFIX[f".{suffix}"]
    return name, None


def negotiate(suffix_format: Format | None = None) -> Format:
    """The format of this response: the URL's suffix if any, else the best match for `Accept`.

    Raises 406 when nothing offered is acceptable.
    """
    if suffix_format is not None:
        return suffix_format
    if not request.accept_mimetypes:  # no Accept header: anything goes
        return FORMATS[0]
    best = request.accept_mimetypes.best_match(_OFFERED)
    if best is None:
        offered = ", ".join(f.media_type for f in FORMATS)
        raise NotAcceptable(f"this resource is available as {offered} (or add a suffix: "
                            + " ".join(f.suffix for f in FORMATS) + ")")
    return _BY_TYPE[best]


def serialize(triples: list[ox.Triple], fmt: Format) -> bytes:
    """RDF in `fmt`, statements grouped by subject so that Turtle reads well."""
    assert fmt.rdf is not None, "HTML is rendered from templates"
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    prefixes = PREFIXES if fmt.rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    return ox.serialize(ordered, format=fmt.rdf, prefixes=prefixes) or b""


PREFIXES = {**TERM_PREFIXES, "prov": "http://www.w3.org/ns/prov#",  # prov: for withdrawn resources (410)
            "sd": "http://www.w3.org/ns/sparql-service-description#"}  # sd: for the SPARQL service description
