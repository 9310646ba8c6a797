"""The SPARQL query UI: YASGUI, served from static/yasgui/, one example tab per question of queries/.

The /sparql endpoint answers a browser's plain GET (HTML, no query) with `render_query_ui()`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import Response, render_template, url_for

from publisher.named_queries import load_queries
from publisher.terms import PREFIXES
from publisher.web.versions import version

NEW_TAB_QUERY = """SELECT ?video ?title WHERE {
  ?video a schema:VideoObject ;
         schema:name ?title .
}
LIMIT 10
"""


@cache
def examples() -> tuple[dict[str, str], ...]:
    """Each question of queries/ as a tab: its title, and its file's text as the query.

    The endpoint binds the `# param:` defaults of a text that starts with the header, so a tab
    answers its default question as it is. The files are code: read once per process.
    """
    return tuple({"name": q.name, "title": q.title, "query": q.sparql} for q in load_queries().values())


# Our resources' prefixes: results show `person:rival-madina`, still linked to the whole IRI.
RESOURCE_PREFIXES = ("video", "person", "organization", "theme")


def prefix_lines() -> str:
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())


def render_query_ui() -> Response:
    endpoint = url_for("sparql.endpoint")
    base = version().manifest.base
    config: dict[str, Any] = {
        "endpoint": endpoint,
        "prefixes": PREFIXES | {name: f"{base}{name}/" for name in RESOURCE_PREFIXES},
        "newTabQuery": prefix_lines() + "\n" + NEW_TAB_QUERY,
        "examples": examples(),
    }
    html = render_template("query.html", endpoint=endpoint, config=config, examples=examples())
    response = Response(html, mimetype="text/html")
    response.headers["Vary"] = "Accept"  # /sparql answers data to other clients
    return response
