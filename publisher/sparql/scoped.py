"""A user's query on a remote store, meaning there what it means on the embedded store.

On the embedded store the published statements are the default graph and there are no named
graphs: `FROM <g>`, `FROM NAMED <g>`, `GRAPH ?g` and a `default-graph-uri` other than the
dataset's all find nothing. A remote store holds every version in a graph of its own, beside
the pointer graph, and Virtuoso adds a query's `FROM` graphs to the protocol's dataset instead
of letting the protocol's win; so a query sent as is could read another version.

Here the query is first evaluated by the worker pool over an empty dataset: that parses it as
Oxigraph does (same errors, no vendor syntax such as Virtuoso's `define`), and it is the whole
answer when the dataset asked for holds no published statement. Otherwise its dataset clauses
are taken out and the version's graph answers it (the remote graph scopes every query to the
version's graph, with an empty set of named graphs).
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from publisher.errors import StoreTimeout
from publisher.sparql.guard import without_dataset
from publisher.sparql.pool import QueryPool, QueryTimeout, timeout_message
from publisher.sparql.results import Answer, NotAcceptable, write
from publisher.sparql.worker import EMPTY, Failure, Job
from publisher.store.version import PublishedVersion


def answer(version: PublishedVersion, pool: QueryPool, text: str, substitutions: tuple[tuple[str, Any], ...],
           default_graphs: tuple[str, ...] | None, named_graphs: tuple[str, ...] | None,
           solutions_format: str | None, graph_format: str | None, row_limit: int, time_limit: float) -> Answer | Failure:
    """Raises QueryTimeout past `time_limit`, StoreUnavailable when the store cannot answer."""
    base = version.manifest.base
    checked = pool.run(Job(EMPTY, text, base, substitutions, default_graphs, named_graphs,
                           solutions_format, graph_format, row_limit))
    sent, had_dataset = without_dataset(text)
    if isinstance(checked, Failure) or not reads_published(default_graphs, had_dataset):
        return checked
    try:
        result = version.graph.query(sent, base, {ox.Variable(name): term for name, term in substitutions} or None,
                                     timeout=time_limit)  # type: ignore[call-arg]
        return write(result, solutions_format, graph_format, row_limit)
    except StoreTimeout:
        raise QueryTimeout(timeout_message(time_limit)) from None
    except SyntaxError as problem:  # what Oxigraph parses and the store does not (Virtuoso: ORDER BY MIN(?x))
        # Its first line only: the rest repeats the query as sent, with the store's graph names.
        return Failure("syntax", f"the store cannot parse it: {str(problem).strip().splitlines()[0]}")
    except NotAcceptable as problem:
        return Failure("not-acceptable", str(problem))


def reads_published(default_graphs: tuple[str, ...] | None, had_dataset: bool) -> bool:
    """Whether the query's default graph holds the published statements ("" names them): the
    protocol's dataset wins over the query's; a query's own `FROM` or `FROM NAMED` names graphs
    that do not exist."""
    if default_graphs is not None:
        return "" in default_graphs
    return not had_dataset
