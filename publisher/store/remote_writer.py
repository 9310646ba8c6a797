"""Preparing a version in a remote store: its statements go into the version's own named graph by
the Graph Store HTTP Protocol, in batches posted from background threads while the build keeps
mapping (or, given --store-bulk-dir, by Virtuoso's bulk loader: virtuoso_bulk.py); its files
(ledger, entities, the loaded text, the manifest) go to the shared files directory.

Each batch is a document of its own: blank node labels do not carry across batches (the mapping
writes none).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import IO

from publisher.errors import PublisherError
from publisher.store.background import Background
from publisher.store.dialects import drop_graph
from publisher.store.ledger import Manifest
from publisher.store.sparql_client import SparqlClient
from publisher.store.version import Stream, VersionFiles
from publisher.store.virtuoso_bulk import BulkLoader

# How large a post may be (Endpoints.post_bytes) and how many go at once (Endpoints.concurrent_posts)
# are the store's: see dialects.py and docs/benchmarks.md, "Remote store".


class RemoteVersionWriter(VersionFiles):
    def __init__(self, path: Path, client: SparqlClient, graph: str, bulk: BulkLoader | None = None,
                 parts: Path | None = None) -> None:
        super().__init__(path)
        self.client = client
        self.graph = graph
        self.bulk, self.parts = bulk, parts

    def load(self, ntriples: bytes | str) -> None:
        data = ntriples.encode("utf-8") if isinstance(ntriples, str) else ntriples
        if data.strip():
            self.client.post_graph(self.graph, data)
        self._keep_copy(data)

    def stream(self) -> Stream:
        if self.bulk is not None and self.parts is not None:
            return self.bulk.stream(self.graph, self.parts, self.loaded_copy.open("ab"))
        return RemoteLoadStream(self.client, self.graph, self.loaded_copy.open("ab"))

    def reset(self) -> None:
        self.client.update(drop_graph(self.graph, self.client.endpoints.dialect), timeout=3600)
        self.loaded_copy.unlink(missing_ok=True)

    def count(self) -> int:
        answer = self.client.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{self.graph}> {{ ?s ?p ?o }} }}",
                                   "text/csv", (), timeout=600)
        lines = answer.decode("utf-8").split()
        try:
            return int(lines[1].strip('"'))
        except (IndexError, ValueError):
            raise PublisherError(f"the {self.client.origin} did not count the statements: {answer[:200]!r}") from None

    def finish(self, manifest: Manifest) -> None:
        """The manifest marks the files complete; the store commits the version by switching its pointer."""
        self._write_manifest(manifest)

    def abort(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        self.client.update(drop_graph(self.graph, self.client.endpoints.dialect), timeout=3600)


class RemoteLoadStream:
    """N-Triples written here are kept in the loaded copy and cut, at line ends, into batches that
    background threads post while the caller keeps writing."""

    def __init__(self, client: SparqlClient, graph: str, copy: IO[bytes]) -> None:
        self.client, self.graph, self.copy = client, graph, copy
        self.pending = bytearray()
        self.batch = client.endpoints.post_bytes
        posts = client.endpoints.concurrent_posts
        # The backlog is one batch a poster: the caller waits while every poster is busy, so memory stays bounded.
        self.posters: Background[bytes] = Background(self._post, posts, "gsp-post", (PublisherError, SyntaxError),
                                                     backlog=posts)

    def write(self, data: bytes) -> None:
        """Posts are cut at line ends and carry at most the store's post_bytes (a longer line goes
        whole), however much one call writes: the statistics come 100,000 lines at a time, and went
        in one post each (28-60 MB at 100k videos) when Virtuoso hung on them."""
        self.copy.write(data)
        self.pending += data
        while len(self.pending) >= self.batch:
            cut = self.pending.rfind(b"\n", 0, self.batch) + 1 or self.pending.find(b"\n", self.batch) + 1
            if not cut:  # one line longer than a batch, not yet ended
                return
            self._send(bytes(self.pending[:cut]))
            del self.pending[:cut]

    def close(self) -> None:
        """Post the rest, wait for every post to end; raise what a post met."""
        if self.pending.strip():
            self._send(bytes(self.pending))
        self.pending.clear()
        try:
            self.posters.finish()
        finally:
            self.copy.close()

    def _send(self, batch: bytes) -> None:
        self.posters.raise_error()
        self.posters.put(batch)

    def _post(self, batch: bytes) -> None:
        self.client.post_graph(self.graph, batch)
