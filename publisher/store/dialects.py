"""What differs between SPARQL stores, in one place: where their endpoints are, and their quirks
(Virtuoso's ASK answers and xsd:duration values; its DROP GRAPH on graphs it did not see created).

A remote store is named by a URL whose scheme says which store it is:

    oxigraph+http://127.0.0.1:7878/     Oxigraph server: /query, /update, /store (Graph Store Protocol)
    virtuoso+http://127.0.0.1:8890/     Virtuoso: /sparql for reads; /sparql-auth and
                                        /sparql-graph-crud-auth (digest auth) for writes
    sparql+http://host/path/sparql      any SPARQL 1.1 store: this URL for queries; the update and
                                        Graph Store endpoints come from --store-update-url and --store-gsp-url
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urljoin, urlsplit

from publisher.errors import UsageError
from publisher.fields import duration_lexical


@dataclass(frozen=True)
class Endpoints:
    dialect: str
    query: str  # SPARQL 1.1 Protocol, queries
    update: str  # SPARQL 1.1 Protocol, updates (credentials needed)
    graph_store: str  # Graph Store HTTP Protocol, writes (credentials needed); `?graph=<iri>` is appended
    graph_read: str  # Graph Store HTTP Protocol, anonymous reads

    @property
    def origin(self) -> str:
        """How messages name the store: scheme, host and port only."""
        parts = urlsplit(self.query)
        return f"{self.dialect} store at {parts.scheme}://{parts.netloc}/"


def endpoints(store: str, update_url: str = "", gsp_url: str = "") -> Endpoints:
    """The endpoints a `store` URL names (`update_url`, `gsp_url`: a generic store's others)."""
    scheme, _, rest = store.partition("://")
    dialect, _, transport = scheme.partition("+")
    if transport not in ("http", "https") or not rest:
        raise UsageError(f"--store {store!r}: a directory, or a URL such as oxigraph+http://127.0.0.1:7878/")
    if "@" in urlsplit(f"{transport}://{rest}").netloc:
        raise UsageError("--store: give credentials with --store-user and --store-password (or PUBLISHER_STORE_USER "
                         "and PUBLISHER_STORE_PASSWORD), not in the URL")
    url = f"{transport}://{rest}"
    root = url if url.endswith("/") else url + "/"
    if dialect == "oxigraph":
        return Endpoints(dialect, urljoin(root, "query"), urljoin(root, "update"), urljoin(root, "store"),
                         urljoin(root, "store"))
    if dialect == "virtuoso":
        return Endpoints(dialect, urljoin(root, "sparql"), urljoin(root, "sparql-auth"),
                         urljoin(root, "sparql-graph-crud-auth"), urljoin(root, "sparql-graph-crud"))
    if dialect == "sparql":
        if not update_url or not gsp_url:
            raise UsageError("--store sparql+http://…: give the store's update and Graph Store endpoints too "
                             "(--store-update-url, --store-gsp-url)")
        return Endpoints(dialect, url, update_url, gsp_url, gsp_url)
    raise UsageError(f"--store {store!r}: unknown store {dialect!r} (oxigraph, virtuoso or sparql)")


def drop_graph(iri: str) -> str:
    """Virtuoso refuses DROP GRAPH on a graph it did not see created; SILENT is standard and works everywhere."""
    return f"DROP SILENT GRAPH <{iri}>"


def fix_results(dialect: str, answer: dict[str, Any]) -> dict[str, Any]:
    """A SPARQL JSON answer as the standard has it."""
    if dialect != "virtuoso":
        return answer
    results = answer.get("results")
    rows = results.get("bindings") or [] if isinstance(results, dict) else []
    # Virtuoso may answer ASK as a one-row SELECT binding `__ASK_RETVAL`, not `boolean`.
    if "boolean" not in answer and len(rows) == 1 and "__ASK_RETVAL" in rows[0]:
        return {"head": {}, "boolean": rows[0]["__ASK_RETVAL"]["value"] in ("1", "true")}
    for row in rows:
        for term in row.values():
            if term.get("datatype") == XSD_DURATION:
                term["value"] = _duration(term["value"])
    return answer


def fix_ntriples(dialect: str, ntriples: bytes) -> bytes:
    if dialect != "virtuoso" or XSD_DURATION.encode() not in ntriples:
        return ntriples
    return _VIRTUOSO_DURATION.sub(lambda m: b'"%s"^^<%s>' % (_duration(m[1].decode()).encode(), XSD_DURATION.encode()),
                                  ntriples)


XSD_DURATION = "http://www.w3.org/2001/XMLSchema#duration"
_VIRTUOSO_DURATION = re.compile(rb'"([0-9]+\.[0-9]+)"\^\^<' + re.escape(XSD_DURATION.encode()) + rb">")


def _duration(lexical: str) -> str:
    """Virtuoso 7.2 keeps an xsd:duration as its seconds, and writes them back wrongly: PT3M59S comes
    back as "239.59" (the total, then the seconds digits again), PT3M59.5S as "239.5". Both are
    turned back into the lexical form the mapping writes."""
    whole, dot, fraction = lexical.partition(".")
    if not (dot and whole.isdigit() and fraction.isdigit()):
        return lexical
    total = Decimal(whole)
    seconds = Decimal(lexical) if fraction != str(int(whole) % 60) else total
    return duration_lexical(seconds)
