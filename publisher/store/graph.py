"""How a published version's statements are read: the one seam between the embedded store and
a remote SPARQL store.

Every reader (the web tier, the CLI, the dumps) goes through `Graph`: SPARQL in, pyoxigraph
results out (`QuerySolutions`, `QueryBoolean`, or an iterable of `Triple` for CONSTRUCT and
DESCRIBE), whatever the backend. `EmbeddedGraph` opens the version's Oxigraph database
read-only; a remote backend sends the same query over the SPARQL 1.1 Protocol, scoped to the
version's graph, and parses the answer with `pyoxigraph.parse_query_results`.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any, Protocol

import pyoxigraph as ox

from publisher.terms import PREFIXES

Substitutions = dict[ox.Variable, Any]


class Graph(Protocol):
    def query(self, sparql: str, base: str | None = None, substitutions: Substitutions | None = None) -> Any:
        """Evaluate SPARQL over the version (all of it in the default graph). `substitutions`
        bind variables to terms before evaluation, the way pyoxigraph's `substitutions` do.
        Raises SyntaxError for a malformed query and `StoreUnavailable` when the store cannot
        be reached."""
        ...

    def __len__(self) -> int:
        """How many statements the version holds."""
        ...

    def dump(self, out: IO[bytes], fmt: ox.RdfFormat) -> None:
        """Every statement of the version, serialized."""
        ...


class EmbeddedGraph:
    """A version's Oxigraph database on disk, opened read-only on first use (several processes
    may read it at once)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._store: ox.Store | None = None

    @property
    def store(self) -> ox.Store:
        if self._store is None:
            self._store = ox.Store.read_only(str(self.path))
        return self._store

    def query(self, sparql: str, base: str | None = None, substitutions: Substitutions | None = None) -> Any:
        return self.store.query(sparql, base_iri=base, substitutions=substitutions)

    def __len__(self) -> int:
        return len(self.store)

    def dump(self, out: IO[bytes], fmt: ox.RdfFormat) -> None:
        self.store.dump(out, fmt, from_graph=ox.DefaultGraph(), prefixes=PREFIXES)
