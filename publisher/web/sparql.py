"""`/sparql`: the SPARQL 1.1 Protocol (query operation) over the published version.

    GET  /sparql?query=...                       POST /sparql  (form: query=...)
    POST /sparql  Content-Type: application/sparql-query, the query as the body
    default-graph-uri / named-graph-uri          in the URL (or the form), any number of each
    format=json|xml|csv|tsv|turtle|ntriples|rdfxml|jsonld   overrides Accept (for browsers); also the names
        SPARQLWrapper sends (n3, rdf+xml, json-ld) and media types; json and xml fit both kinds of answer

Every published statement is in the store's default graph, which is the query's default
graph unless the request names graphs: `default-graph-uri=BASE/dataset` names it, any other
IRI names a graph that does not exist (empty); named graphs alone come with an empty default
graph, as `FROM NAMED` alone does. A GET without a query answers the SPARQL 1.1
Service Description to an RDF client and the query page to a browser.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from flask import Blueprint, Response, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import NotAcceptable, UnsupportedMediaType

from publisher import named_queries
from publisher.errors import UsageError
from publisher.sparql.guard import UPDATE_REFUSED, is_update
from publisher.sparql.results import RESULT_FORMATS
from publisher.web import engine
from publisher.web.http import make_representation
from publisher.web.http import respond as respond_representation
from publisher.web.media import HTML, negotiate, serialize
from publisher.web.service_description import description
from publisher.web.versions import version
from publisher.web.void import dataset_iri

bp = Blueprint("sparql", __name__)

PREFLIGHT = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type, If-None-Match",
    "Access-Control-Expose-Headers": engine.EXPOSED,
    "Access-Control-Max-Age": "86400",
}
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")  # an absolute IRI starts with its scheme (http:, urn:)
_SOLUTIONS = [t for f in RESULT_FORMATS if not f.for_graphs for t in (f.media_type, *f.aliases)]
_GRAPHS = [t for f in RESULT_FORMATS if f.for_graphs for t in (f.media_type, *f.aliases)]
_BY_TYPE = {(t, f.for_graphs): f.name for f in RESULT_FORMATS for t in (f.media_type, *f.aliases)}
# `format=` names: (SELECT/ASK format, CONSTRUCT/DESCRIBE format). SPARQLWrapper sends its own names
# (n3, rdf+xml, json-ld; xml and json whatever the query form) in `format=` beside its Accept header.
_BY_NAME: dict[str, tuple[str | None, str | None]] = {
    **{f.name: (None, f.name) if f.for_graphs else (f.name, None) for f in RESULT_FORMATS},
    "json": ("json", "jsonld"), "xml": ("xml", "rdfxml"), "json-ld": (None, "jsonld"), "rdf+xml": (None, "rdfxml"),
    "n3": (None, "turtle"), "ttl": (None, "turtle"), "nt": (None, "ntriples"),
}


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def endpoint() -> Response:
    if request.method == "OPTIONS":
        preflight = Response(status=204, headers=PREFLIGHT)
        del preflight.headers["Content-Type"]  # a 204 has no body to type
        return preflight
    params = _protocol_parameters()
    text = _one(params, "query")
    if text is None:
        if request.method == "POST":
            raise UsageError("give the query as the `query` form field, or as the body with "
                             "Content-Type: application/sparql-query")
        return _service_description()
    solutions_format, graph_format = _result_formats(params)
    default_graphs = _graphs(params.getlist("default-graph-uri"), default_name=dataset_iri(version()))
    named_graphs = _graphs(params.getlist("named-graph-uri"))
    if named_graphs is not None and default_graphs is None:
        default_graphs = ()  # the protocol's dataset replaces the service's whole dataset
    question = engine.Question(text, _header_defaults(text), default_graphs, named_graphs)
    found = engine.answer(question, solutions_format, graph_format)
    return engine.respond(found, negotiated="format" not in params)


def _protocol_parameters() -> MultiDict[str, str]:
    """The protocol's parameters, from the URL and, for a POST, the form or the body."""
    _require_utf8(request.query_string)
    params: MultiDict[str, str] = MultiDict(request.args)
    if request.method == "POST":
        kind = request.mimetype
        if kind == "application/x-www-form-urlencoded":
            _require_utf8(request.get_data())
            params.update(request.form)
        elif kind == "application/sparql-query":
            try:
                params.add("query", request.get_data().decode("utf-8"))
            except UnicodeDecodeError:
                raise UsageError("the query must be encoded in UTF-8") from None
        elif kind == "application/sparql-update":
            raise UsageError(UPDATE_REFUSED)
        else:
            raise UnsupportedMediaType("send the query as application/x-www-form-urlencoded (query=...) "
                                       f"or as application/sparql-query, not {kind or 'a body without a type'}")
    if "update" in params:
        raise UsageError(UPDATE_REFUSED)
    return params


def _require_utf8(encoded: bytes) -> None:
    """Werkzeug decodes what is not UTF-8 into U+FFFD: a query would silently look for other strings."""
    try:
        unquote_to_bytes(encoded.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError("the query must be encoded in UTF-8") from None


def _one(params: MultiDict[str, str], name: str) -> str | None:
    values = params.getlist(name)
    if len(values) > 1:
        raise UsageError(f"give exactly one `{name}` parameter, not {len(values)}")
    if values and is_update(values[0]):
        raise UsageError(UPDATE_REFUSED)
    return values[0] if values else None


def _result_formats(params: MultiDict[str, str]) -> tuple[str | None, str | None]:
    """The format for SELECT/ASK answers and the one for CONSTRUCT/DESCRIBE answers."""
    asked = params.get("format")
    if asked is not None:
        if asked in _BY_NAME:
            return _BY_NAME[asked]
        solutions, graphs = _BY_TYPE.get((asked, False)), _BY_TYPE.get((asked, True))
        if solutions or graphs:
            return solutions, graphs
        raise UsageError(f"format must be one of {', '.join(sorted(_BY_NAME))} or a media type, not {asked!r}")
    accept = request.accept_mimetypes
    if not accept:
        return "json", "turtle"
    solutions = accept.best_match(_SOLUTIONS)
    graphs = accept.best_match(_GRAPHS)
    if solutions is None and graphs is None:
        raise NotAcceptable("SPARQL answers are offered as " + ", ".join(f.media_type for f in RESULT_FORMATS))
    return (_BY_TYPE[(solutions, False)] if solutions else None), (_BY_TYPE[(graphs, True)] if graphs else None)


def _graphs(iris: list[str], default_name: str | None = None) -> tuple[str, ...] | None:
    """Graph IRIs as the engine takes them ("" is the store's default graph); None when none is named."""
    if not iris:
        return None
    for iri in iris:
        if not _SCHEME.match(iri) or any(c in iri for c in ' <>"{}|\\^`'):
            raise UsageError(f"a graph must be named by an absolute IRI, not {iri!r}")
    return tuple("" if iri == default_name else iri for iri in iris)


def _header_defaults(text: str) -> tuple[tuple[str, object], ...]:
    """A file of queries/ pasted as is answers its default question: its `# param:` defaults are bound."""
    try:
        defaults = named_queries.header_defaults(text, version().manifest.base)
    except named_queries.QueryFileError as problem:
        raise UsageError(str(problem).replace("the query: ", "the query's header: ", 1)) from None
    return tuple((variable.value, term) for variable, term in defaults.items())


def _service_description() -> Response:
    fmt = negotiate()
    if fmt is HTML:
        from publisher.web.query_ui import render_query_ui  # the page of the query UI

        return render_query_ui()
    v = version()
    representation = make_representation(serialize(description(v, v.manifest.base + "sparql"), fmt), fmt)
    response = respond_representation(representation, None, v.manifest.created, negotiated=True)
    response.headers["Link"] = f'<{dataset_iri(v)}>; rel="describedby"'
    return response
