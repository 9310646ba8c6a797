"""Data extension for reconciled entities: the properties a client may fetch, and their values.

What matching needs (names, affiliations, parents, authority IRIs, talk counts) is in the index
already; themes and a video's speakers are asked of the store, for the few ids of a request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from publisher.reconciliation import PREFIX_LINES, Entity, Index, authority_of, short_id
from publisher.store.version import PublishedVersion


@dataclass(frozen=True)
class Property:
    id: str
    name: str
    kinds: tuple[str, ...]
    description: str = ""


AUTHORITIES = {"orcid": "ORCID", "idref": "IdRef", "isni": "ISNI", "viaf": "VIAF", "wikidata": "Wikidata", "ror": "ROR"}
PROPERTIES = (
    Property("affiliation", "Institutions", ("person",), "every institution the person was shown with"),
    Property("parentOrganization", "Institution parente", ("organization",)),
    Property("subOrganization", "Sous-organisations", ("organization",), "labs and schools inside it"),
    Property("themes", "Thèmes", ("person", "organization", "video"), "most frequent first"),
    Property("talks", "Nombre de vidéos", ("person", "organization", "theme")),
    Property("speakers", "Intervenants", ("video",)),
    Property("institutions", "Institutions représentées", ("video",)),
    Property("alternateName", "Autres noms", ("person", "organization")),
    Property("url", "Site web", ("organization",)),
    *(Property(k, f"Identifiant {label}", ("person",) if k in ("orcid", "viaf") else ("organization",) if k == "ror"
               else ("person", "organization")) for k, label in AUTHORITIES.items()),
)
BY_ID = {p.id: p for p in PROPERTIES}

_THEMES = {
    "person": "?video schema:creator $this ; schema:about ?thing .",
    "organization": "?video schema:sourceOrganization $this ; schema:about ?thing .",
    "video": "$this schema:about ?thing . BIND($this AS ?video)",
}
_LINKED = PREFIX_LINES + """SELECT ?thing (COUNT(DISTINCT ?video) AS ?n) WHERE { $pattern }
GROUP BY ?thing ORDER BY DESC(?n) ?thing"""


def properties_for(kinds: tuple[str, ...]) -> list[Property]:
    return [p for p in PROPERTIES if set(p.kinds) & set(kinds)]


def values(index: Index, version: PublishedVersion, entity: Entity, prop: Property, limit: int = 0) -> list[dict[str, Any]]:
    """The values of one property of one entity, as the reconciliation API writes them
    (`{"id", "name"}` for entities, `{"str"}`, `{"int"}`); `limit` 0 means all of them."""
    if entity.kind not in prop.kinds:
        return []
    found = _VALUES[prop.id](index, version, entity) if prop.id in _VALUES else _authority(entity, prop.id)
    return found[:limit] if limit > 0 else found


def _ref(index: Index, entity_id: str) -> dict[str, Any]:
    entity = index.entities.get(entity_id)
    return {"id": entity_id, "name": entity.name if entity else entity_id}


def _linked(index: Index, version: PublishedVersion, entity: Entity, pattern: str) -> list[dict[str, Any]]:
    this = str(ox.NamedNode(index.base + entity.id))  # our ids are IRIs of the store: checked by Oxigraph
    solutions = version.graph.query(_LINKED.replace("$pattern", pattern).replace("$this", this))
    assert isinstance(solutions, ox.QuerySolutions), "a SELECT query"
    return [_ref(index, row["thing"].value.removeprefix(index.base)) for row in solutions]


def _authority(entity: Entity, name: str) -> list[dict[str, Any]]:
    return [{"str": short_id(iri)} for iri in entity.same_as if authority_of(iri) == name]


_VALUES: dict[str, Callable[[Index, PublishedVersion, Entity], list[dict[str, Any]]]] = {
    "affiliation": lambda index, _, e: [_ref(index, o) for o in e.affiliations],
    "parentOrganization": lambda index, _, e: [_ref(index, e.parent)] if e.parent else [],
    "subOrganization": lambda index, _, e: [_ref(index, o) for o in sorted(e.children)],
    "themes": lambda index, version, e: _linked(index, version, e, _THEMES[e.kind]),
    "talks": lambda _, __, e: [{"int": e.talks}],
    "speakers": lambda index, version, e: _linked(index, version, e, "$this schema:creator ?thing . BIND($this AS ?video)"),
    "institutions": lambda index, version, e: _linked(
        index, version, e, "$this schema:sourceOrganization ?thing . BIND($this AS ?video)"),
    "alternateName": lambda _, __, e: [{"str": a} for a in e.alternates],
    "url": lambda _, __, e: [{"str": e.url}] if e.url else [],
}
