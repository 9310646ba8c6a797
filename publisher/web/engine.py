"""Answers to SPARQL queries for the web tier: checked, cached by (version, query, format),
evaluated under the time and row limits, and sent with an ETag.

On the embedded store the worker pool evaluates the query (a query past the limit has its
process killed). On a remote store the store evaluates it, under the same limit (its own limit
frees its CPU); the pool only parses it first, over an empty dataset, so that what the remote
store is sent is plain SPARQL 1.1 with the errors Oxigraph gives (see `publisher.sparql.scoped`).

The published data changes only when a build publishes a new version, so an answer keyed by
the version's directory never goes stale: a repeated query costs a dictionary look-up, and a
client holding the answer gets a 304.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import NotAcceptable
from werkzeug.http import quote_etag

from publisher.errors import PublisherError, UsageError
from publisher.sparql import scoped
from publisher.sparql.guard import check_query
from publisher.sparql.pool import EngineFailed, QueryPool, QueryTimeout
from publisher.sparql.results import BY_NAME, Answer
from publisher.sparql.worker import EMPTY, Failure, Job
from publisher.store.graph import EmbeddedGraph
from publisher.web.http import CACHE_CONTROL, BodyCache
from publisher.web.versions import settings, version

EXPOSED = "ETag, Link, Vary, X-Row-Limit, X-Truncated"


@dataclass(frozen=True)
class CachedAnswer:
    body: bytes
    fmt: str
    etag: str
    truncated: bool


@dataclass(frozen=True)
class Question:
    """A query and everything that changes its answer."""

    text: str
    substitutions: tuple[tuple[str, Any], ...] = ()
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    # A question of queries/: parsed and run when the library was loaded, with no dataset
    # clauses, update or SERVICE, so it is not checked again at each request.
    from_library: bool = False


def install(app: Flask) -> None:
    s = app.config["PUBLISHER_SETTINGS"]
    app.extensions["publisher.query_pool"] = QueryPool(s.sparql_workers, s.sparql_timeout)
    budget = s.sparql_cache_mb * 1024 * 1024
    app.extensions["publisher.answers"] = BodyCache[CachedAnswer](budget=budget, max_body=min(8 * 1024 * 1024, budget))
    app.extensions["publisher.timed_out"] = _TimedOut()
    app.before_request(_warm_pool)


def _warm_pool() -> None:
    """At a process's first request, a query worker starts and opens the store in the background."""
    pool: QueryPool = current_app.extensions["publisher.query_pool"]
    if pool.warmed:  # every later request: no store read, no lock
        return
    try:
        v = version()
    except PublisherError:
        return  # nothing published yet, or the store is unreachable: the request will say so
    pool.warm(Job(str(v.path) if isinstance(v.graph, EmbeddedGraph) else EMPTY, "ASK {}", v.manifest.base))


def answer(question: Question, solutions_format: str | None, graph_format: str | None) -> CachedAnswer:
    """The answer in the negotiated format; raises UsageError (400), NotAcceptable (406),
    QueryTimeout (503) or EngineFailed (500)."""
    s = settings()
    v = version()
    key = (str(v.path), question.text, repr(question.substitutions), repr(question.default_graphs),
           repr(question.named_graphs), solutions_format or "", graph_format or "", str(s.sparql_rows))
    cache: BodyCache[CachedAnswer] = current_app.extensions["publisher.answers"]
    found = cache.get(key)
    if found is not None:
        return found
    timed_out: _TimedOut = current_app.extensions["publisher.timed_out"]
    if key in timed_out:
        raise QueryTimeout(f"this query ran past the {s.sparql_timeout:g} s limit on this version of the data "
                           "and was stopped; it is not run again until the data changes")
    if not question.from_library:
        check_query(question.text, s.allowed_services)
    pool: QueryPool = current_app.extensions["publisher.query_pool"]
    try:
        if isinstance(v.graph, EmbeddedGraph):
            result = pool.run(Job(str(v.path), question.text, v.manifest.base, question.substitutions,
                                  question.default_graphs, question.named_graphs, solutions_format, graph_format,
                                  s.sparql_rows))
        else:
            result = scoped.answer(v, pool, question.text, question.substitutions, question.default_graphs,
                                   question.named_graphs, solutions_format, graph_format, s.sparql_rows, s.sparql_timeout,
                                   parsed=question.from_library)
    except QueryTimeout:
        # On a remote store too: a store without a time limit of its own (an Oxigraph server
        # started without --timeout-s) would otherwise run one more copy at each repeat.
        timed_out.add(key)
        raise
    made = _cached(result)
    cache.put(key, made)
    return made


def _cached(result: Answer | Failure) -> CachedAnswer:
    if isinstance(result, Failure):
        if result.kind == "syntax":
            raise UsageError(f"the query is not valid SPARQL: {result.message}")
        if result.kind == "not-acceptable":
            raise NotAcceptable(result.message)
        raise EngineFailed(f"the query could not be evaluated: {result.message}")
    return CachedAnswer(result.body, result.fmt, hashlib.blake2b(result.body, digest_size=16).hexdigest(), result.truncated)


def respond(found: CachedAnswer, *, negotiated: bool) -> Response:
    fmt = BY_NAME[found.fmt]
    response = Response(found.body, content_type=fmt.content_type)
    response.headers["ETag"] = quote_etag(found.etag)
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED
    response.headers["X-Row-Limit"] = str(settings().sparql_rows)
    if found.truncated:
        response.headers["X-Truncated"] = "true"
    if negotiated:
        response.headers["Vary"] = "Accept"
    if request.method in ("GET", "HEAD"):
        response.make_conditional(request)
    return response


class _TimedOut:
    """Queries that ran past the limit, by cache key: a repeat is refused at once rather than
    tying up a worker for the whole limit again. Bounded: the oldest are forgotten first."""

    def __init__(self, limit: int = 1024) -> None:
        self._keys: dict[tuple[str, ...], None] = {}
        self._limit = limit
        self._lock = threading.Lock()

    def __contains__(self, key: tuple[str, ...]) -> bool:
        with self._lock:
            return key in self._keys

    def add(self, key: tuple[str, ...]) -> None:
        with self._lock:
            self._keys[key] = None
            while len(self._keys) > self._limit:
                del self._keys[next(iter(self._keys))]
