"""Errors rendered at one boundary: typed errors and HTTP errors become a status and a short
message in the format the client asked for, never a stack trace."""

from __future__ import annotations

import json

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from publisher.errors import PublisherError, StoreUnavailable


def register(app: Flask) -> None:
    app.register_error_handler(PublisherError, _publisher_error)
    app.register_error_handler(HTTPException, _http_error)


def _publisher_error(error: PublisherError) -> Response:
    response = render(error.http_status, str(error))
    if isinstance(error, StoreUnavailable):
        response.headers["Retry-After"] = "5"
    return response


def _http_error(error: HTTPException) -> Response:
    response = render(error.code or 500, error.description or error.name)
    for name, value in (error.get_headers() if error.response is None else []):
        if name.lower() not in ("content-type", "content-length"):
            response.headers[name] = value
    return response


def render(status: int, message: str) -> Response:
    """A short error document: JSON for API clients, plain text otherwise (HTML pages may
    render their own)."""
    best = request.accept_mimetypes.best_match(["text/plain", "application/json", "text/html"], "text/plain")
    if best == "application/json":
        body, media = json.dumps({"status": status, "message": message}), "application/json"
    else:
        body, media = f"{status}: {message}\n", "text/plain; charset=utf-8"
    response = Response(body, status=status, mimetype=media)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
