"""One published version of the embedded store: an Oxigraph database plus its ledger.

A version directory is complete once it holds `manifest.json`; readers only ever see
complete versions, because the `current` pointer is switched after the manifest is written.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Protocol

import pyoxigraph as ox

from publisher.store.graph import EmbeddedGraph, Graph, Substitutions
from publisher.store.ledger import EntityTimes, LedgerEntry, Manifest, read_ledger

GRAPH_DIR = "oxigraph"
LEDGER = "records.jsonl"
MANIFEST = "manifest.json"
ENTITIES = "entities.json"  # each published person, institution and theme IRI -> its EntityTimes
LOADED_COPY = "loaded.nt"  # removed once the dumps are written from it


ENTITY_IRIS = """SELECT ?e WHERE {
  VALUES ?class { <http://schema.org/Person> <http://schema.org/Organization> <http://www.w3.org/2004/02/skos/core#Concept> }
  ?e a ?class }"""


class PublishedVersion:
    """A complete version: its files (manifest, ledger, entities, dumps) in `path` and its
    statements behind `graph` (the embedded database by default, a remote store's graph else)."""

    def __init__(self, path: Path, graph: Graph | None = None) -> None:
        self.path = path
        self.manifest = Manifest.load(path / MANIFEST)
        self.graph: Graph = graph if graph is not None else EmbeddedGraph(path / GRAPH_DIR)

    @property
    def id(self) -> str:
        return self.manifest.version

    def ledger(self) -> Iterator[LedgerEntry]:
        return read_ledger(self.path / LEDGER)

    def entities(self) -> dict[str, EntityTimes]:
        """Person, institution and theme IRIs -> their times. A version written before these were
        kept gives its own publication time to each, and no digest."""
        path = self.path / ENTITIES
        if path.is_file():
            rows = json.loads(path.read_text(encoding="utf-8"))
            return {iri: EntityTimes(*row) for iri, row in rows.items()}
        solutions = self.query(ENTITY_IRIS)
        assert isinstance(solutions, ox.QuerySolutions)
        known = EntityTimes(self.manifest.created, self.manifest.created, "")
        return {row["e"].value: known for row in solutions}

    def query(self, sparql: str, base: str | None = None, substitutions: Substitutions | None = None) -> Any:
        """SPARQL over the published graph (all of it is in the default graph);
        `substitutions` binds variables to terms before evaluation (query parameters)."""
        return self.graph.query(sparql, base, substitutions)

    def dump(self, out: IO[bytes], fmt: ox.RdfFormat) -> None:
        self.graph.dump(out, fmt)


class Writer(Protocol):
    """What the build needs of a version being prepared, whatever the backend."""

    path: Path

    @property
    def loaded_copy(self) -> Path: ...

    def load(self, ntriples: bytes | str) -> None: ...

    def stream(self) -> Stream: ...

    def reset(self) -> None: ...

    def count(self) -> int: ...

    def save_entities(self, entities: dict[str, EntityTimes]) -> None: ...

    def open_ledger(self) -> IO[bytes]: ...

    def finish(self, manifest: Manifest) -> None: ...

    def abort(self) -> None: ...


class Stream(Protocol):
    def write(self, data: bytes) -> None: ...

    def close(self) -> None:
        """Wait for everything written to be loaded; raise what the loader met."""
        ...


class VersionFiles:
    """The files of a version being prepared, the same for every backend: its ledger, entities,
    the N-Triples text it loaded (for the dumps) and, last, its manifest."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True)

    @property
    def loaded_copy(self) -> Path:
        """Every N-Triples line loaded, as written: the dumps start from it, because reading
        the statements back out of a store costs several times more than writing them twice."""
        return self.path / LOADED_COPY

    def save_entities(self, entities: dict[str, EntityTimes]) -> None:
        rows = {iri: [t.created, t.modified, t.digest] for iri, t in sorted(entities.items())}
        (self.path / ENTITIES).write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")

    def open_ledger(self) -> IO[bytes]:
        """Where the version's records go, one `ledger_line` each."""
        return (self.path / LEDGER).open("wb")

    def _keep_copy(self, ntriples: bytes | str) -> None:
        with self.loaded_copy.open("ab") as copy:
            copy.write(ntriples.encode("utf-8") if isinstance(ntriples, str) else ntriples)

    def _write_manifest(self, manifest: Manifest) -> None:
        manifest.save(self.path / (MANIFEST + ".tmp"))
        (self.path / (MANIFEST + ".tmp")).rename(self.path / MANIFEST)


class VersionWriter(VersionFiles):
    """Prepares a new version of the embedded store aside. Nothing is visible to readers until the
    store commits it."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.graph: ox.Store | None = ox.Store(str(path / GRAPH_DIR))

    def load(self, ntriples: bytes | str) -> None:
        assert self.graph is not None, "version already closed"
        self.graph.bulk_load(input=ntriples, format=ox.RdfFormat.N_TRIPLES)
        self._keep_copy(ntriples)

    def stream(self) -> LoadStream:
        """A file to write N-Triples into while Oxigraph loads them, so loading overlaps mapping."""
        assert self.graph is not None, "version already closed"
        return LoadStream(self.graph, self.path / "load.fifo", self.loaded_copy)

    def reset(self) -> None:
        """Forget what was loaded, to load again from the start."""
        self.graph = None
        shutil.rmtree(self.path / GRAPH_DIR, ignore_errors=True)
        self.loaded_copy.unlink(missing_ok=True)
        self.graph = ox.Store(str(self.path / GRAPH_DIR))

    def count(self) -> int:
        assert self.graph is not None, "version already closed"
        return len(self.graph)

    def finish(self, manifest: Manifest) -> None:
        """Flush and close the graph, then write the manifest that marks the version complete."""
        assert self.graph is not None, "version already closed"
        self.graph.flush()
        self.graph = None  # closes RocksDB, so that readers can open it read-only
        self._write_manifest(manifest)

    def abort(self) -> None:
        self.graph = None
        shutil.rmtree(self.path, ignore_errors=True)


def is_complete(path: Path) -> bool:
    return (path / MANIFEST).is_file()


class LoadStream:
    """Bytes written here go through a FIFO into `bulk_load`, which runs in a thread of its own
    (it releases the GIL) and reads the FIFO itself, while Python keeps producing."""

    def __init__(self, graph: ox.Store, fifo: Path, copy: Path) -> None:
        os.mkfifo(fifo)
        self.fifo = fifo
        self.copy: IO[bytes] | None = copy.open("ab")
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._load, args=(graph,), name="bulk-load", daemon=True)
        self.thread.start()
        self.out: IO[bytes] | None = fifo.open("wb")  # returns once the loader has opened it

    def _load(self, graph: ox.Store) -> None:
        try:
            # Every statement was parsed and checked once already, in its validation batch.
            graph.bulk_load(path=str(self.fifo), format=ox.RdfFormat.N_TRIPLES, lenient=True)
        except (OSError, SyntaxError, ValueError) as problem:
            self.error = problem
            with self.fifo.open("rb") as rest:  # keep the writer from blocking on a full pipe
                while rest.read(1 << 20):
                    pass

    def write(self, data: bytes) -> None:
        assert self.out is not None and self.copy is not None, "stream already closed"
        self.out.write(data)
        self.copy.write(data)

    def close(self) -> None:
        """Wait for the loader to take everything; raise what it met."""
        if self.out is not None:
            self.out.close()
            self.out = None
        if self.copy is not None:
            self.copy.close()
            self.copy = None
        self.thread.join()
        self.fifo.unlink(missing_ok=True)
        if self.error is not None:
            raise self.error
