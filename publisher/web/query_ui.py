"""The page a browser gets at `/sparql`: a form that sends a query to the endpoint."""

from __future__ import annotations

from flask import Response, render_template

from publisher.web.api import library


def render_query_ui() -> Response:
    page = render_template("sparql.html", queries=list(library().values()))
    response = Response(page, mimetype="text/html")
    response.headers["Vary"] = "Accept"
    return response
