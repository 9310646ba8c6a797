"""The W3C Entity Reconciliation API at `/reconcile`, as OpenRefine speaks it.

Version 0.2 (OpenRefine 3.x): the manifest at `GET /reconcile`, batches as the form or query
parameter `queries=` (GET or POST), data extension as `extend=`, JSONP with `callback=` on GET,
`/suggest/{entity,type,property}`, `/properties` (property proposals) and `/preview`.
The 1.0 draft's JSON POSTs are answered too: `POST /reconcile/match` and `POST /reconcile/extend`.

Entity ids are our IRIs less the base (`person/rival-madina`), so that the manifest's
`identifierSpace` plus an id is the published IRI and `view` is its page. The index is built
once per published version and process, at the first request that needs it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, Response, render_template, request

from publisher.authorities import normalise_identifier
from publisher.errors import PublisherError
from publisher.reconciliation import (
    INSTITUTION_PROPERTIES,
    KINDS,
    TYPE_ALIASES,
    TYPE_IDS,
    TYPE_NAMES,
    Candidate,
    Entity,
    Index,
    Query,
)
from publisher.reconciliation_extend import AUTHORITIES, BY_ID, properties_for, values
from publisher.terms import AUTHORITY_IRI, SCHEMA
from publisher.web.derived import per_app
from publisher.web.versions import settings, version

bp = Blueprint("reconcile", __name__, url_prefix="/reconcile")

DEFAULT_LIMIT, MAX_LIMIT, MAX_BATCH, MAX_TEXT = 5, 100, 1000, 500
_CALLBACK = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*\Z")
_QUERY_KEYS = frozenset({"query", "type", "limit", "properties", "type_strict"})
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Accept",
    "Access-Control-Max-Age": "86400",
}


class BadQuery(PublisherError):
    http_status = 400


def index() -> Index:
    return per_app("reconcile", Index.load).get(version())


@bp.after_request
def _cors(response: Response) -> Response:
    response.headers.update(CORS)
    return response


@bp.errorhandler(BadQuery)
def _bad_query(error: BadQuery) -> Response:
    return Response(json.dumps({"status": 400, "message": str(error)}, ensure_ascii=False), status=400,
                    mimetype="application/json")


def _answer(data: object) -> Response:
    body = json.dumps(data, ensure_ascii=False)
    callback = request.args.get("callback") if request.method == "GET" else None
    if callback:
        if not _CALLBACK.match(callback) or len(callback) > 100:
            raise BadQuery("callback must be a JavaScript name such as jsonp123 or jQuery.cb")
        return Response(f"/**/{callback}({body});", mimetype="application/javascript")
    return Response(body, mimetype="application/json")


def _param(name: str) -> str | None:
    return request.values.get(name)


def _json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise BadQuery(f"{what} is not valid JSON: {error}") from None


# --- service: manifest, 0.2 queries and extension -------------------------------------------


@bp.route("", methods=["GET", "POST"])
def service() -> Response:
    if (queries := _param("queries")) is not None:
        batch = _json(queries, "queries")
        if not isinstance(batch, dict):
            raise BadQuery('queries must be a JSON object of queries, e.g. {"q0": {"query": "RIVAL Madina"}}')
        if len(batch) > MAX_BATCH:
            raise BadQuery(f"a batch holds at most {MAX_BATCH} queries")
        idx = index()
        parsed = {key: _query_02(q, f"queries.{key}") for key, q in batch.items()}
        return _answer({key: {"result": [_candidate(c) for c in idx.reconcile(q)]} for key, q in parsed.items()})
    if (extend := _param("extend")) is not None:
        rows, meta = _extend(_json(extend, "extend"))
        return _answer({"meta": meta, "rows": {entity_id: {p: vs for p, vs in props} for entity_id, props in rows}})
    return _answer(_manifest())


def _manifest() -> dict[str, Any]:
    base = version().manifest.base
    service = base + "reconcile"
    path = {"service_url": service}
    return {
        "versions": ["0.2"],
        "name": f"{settings().title} (réconciliation)",
        "identifierSpace": base,
        "schemaSpace": SCHEMA,
        "defaultTypes": [_type(k) for k in KINDS],
        "view": {"url": base + "{{id}}"},
        "preview": {"url": service + "/preview?id={{id}}", "width": 420, "height": 140},
        "suggest": {k: {**path, "service_path": f"/suggest/{k}"} for k in ("entity", "type", "property")},
        "extend": {
            "propose_properties": {**path, "service_path": "/properties"},
            "property_settings": [{"name": "limit", "label": "Limit", "type": "number", "default": 0,
                                   "help_text": "Maximum number of values per entity (0: all)"}],
        },
    }


def _type(kind: str) -> dict[str, str]:
    return {"id": TYPE_IDS[kind], "name": TYPE_NAMES[kind]}


def _kinds(value: object) -> tuple[str, ...]:
    if value is None or value == [] or value == "":
        return KINDS
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise BadQuery("type must be a type id or a list of them")
    kinds = []
    for name in names:
        kind = TYPE_ALIASES.get(name.lower().strip())
        if kind is None:
            known = ", ".join(TYPE_IDS.values())
            raise BadQuery(f'unknown type "{name}": use one of {known}')
        kinds.append(kind)
    return tuple(dict.fromkeys(kinds))


def _limit(value: object, where: str) -> int:
    if value is None:
        return DEFAULT_LIMIT
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadQuery(f"{where}.limit must be an integer, not {json.dumps(value)}")
    if value < 1:
        raise BadQuery(f"{where}.limit must be 1 or more")
    return min(value, MAX_LIMIT)


def _query_02(q: object, where: str) -> Query:
    if not isinstance(q, dict):
        raise BadQuery(f'{where} must be an object such as {{"query": "RIVAL Madina", "type": "Person"}}')
    if unknown := sorted(set(q) - _QUERY_KEYS):
        raise BadQuery(f"{where} has unknown fields {', '.join(unknown)}; known: {', '.join(sorted(_QUERY_KEYS))}")
    text = q.get("query", "")
    if not isinstance(text, str):
        raise BadQuery(f"{where}.query must be a string")
    props = q.get("properties", [])
    if not isinstance(props, list) or not all(isinstance(p, dict) and isinstance(p.get("pid"), str) and "v" in p for p in props):
        raise BadQuery(f'{where}.properties must be a list of {{"pid": ..., "v": ...}}')
    if q.get("type_strict", "any") not in ("any", "should", "all"):
        raise BadQuery(f"{where}.type_strict must be any, should or all")
    query = Query(text, _kinds(q.get("type")), _limit(q.get("limit"), where))
    for p in props:
        _evidence(query, p["pid"], p["v"], where)
    if not text.strip() and not props:
        raise BadQuery(f"{where} needs a query string or properties")
    return _short(query, where)


def _short(query: Query, where: str) -> Query:
    """Names and labels are short; a long text would cost time for nothing."""
    texts = [query.text, *(v if isinstance(v, str) else v.get("name", "") for v in query.institutions), *query.authorities]
    if any(len(t) > MAX_TEXT for t in texts):
        raise BadQuery(f"{where}: a name or value longer than {MAX_TEXT} characters cannot be a name")
    return query


def _evidence(query: Query, pid: str, value: object, where: str) -> None:
    """A property value a query gives: an institution, or an authority identifier."""
    found = value if isinstance(value, list) else [value]
    for v in found:
        if isinstance(v, dict) and not (v.keys() & {"id", "name"} and all(isinstance(v.get(k, ""), str) for k in ("id", "name"))):
            raise BadQuery(f'{where}: the value of {pid} must be a string or {{"id": ...}}')
        if not isinstance(v, str | dict):
            raise BadQuery(f"{where}: the value of {pid} must be a string")
    if pid in INSTITUTION_PROPERTIES:
        query.institutions.extend(found)  # type: ignore[arg-type]
    elif pid in AUTHORITY_IRI:
        for v in found:
            try:
                query.authorities.append(normalise_identifier(pid, str(v.get("id", "") if isinstance(v, dict) else v)))
            except ValueError:
                pass  # a malformed identifier (a typo in one cell) matches nothing, and fails no batch
    else:
        usable = ", ".join(sorted(INSTITUTION_PROPERTIES | set(AUTHORITY_IRI)))
        raise BadQuery(f'{where}: property "{pid}" cannot be matched on; use {usable}')


def _candidate(c: Candidate) -> dict[str, Any]:
    e = c.entity
    out: dict[str, Any] = {"id": e.id, "name": e.name, "score": round(c.score, 1), "match": c.match,
                           "type": [_type(e.kind)], "features": [{"id": "name", "name": "Name", "value": round(c.name_score, 1)}]}
    if c.evidence is not None:
        out["features"].append({"id": "property", "name": "Property values agree", "value": c.evidence})
    if description := _describe(e):
        out["description"] = description
    return out


def _describe(e: Entity) -> str:
    """What tells namesakes apart: a person's institutions, an institution's parent."""
    idx = index()
    if e.kind == "person":
        return ", ".join(idx.entities[o].name for o in e.affiliations if o in idx.entities)
    if e.kind == "organization" and e.parent in idx.entities:
        return idx.entities[e.parent].name
    return f"{e.talks} vidéos" if e.kind in ("organization", "theme") else ""


# --- 1.0 draft: JSON POSTs -------------------------------------------------------------------


@bp.route("/match", methods=["POST"])
def match() -> Response:
    body = _body()
    queries = body.get("queries")
    if not isinstance(queries, list) or len(queries) > MAX_BATCH:
        raise BadQuery(f'the body must be {{"queries": [...]}} with at most {MAX_BATCH} queries')
    parsed = [_query_10(q, f"queries[{n}]") for n, q in enumerate(queries)]
    idx = index()
    return _answer({"results": [{"candidates": [_candidate(c) for c in idx.reconcile(q)]} for q in parsed]})


def _body() -> dict[str, Any]:
    data = _json(request.get_data(as_text=True), "the request body")
    if not isinstance(data, dict):
        raise BadQuery("the request body must be a JSON object")
    return data


def _query_10(q: object, where: str) -> Query:
    if not isinstance(q, dict) or not isinstance(q.get("conditions"), list) or not q["conditions"]:
        example = '[{"matchType": "name", "propertyValue": "RIVAL Madina"}]'
        raise BadQuery(f'{where} must be an object with "conditions", e.g. {example}')
    if "type" in q and not isinstance(q["type"], str):
        raise BadQuery(f"{where}.type must be one type id")
    query = Query("", _kinds(q.get("type")), _limit(q.get("limit"), where))
    for n, c in enumerate(q["conditions"]):
        if not isinstance(c, dict) or c.get("matchType") not in ("name", "property") or "propertyValue" not in c:
            raise BadQuery(f"{where}.conditions[{n}] needs matchType (name or property) and propertyValue")
        if c["matchType"] == "name":
            if not isinstance(c["propertyValue"], str):
                raise BadQuery(f"{where}.conditions[{n}].propertyValue must be a string")
            query.text = f"{query.text} {c['propertyValue']}".strip()
        elif not isinstance(c.get("propertyId"), str):
            raise BadQuery(f"{where}.conditions[{n}] needs a propertyId")
        else:
            _evidence(query, c["propertyId"], c["propertyValue"], f"{where}.conditions[{n}]")
    return _short(query, where)


@bp.route("/extend", methods=["POST"])
def extend_10() -> Response:
    rows, meta = _extend(_body())
    return _answer({"meta": meta, "rows": [
        {"id": entity_id, "properties": [{"id": p, "values": vs} for p, vs in props]} for entity_id, props in rows
    ]})


def _extend(data: object) -> tuple[list[tuple[str, list[tuple[str, list[dict[str, Any]]]]]], list[dict[str, Any]]]:
    if not isinstance(data, dict) or not isinstance(data.get("ids"), list) or not isinstance(data.get("properties"), list):
        raise BadQuery('extend must be {"ids": [...], "properties": [{"id": ...}]}')
    ids, props = data["ids"], data["properties"]
    if not all(isinstance(i, str) for i in ids) or len(ids) > MAX_BATCH:
        raise BadQuery(f"ids must be at most {MAX_BATCH} entity ids (strings)")
    wanted: list[tuple[str, int]] = []
    for p in props:
        if not isinstance(p, dict) or not isinstance(p.get("id"), str) or p["id"] not in BY_ID:
            raise BadQuery(f"unknown property {json.dumps(p)}; known: {', '.join(BY_ID)}")
        settings_ = p.get("settings") or {}
        limit = settings_.get("limit", 0) if isinstance(settings_, dict) else 0
        try:
            wanted.append((p["id"], int(limit)))
        except (TypeError, ValueError):
            raise BadQuery(f"the limit setting of {p['id']} must be an integer") from None
    idx, v = index(), version()
    rows = []
    for entity_id in ids:
        entity = idx.get(entity_id)
        rows.append((entity_id, [(pid, values(idx, v, entity, BY_ID[pid], limit) if entity else []) for pid, limit in wanted]))
    meta = [{"id": pid, "name": BY_ID[pid].name} for pid, _ in wanted]
    return rows, meta


# --- suggest, property proposals, preview ------------------------------------------------------


def _cursor_limit(default: int = 10) -> tuple[int, int]:
    try:
        return int(_param("cursor") or 0), min(MAX_LIMIT, int(_param("limit") or default))
    except ValueError:
        raise BadQuery("cursor and limit must be integers") from None


@bp.route("/suggest/entity")
def suggest_entity() -> Response:
    cursor, limit = _cursor_limit()
    found = index().suggest(_param("prefix") or "", _kinds(_param("type")), limit, max(0, cursor))
    return _answer({"result": [{"id": e.id, "name": e.name, "notable": [_type(e.kind)],
                                **({"description": d} if (d := _describe(e)) else {})} for e in found]})


@bp.route("/suggest/type")
def suggest_type() -> Response:
    prefix = (_param("prefix") or "").lower()
    return _answer({"result": [_type(k) for k in KINDS
                               if any(n.lower().startswith(prefix) for n in (TYPE_IDS[k], TYPE_NAMES[k], k))]})


@bp.route("/suggest/property")
def suggest_property() -> Response:
    prefix = (_param("prefix") or "").lower()
    found = [p for p in properties_for(_kinds(_param("type"))) if any(n.lower().startswith(prefix) for n in (p.id, p.name))]
    return _answer({"result": [{"id": p.id, "name": p.name, **({"description": p.description} if p.description else {})}
                               for p in found]})


@bp.route("/properties")
def propose_properties() -> Response:
    type_id = _param("type") or ""
    _, limit = _cursor_limit(default=MAX_LIMIT)
    found = properties_for(_kinds(type_id))[:limit]
    return _answer({"type": type_id, "limit": limit, "properties": [{"id": p.id, "name": p.name} for p in found]})


@bp.route("/preview")
def preview() -> Response:
    idx = index()
    entity = idx.get(_param("id") or "")
    if entity is None:
        raise BadQuery(f"no entity {_param('id')!r}; ids look like person/rival-madina")
    facts = []
    for pid in ("affiliation", "parentOrganization", "talks", *AUTHORITIES):
        found = values(idx, version(), entity, BY_ID[pid], 5)
        shown = [val["name"] if "name" in val else str(next(iter(val.values()))) for val in found]
        if shown:
            facts.append((BY_ID[pid].name, shown))
    page = render_template("reconcile_preview.html", entity=entity, kind=TYPE_NAMES[entity.kind], facts=facts,
                           iri=idx.base + entity.id)
    return Response(page, mimetype="text/html")
