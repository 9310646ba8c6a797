"""The SPARQL behind the resource pages, in one place; every value is bound by `bind`
(`$this`) as a checked RDF term, never as raw text.

`DESCRIPTION` is the one query a data representation costs: the resource's own statements
(for a video, also its `#speaker-n` and `#views` nodes) and the labels of everything it links to.
(Its first branch is a BIND: Virtuoso 7.2 finds nothing in a UNION whose branch is a lone VALUES.
The two label properties are a UNION, not `VALUES ?lp { … } ?o ?lp ?label`, which Virtuoso 7.2
plans ten times slower: 110 against 12 ms a video at 100k videos; no slower on Oxigraph.)
"""

from __future__ import annotations

from collections.abc import Iterator
from string import Template
from typing import Any

import pyoxigraph as ox

from publisher.store.version import PublishedVersion
from publisher.terms import PREFIXES

_PREFIXES = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())

DESCRIPTION = _PREFIXES + """
CONSTRUCT { ?s ?p ?o . ?o ?lp ?label }
WHERE {
  { BIND($this AS ?s) } UNION { $this schema:contributor ?s } UNION { $this schema:interactionStatistic ?s }
  ?s ?p ?o .
  OPTIONAL {
    { ?o rdfs:label ?label BIND(rdfs:label AS ?lp) } UNION { ?o schema:name ?label BIND(schema:name AS ?lp) }
    FILTER(isIRI(?o))
  }
}"""

# Talks of a person, with the institution they spoke for in each and their co-speakers.
TALKS_OF_PERSON = _PREFIXES + """
SELECT ?video ?title ?org ?orgName ?other ?otherName WHERE {
  ?video schema:contributor ?role . ?role schema:contributor $this .
  ?video schema:name ?title .
  OPTIONAL { ?role schema:affiliation ?org . ?org schema:name ?orgName }
  OPTIONAL { ?video schema:creator ?other FILTER(?other != $this) ?other schema:name ?otherName }
}"""

# Talks given for an institution, with who gave them.
TALKS_OF_ORGANIZATION = _PREFIXES + """
SELECT ?video ?title ?person ?personName WHERE {
  ?role schema:affiliation $this ; schema:contributor ?person .
  ?video schema:contributor ?role ; schema:name ?title .
  ?person schema:name ?personName .
}"""

SUB_ORGANIZATIONS = _PREFIXES + """
SELECT ?org ?name WHERE { ?org schema:parentOrganization $this ; schema:name ?name }"""

THEMES_OF_ORGANIZATION = _PREFIXES + """
SELECT ?theme ?name (COUNT(DISTINCT ?video) AS ?n) WHERE {
  ?video schema:sourceOrganization $this ; schema:about ?theme . ?theme schema:name ?name .
} GROUP BY ?theme ?name ORDER BY DESC(?n) ?name LIMIT 10"""

TALKS_OF_THEME = _PREFIXES + """
SELECT ?video ?title WHERE { ?video schema:about $this ; schema:name ?title }"""

ORGANIZATIONS_OF_THEME = _PREFIXES + """
SELECT ?org ?name (COUNT(DISTINCT ?video) AS ?n) WHERE {
  ?video schema:about $this ; schema:sourceOrganization ?org . ?org schema:name ?name .
} GROUP BY ?org ?name ORDER BY DESC(?n) ?name"""

# "Médias de la même institution" / "de la même thématique": a dozen, as the platform shows;
# no ORDER BY, which would sort every talk of a large institution at each page.
SAME_INSTITUTION = _PREFIXES + """
SELECT DISTINCT ?video ?title WHERE {
  $this schema:sourceOrganization ?org . ?video schema:sourceOrganization ?org ; schema:name ?title .
  FILTER(?video != $this)
} LIMIT 12"""

SAME_THEME = _PREFIXES + """
SELECT DISTINCT ?video ?title WHERE {
  $this schema:about ?theme . ?video schema:about ?theme ; schema:name ?title .
  FILTER(?video != $this)
} LIMIT 12"""

VIDEO_MODIFIED = _PREFIXES + """
SELECT ?modified WHERE { $this a schema:VideoObject ; dcterms:modified ?modified }"""

NAMES = _PREFIXES + """
SELECT ?thing ?name (GROUP_CONCAT(?alt; separator=" | ") AS ?alternates) WHERE {
  ?thing a $class ; schema:name ?name OPTIONAL { ?thing schema:alternateName ?alt }
} GROUP BY ?thing ?name"""

# How many talks each person (linked by schema:creator) or institution (schema:sourceOrganization) has.
TALK_COUNTS = _PREFIXES + """
SELECT ?thing (COUNT(DISTINCT ?video) AS ?n) WHERE { ?video $link ?thing } GROUP BY ?thing"""


def bind(query: str, **terms: ox.NamedNode) -> str:
    """The query with each `$name` replaced by a term in SPARQL syntax.

    pyoxigraph's `substitutions` join at the top of the query, which does not reach inside
    the UNION branches that need the value, so terms are written in; a NamedNode's syntax is
    checked by Oxigraph (no `>`, space or quote can get through), and our IRIs are built from
    names that match `[A-Za-z0-9][A-Za-z0-9._~-]*`.
    """
    return Template(query).substitute({name: str(term) for name, term in terms.items()})


def construct(version: PublishedVersion, query: str, iri: str) -> list[ox.Triple]:
    triples = version.graph.query(bind(query, this=ox.NamedNode(iri)))
    assert not isinstance(triples, (ox.QuerySolutions, ox.QueryBoolean)), "a CONSTRUCT query"
    return list(triples)


def select(
    version: PublishedVersion, query: str, iri: str | None = None, terms: dict[str, ox.NamedNode] | None = None
) -> Iterator[dict[str, Any]]:
    """Rows as {variable: plain value} (IRIs and literals as their text, unbound as None)."""
    terms = dict(terms or {})
    if iri is not None:
        terms["this"] = ox.NamedNode(iri)
    solutions = version.graph.query(bind(query, **terms))
    assert isinstance(solutions, ox.QuerySolutions), "a SELECT query"
    names = [v.value for v in solutions.variables]
    for row in solutions:
        yield {name: (None if row[name] is None else row[name].value) for name in names}
