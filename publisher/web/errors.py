"""Errors rendered at one boundary: typed errors and HTTP errors become a status and a short
message in the format the client asked for, never a stack trace.

A resource handler that has already negotiated a format (`g.publisher_format`) gets its errors
in that format: a small RDF document (what is known about the IRI, e.g. when it was withdrawn)
or an HTML page. Other clients get JSON, HTML or plain text by their `Accept`.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
from flask import Flask, Response, g, render_template, request
from werkzeug.exceptions import HTTPException

from publisher.errors import PublisherError, StoreUnavailable
from publisher.web.media import Format, serialize


def register(app: Flask) -> None:
    app.register_error_handler(PublisherError, _publisher_error)
    app.register_error_handler(HTTPException, _http_error)


def _publisher_error(error: PublisherError) -> Response:
    response = render(error.http_status, str(error), getattr(error, "triples", []))
    if isinstance(error, StoreUnavailable):
        response.headers["Retry-After"] = "5"
    return response


def _http_error(error: HTTPException) -> Response:
    response = render(error.code or 500, error.description or error.name)
    for name, value in (error.get_headers() if error.response is None else []):
        if name.lower() not in ("content-type", "content-length"):
            response.headers[name] = value
    return response


def render(status: int, message: str, triples: list[ox.Triple] | None = None) -> Response:
    """A short error document in the negotiated format, else JSON, HTML or plain text by `Accept`."""
    fmt: Format | None = g.get("publisher_format")
    if fmt is not None and fmt.rdf is not None:
        response = Response(serialize(triples or [], fmt), status=status, content_type=fmt.content_type)
    else:
        best = request.accept_mimetypes.best_match(["text/plain", "application/json", "text/html"], "text/plain")
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
