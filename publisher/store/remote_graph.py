"""A version's statements in a remote SPARQL store: one named graph, read over the SPARQL 1.1 Protocol.

Queries are scoped to the version by the protocol's dataset parameters (`default-graph-uri` is the
version's graph, and no named graph is visible, as in the embedded store). Answers come back as
SPARQL XML or N-Triples and are parsed by pyoxigraph, so callers get the same objects as from
the embedded store.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import IO, Any

import pyoxigraph as ox

from publisher.errors import StoreUnavailable
from publisher.store.binding import bind, with_constant_columns, without_constant_columns
from publisher.store.dialects import fix_ntriples, fix_results, timeout_params
from publisher.store.graph import Substitutions
from publisher.store.sparql_client import SparqlClient, query_form
from publisher.terms import PREFIXES

RESULTS_XML = "application/sparql-results+xml"
NTRIPLES = "application/n-triples"
COUNT_TIMEOUT = 600


def keep_edge_spaces(answer: bytes) -> bytes:
    """pyoxigraph's SPARQL XML parser trims a literal's text: its spaces, tabs and line breaks at
    either end are written as character references, which it keeps."""
    return _LITERAL.sub(_edge_spaces_kept, answer)


def _edge_spaces_kept(found: re.Match[bytes]) -> bytes:
    start, text, end = found.groups()
    inner = text.strip()
    if len(inner) == len(text):
        return found[0]
    lead, trail = text[:len(text) - len(text.lstrip())], text[len(text.rstrip()):] if inner else b""
    return start + _references(lead) + inner + _references(trail) + end


def _references(spaces: bytes) -> bytes:
    return b"".join(b"&#%d;" % c for c in spaces)


_LITERAL = re.compile(rb"(<literal\b[^>]*(?<!/)>)([^<]*)(</literal>)")  # text holds no "<": it is escaped


class RemoteGraph:
    def __init__(self, client: SparqlClient, graph: str, no_named_graph: str, default_timeout: float | None = None) -> None:
        self.client = client
        self.default_timeout = default_timeout  # so that a page on a hung store ends too
        self.graph = graph
        self._dataset = [("default-graph-uri", graph), ("named-graph-uri", no_named_graph)]
        self.dialect = client.endpoints.dialect

    def query(self, sparql: str, base: str | None = None, substitutions: Substitutions | None = None,
              *, timeout: float | None = None) -> Any:
        """As `EmbeddedGraph.query`; `timeout` (seconds, else the graph's default) ends the wait with StoreTimeout."""
        timeout = self.default_timeout if timeout is None else timeout
        form = query_form(sparql)
        text = bind(sparql, base, substitutions, form)
        params = self._dataset + timeout_params(self.dialect, timeout)
        if form in ("CONSTRUCT", "DESCRIBE"):
            answer = self.client.query(text, NTRIPLES, params, timeout)
            return self._read(lambda: list(ox.parse(fix_ntriples(self.dialect, answer), ox.RdfFormat.N_TRIPLES)))
        constants = {v.value: term for v, term in (substitutions or {}).items()} if form == "SELECT" else {}
        shortened = without_constant_columns(text, set(constants)) if constants else None
        answer = fix_results(self.dialect, self.client.query(shortened[0] if shortened else text, RESULTS_XML, params, timeout))
        if shortened:
            _, projection, taken = shortened
            answer = with_constant_columns(answer, projection, {name: constants[name] for name in taken})
        return self._read(lambda: ox.parse_query_results(keep_edge_spaces(answer), ox.QueryResultsFormat.XML))

    def _read(self, parse: Callable[[], Any]) -> Any:
        try:
            return parse()
        except (SyntaxError, ValueError) as problem:
            raise StoreUnavailable(f"the {self.client.origin} sent an answer that cannot be read: {problem}") from None

    def __len__(self) -> int:
        # Counting tens of millions of statements outlasts the readers' timeout: only builds ask.
        solutions = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", timeout=COUNT_TIMEOUT)
        return int(next(iter(solutions))["n"].value)

    def dump(self, out: IO[bytes], fmt: ox.RdfFormat) -> None:
        plain = io.BytesIO()
        self.client.read_graph(self.graph, plain)
        text = fix_ntriples(self.dialect, plain.getvalue())
        ox.serialize(ox.parse(text, ox.RdfFormat.N_TRIPLES), out, fmt,
                     prefixes=PREFIXES if fmt == ox.RdfFormat.TURTLE else None)
