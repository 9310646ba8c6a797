"""A query worker: a process of its own that opens the published store read-only and answers
one query at a time, so that a query past the time limit is stopped by killing the process,
which frees its CPU and memory at once (Oxigraph offers no way to cancel a running query)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from publisher.sparql.results import Answer, NotAcceptable, write
from publisher.store.version import GRAPH_DIR

EMPTY = ""  # a Job's version_path for an empty dataset (a remote store's query checked, or a graph that does not exist)


@dataclass(frozen=True)
class Job:
    version_path: str  # the embedded version's directory, or EMPTY
    query: str
    base: str
    substitutions: tuple[tuple[str, Any], ...] = ()  # (variable name, term)
    default_graphs: tuple[str, ...] | None = None  # IRIs; "" is the store's default graph
    named_graphs: tuple[str, ...] | None = None
    solutions_format: str | None = "json"
    graph_format: str | None = "turtle"
    row_limit: int = 10_000


@dataclass(frozen=True)
class Failure:
    kind: str  # "syntax", "not-acceptable" or "engine"
    message: str


def evaluate(store: ox.Store, job: Job) -> Answer | Failure:
    try:
        result = store.query(
            job.query,
            base_iri=job.base,
            substitutions={ox.Variable(name): term for name, term in job.substitutions} or None,
            default_graph=_graphs(job.default_graphs, allow_default=True),
            named_graphs=_graphs(job.named_graphs, allow_default=False),
        )
        return write(result, job.solutions_format, job.graph_format, job.row_limit)
    except SyntaxError as problem:
        return Failure("syntax", str(problem))
    except NotAcceptable as problem:
        return Failure("not-acceptable", str(problem))
    except (OSError, RuntimeError, ValueError, TypeError) as problem:
        return Failure("engine", f"{type(problem).__name__}: {problem}")


def _graphs(iris: tuple[str, ...] | None, allow_default: bool) -> Any:
    if iris is None:
        return None
    return [ox.DefaultGraph() if allow_default and iri == "" else ox.NamedNode(iri) for iri in iris]


def serve(connection: Connection) -> None:
    """Answer jobs until the other end closes; the current version's store stays open between jobs."""
    opened: tuple[str, ox.Store] | None = None
    while True:
        try:
            job: Job = connection.recv()
        except (EOFError, OSError):
            return
        if opened is None or opened[0] != job.version_path:
            opened = None  # closes the older version before opening the new one
            opened = (job.version_path, _open(job.version_path))
        connection.send(evaluate(opened[1], job))


def _open(version_path: str) -> ox.Store:
    return ox.Store() if version_path == EMPTY else ox.Store.read_only(str(Path(version_path) / GRAPH_DIR))


if __name__ == "__main__":
    # Through the module's own name, so that answers pickle as publisher.sparql.worker's classes, not __main__'s.
    from publisher.sparql import worker

    worker.serve(Connection(int(sys.argv[1])))  # the socket the pool passed down
