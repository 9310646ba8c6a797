"""The figures of the statistics page, from SPARQL on the published version (once per version)."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from publisher.store.version import PublishedVersion

TOP = 15
_PREFIXES = """PREFIX schema: <http://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

PER_YEAR = _PREFIXES + """
SELECT ?year (COUNT(?video) AS ?n) WHERE {
  ?video a schema:VideoObject ; schema:datePublished ?date .
  BIND(YEAR(?date) AS ?year)
} GROUP BY ?year ORDER BY ?year"""

PER_THEME = _PREFIXES + """
SELECT ?theme ?label (COUNT(DISTINCT ?video) AS ?n) WHERE {
  ?video a schema:VideoObject ; schema:about ?theme .
  ?theme skos:prefLabel ?label .
} GROUP BY ?theme ?label ORDER BY DESC(?n) ?label"""

PER_INSTITUTION = _PREFIXES + """
SELECT ?org ?label (COUNT(DISTINCT ?video) AS ?n) WHERE {
  ?video a schema:VideoObject ; schema:sourceOrganization ?org .
  ?org schema:name ?label .
} GROUP BY ?org ?label ORDER BY DESC(?n) ?label"""

THEME_BY_INSTITUTION = _PREFIXES + """
SELECT ?theme ?org (COUNT(DISTINCT ?video) AS ?n) WHERE {
  ?video schema:about ?theme ; schema:sourceOrganization ?org .
} GROUP BY ?theme ?org"""


@dataclass(frozen=True)
class Stats:
    per_year: list[tuple[str, int]]
    per_theme: list[tuple[str, int]]
    per_institution: list[tuple[str, int]]  # the TOP institutions
    heat_rows: list[str]  # theme labels
    heat_columns: list[str]  # institution labels
    heat: dict[tuple[str, str], int]


def compute(version: PublishedVersion) -> Stats:
    per_year = [(str(row["year"]), n) for row, n in _counted(version, PER_YEAR)]
    themes = [(row["theme"], row["label"], n) for row, n in _counted(version, PER_THEME)]
    orgs = [(row["org"], row["label"], n) for row, n in _counted(version, PER_INSTITUTION)]
    theme_label = {iri: label for iri, label, _ in themes[:TOP]}
    org_label = {iri: label for iri, label, _ in orgs[:TOP]}
    heat = {
        (theme_label[row["theme"]], org_label[row["org"]]): n
        for row, n in _counted(version, THEME_BY_INSTITUTION)
        if row["theme"] in theme_label and row["org"] in org_label
    }
    return Stats(
        per_year=per_year,
        per_theme=[(label, n) for _, label, n in themes],
        per_institution=[(label, n) for _, label, n in orgs[:TOP]],
        heat_rows=list(theme_label.values()),
        heat_columns=list(org_label.values()),
        heat=heat,
    )


def _counted(version: PublishedVersion, query: str) -> list[tuple[dict[str, str], int]]:
    """Rows as ({variable: text}, ?n); rows with an unbound variable are left out."""
    solutions = version.query(query)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables if v.value != "n"]
    out = []
    for row in solutions:
        values = {name: row[name] for name in names}
        if all(value is not None for value in values.values()):
            out.append(({k: v.value for k, v in values.items()}, int(row["n"].value)))
    return out
