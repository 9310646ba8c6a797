"""The questions of `queries/` as an API, as grlc offers for a repository of queries:

    GET /api/queries                  the questions, their parameters and examples (JSON)
    GET /api/queries/NAME?k=v         the answer, in any SPARQL results format (Accept or `format`)
    GET /api/openapi.json             an OpenAPI 3 document generated from the headers
    GET /api                          the same, as a page for people

Parameters are typed by the header (iri, string, integer, date), checked, and bound to the
query's variables as terms: a value is never written into the query text, so a value that
tries to break out of it is either refused (400) or looked up as the plain value it is.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from flask import Blueprint, Response, render_template, request, url_for
from werkzeug.exceptions import NotAcceptable, NotFound

from publisher import named_queries
from publisher.errors import UsageError
from publisher.named_queries import NamedQuery
from publisher.sparql.results import RESULT_FORMATS
from publisher.web import engine
from publisher.web.versions import version

bp = Blueprint("api", __name__)
RESERVED = "format"  # the parameter that chooses the result format; no question may use the name
_SCHEMA = {"iri": {"type": "string", "format": "iri-reference"}, "string": {"type": "string"},
           "integer": {"type": "integer"}, "date": {"type": "string", "format": "date"}}


@lru_cache(maxsize=1)
def library() -> dict[str, NamedQuery]:
    queries = named_queries.load_queries()
    for query in queries.values():
        assert query.param(RESERVED) is None, f"{query.name}: a parameter may not be called {RESERVED!r}"
    return queries


@bp.route("/api/queries")
def list_queries() -> Response:
    base = request.host_url.rstrip("/") + request.script_root
    listed = [_summary(query, base) for query in library().values()]
    return _json(listed)


@bp.route("/api/queries/<name>")
def run_query(name: str) -> Response:
    query = library().get(name)
    if query is None:
        raise NotFound(f"no question named {name!r}; the questions are listed at /api/queries")
    given = request.args.to_dict(flat=False)
    repeated = sorted(k for k, values in given.items() if len(values) > 1)
    if repeated:
        raise UsageError(f"give each parameter once, not {', '.join(repeated)} several times")
    values = {k: v[0] for k, v in given.items() if k != RESERVED}
    substitutions = named_queries.bind(query, values, version().manifest.base)
    solutions_format = _format(request.args.get(RESERVED))
    question = engine.Question(query.sparql, tuple((variable.value, term) for variable, term in substitutions.items()),
                               from_library=True)
    found = engine.answer(question, solutions_format, None)
    return engine.respond(found, negotiated=RESERVED not in request.args)


def _format(asked: str | None) -> str:
    offered = [f for f in RESULT_FORMATS if not f.for_graphs]
    if asked is not None:
        for f in offered:
            if asked in (f.name, f.media_type, *f.aliases):
                return f.name
        raise UsageError(f"format must be one of {', '.join(f.name for f in offered)}, not {asked!r}")
    if not request.accept_mimetypes:
        return "json"
    types = [t for f in offered for t in (f.media_type, *f.aliases)]
    best = request.accept_mimetypes.best_match(types)
    if best is None:
        raise NotAcceptable("answers are offered as " + ", ".join(f.media_type for f in offered))
    return next(f.name for f in offered if best in (f.media_type, *f.aliases))


@bp.route("/api/openapi.json")
def openapi() -> Response:
    return _json(openapi_document(request.host_url.rstrip("/") + request.script_root))


@bp.route("/api")
def docs() -> str:
    return render_template("api.html", queries=list(library().values()),
                           formats=[f for f in RESULT_FORMATS if not f.for_graphs],
                           openapi=url_for("api.openapi"))


def _summary(query: NamedQuery, base: str) -> dict[str, Any]:
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "parameters": [{"name": p.name, "type": p.type, "default": p.default, "description": p.text} for p in query.params],
        "example": query.example_values,
        "url": f"{base}/api/queries/{query.name}",
        "sparql": query.sparql,
    }


def openapi_document(server: str) -> dict[str, Any]:
    paths: dict[str, Any] = {"/api/queries": {"get": {
        "operationId": "listQueries",
        "summary": "The questions, with their parameters",
        "responses": {"200": {"description": "The list", "content": {"application/json": {"schema": {"type": "array"}}}}},
    }}}
    for query in library().values():
        paths[f"/api/queries/{query.name}"] = {"get": _operation(query)}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Questions about the research videos", "version": "1",
                 "description": "Each operation answers one SPARQL question of the library (queries/*.rq) "
                                "over the published data. Parameters are bound as RDF terms, never pasted into the query."},
        "servers": [{"url": server}],
        "paths": paths,
    }


def _operation(query: NamedQuery) -> dict[str, Any]:
    parameters = [{
        "name": p.name, "in": "query", "required": False, "description": f"{p.text} ({p.type})",
        "schema": {**_SCHEMA[p.type], "default": int(p.default) if p.type == "integer" else p.default},
        "example": query.example_values.get(p.name, p.default),
    } for p in query.params]
    parameters.append({"name": RESERVED, "in": "query", "required": False,
                       "description": "The answer's format, instead of the Accept header",
                       "schema": {"type": "string", "enum": [f.name for f in RESULT_FORMATS if not f.for_graphs]}})
    content: dict[str, Any] = {f.media_type: {} for f in RESULT_FORMATS if not f.for_graphs}
    return {
        "operationId": query.name,
        "summary": query.title,
        "description": query.description,
        "parameters": parameters,
        "responses": {
            "200": {"description": "The answer (SPARQL 1.1 results)", "content": content},
            "400": {"description": "A parameter is unknown or not of its type", "content": {"text/plain": {}}},
            "406": {"description": "No acceptable format", "content": {"text/plain": {}}},
            "503": {"description": "The answer took longer than the time limit", "content": {"text/plain": {}}},
        },
    }


def _json(value: Any) -> Response:
    response = Response(json.dumps(value, ensure_ascii=False, indent=1), mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
