"""Errors rendered at one boundary: typed errors and HTTP errors become a status and a short
message in the format the client asked for, never a stack trace.

A resource handler that has already negotiated a format (`g.publisher_format`) gets its errors
in that format: a small RDF document (what is known about the IRI, e.g. when it was withdrawn)
or an HTML page. Other clients get JSON, HTML or plain text by their `Accept` (JSON by default
on the JSON APIs: reconciliation, the change feed, the questions).

A store that cannot be read (down, too slow, nothing published) is a 503 with `Retry-After`
on every endpoint. The client is told so in a sentence; the store's own words, which name its
address, go to the log. Nothing of it is kept: the next request asks the store again.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
from flask import Flask, Response, current_app, g, render_template, request
from werkzeug.exceptions import HTTPException, NotAcceptable

from publisher.errors import PublisherError, StoreUnavailable
from publisher.web.media import Format, negotiate, serialize, split_suffix

RETRY_AFTER = "5"  # seconds: a store restarting or a network blip
STORE_UNAVAILABLE = "the data cannot be read just now: the store that holds it does not answer; try again in a few seconds"
_JSON_APIS = {"reconcile", "changes", "api"}
_NEGOTIATED = {"resources.video", "resources.person", "resources.organization", "resources.theme", "resources.scheme",
               "resources.ontology", "dataset.dataset"}


class NothingPublished(StoreUnavailable):
    """The store answers, but no build has published anything to it yet."""


def register(app: Flask) -> None:
    app.register_error_handler(PublisherError, _publisher_error)
    app.register_error_handler(HTTPException, _http_error)


def _publisher_error(error: PublisherError) -> Response:
    message = str(error)
    if isinstance(error, StoreUnavailable) and not isinstance(error, NothingPublished):
        current_app.logger.warning("503 for %s: %s", request.path, error)
        message = STORE_UNAVAILABLE
    fmt = _format_asked() if isinstance(error, StoreUnavailable) else None
    response = render(error.http_status, message, getattr(error, "triples", []), fmt)
    if isinstance(error, StoreUnavailable):
        response.headers["Retry-After"] = RETRY_AFTER
        response.headers["Cache-Control"] = "no-store"  # no cache may keep the outage once the store is back
    return response


def _http_error(error: HTTPException) -> Response:
    response = render(error.code or 500, error.description or error.name)
    for name, value in (error.get_headers() if error.response is None else []):
        if name.lower() not in ("content-type", "content-length"):
            response.headers[name] = value
    return response


def _format_asked() -> Format | None:
    """The format a resource's URL and `Accept` ask for, when the error came before its handler
    negotiated it (the store could not even say which version is current)."""
    describing = request.endpoint == "sparql.endpoint" and "query" not in request.values  # the service description
    if request.endpoint not in _NEGOTIATED and not describing:
        return None
    try:
        return negotiate(split_suffix(request.path.rpartition("/")[2])[1])
    except NotAcceptable:
        return None


def render(status: int, message: str, triples: list[ox.Triple] | None = None, fmt: Format | None = None) -> Response:
    """A short error document in the negotiated format, else JSON, HTML or plain text by `Accept`."""
    fmt = fmt or g.get("publisher_format")
    if fmt is not None and fmt.rdf is not None:
        response = Response(serialize(triples or [], fmt), status=status, content_type=fmt.content_type)
    else:
        offered = ["application/json", "text/plain", "text/html"] if request.blueprint in _JSON_APIS else \
            ["text/plain", "application/json", "text/html"]
        best = request.accept_mimetypes.best_match(offered, offered[0])
        if fmt is not None:
            best = "text/html"
        if best == "application/json":
            response = Response(json.dumps({"status": status, "message": message}), status=status, mimetype=best)
        elif best == "text/html":
            page = render_template("error.html", status=status, message=message)
            response = Response(page, status=status, mimetype="text/html")
        else:
            response = Response(f"{status}: {message}\n", status=status, mimetype="text/plain")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
