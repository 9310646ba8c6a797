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

import re
from typing import Any

import pyoxigraph as ox

from publisher.errors import StoreTimeout
from publisher.sparql.guard import query_form, tokens, without_dataset
from publisher.sparql.pool import QueryPool, QueryTimeout, timeout_message
from publisher.sparql.results import Answer, NotAcceptable, write
from publisher.sparql.worker import EMPTY, Failure, Job
from publisher.store.version import PublishedVersion


def answer(version: PublishedVersion, pool: QueryPool, text: str, substitutions: tuple[tuple[str, Any], ...],
           default_graphs: tuple[str, ...] | None, named_graphs: tuple[str, ...] | None,
           solutions_format: str | None, graph_format: str | None, row_limit: int, time_limit: float,
           parsed: bool = False) -> Answer | Failure:
    """Raises QueryTimeout past `time_limit`, StoreUnavailable when the store cannot answer.
    `parsed`: a text known to parse, without dataset clauses (a question of queries/), which the
    pool does not check first: on a small question that check was a third of our time."""
    base = version.manifest.base
    if parsed:
        sent = text
    else:
        checked = pool.run(Job(EMPTY, text, base, substitutions, default_graphs, named_graphs,
                               solutions_format, graph_format, row_limit))
        sent, had_dataset = without_dataset(text)
        if isinstance(checked, Failure) or not reads_published(default_graphs, had_dataset):
            return checked
    try:
        bound = {ox.Variable(name): term for name, term in substitutions} or None
        result = version.graph.query(at_most(sent, row_limit + 1), base, bound, timeout=time_limit)  # type: ignore[call-arg]
        return write(result, solutions_format, graph_format, row_limit)
    except StoreTimeout:
        raise QueryTimeout(timeout_message(time_limit)) from None
    except SyntaxError as problem:  # what Oxigraph parses and the store does not (Virtuoso: ORDER BY MIN(?x))
        # Its first line only: the rest repeats the query as sent, with the store's graph names.
        return Failure("syntax", f"the store cannot parse it: {str(problem).strip().splitlines()[0]}")
    except NotAcceptable as problem:
        return Failure("not-acceptable", str(problem))


def at_most(text: str, rows: int) -> str:
    """A SELECT with a LIMIT of at most `rows` solutions (its own, if lower), so that the store
    sends no more than the row limit needs, and knows to stop; one more than the limit tells
    that the answer was cut. Only for a text that parsed as SPARQL 1.1. Other forms are left
    alone (a CONSTRUCT's limit counts solutions, not the distinct triples the row limit counts),
    and so is a SELECT that sorts its answer."""
    if query_form(text) != "SELECT":
        return text
    listed = list(tokens(text))
    depth, last_group_end, values_at = 0, None, None
    for position, token in enumerate(listed):
        if token.text == "{":
            depth += 1
        elif token.text == "}":
            depth -= 1
            if depth == 0 and values_at is None:
                last_group_end = position
        elif depth == 0 and token.keyword == "VALUES" and last_group_end is not None:
            values_at = position  # the query's trailing VALUES block, after its solution modifiers
    if last_group_end is None:
        return text
    modifiers = listed[last_group_end + 1:values_at]
    if any(t.keyword == "ORDER" for t in modifiers):
        return text  # Virtuoso refuses to sort for a LIMIT above its MaxSortedTopRows (10,000 by default)
    given = next((t for t in modifiers if t.keyword == "LIMIT"), None)
    if given is not None:
        number = _INTEGER.match(text, given.end)
        assert number is not None, "LIMIT is followed by an integer in a query that parsed"
        if int(number.group(1)) <= rows:
            return text
        return f"{text[:number.start(1)]}{rows}{text[number.end(1):]}"
    end = listed[values_at].start if values_at is not None else len(text)
    return f"{text[:end]}\nLIMIT {rows}\n{text[end:]}"


_INTEGER = re.compile(r"\s*(\d+)")


def reads_published(default_graphs: tuple[str, ...] | None, had_dataset: bool) -> bool:
    """Whether the query's default graph holds the published statements ("" names them): the
    protocol's dataset wins over the query's; a query's own `FROM` or `FROM NAMED` names graphs
    that do not exist."""
    if default_graphs is not None:
        return "" in default_graphs
    return not had_dataset
