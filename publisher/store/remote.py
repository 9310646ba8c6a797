"""The remote store: versions as named graphs of a SPARQL 1.1 store, one pointer graph switched at
the end of a build, and each version's files in a directory every web host shares.

    in the store:
      urn:x-publisher:NAME:version:ID     the statements of version ID
      urn:x-publisher:NAME:pointer        <…:pointer> pub:current "ID"     the version readers see
                                          <…:pointer> pub:published "ID"   versions switched to, still kept
                                          <…:pointer> pub:loading "ID"     versions being prepared
    in --store-files (NFS or the like when several hosts serve):
      versions/ID/manifest.json, records.jsonl, entities.json, dumps/
      build.lock                          held by the one build allowed at a time
    in --store-bulk-dir (Virtuoso's bulk loader, while a build loads):
      NAME-ID/part-NNNNN.nt

A version is complete when its manifest is written and the pointer names it. A build registers
its version as loading before it writes anything, so that the next build (holding the lock) can
drop the leftovers of one that was killed.
"""

from __future__ import annotations

import json
import secrets
import shutil
from datetime import UTC, datetime
from pathlib import Path

from publisher.errors import PublisherError, StoreUnavailable, UsageError
from publisher.settings import Settings
from publisher.store.dialects import drop_graph, endpoints
from publisher.store.lock import BuildLock
from publisher.store.remote_graph import RemoteGraph
from publisher.store.remote_writer import RemoteVersionWriter
from publisher.store.sparql_client import SparqlClient
from publisher.store.version import PublishedVersion, Writer, is_complete
from publisher.store.virtuoso_bulk import BulkLoader, VirtuosoSql

TERMS = "urn:x-publisher:"
CURRENT, PUBLISHED, LOADING = TERMS + "current", TERMS + "published", TERMS + "loading"
POINTER_TIMEOUT = 10  # seconds: the pointer is one tiny query; a store slower than this is taken as down


class RemoteStore:
    def __init__(self, settings: Settings) -> None:
        self.client = SparqlClient(endpoints(settings.store, settings.store_update_url, settings.store_gsp_url),
                                   settings.store_user, settings.store_password)
        self.name = settings.store_name
        self.files = Path(settings.store_files)
        self.pointer_graph = f"{TERMS}{self.name}:pointer"
        self.read_timeout = settings.sparql_timeout
        self.lock = BuildLock(self.files / "build.lock", f"another build is publishing {self.name!r} to the "
                              f"{self.client.origin}; wait for it to end")
        self.bulk = bulk_loader(settings, self.client.endpoints.dialect)

    @property
    def versions_dir(self) -> Path:
        return self.files / "versions"

    def graph_of(self, version_id: str) -> str:
        return f"{TERMS}{self.name}:version:{version_id}"

    def __repr__(self) -> str:
        return f"RemoteStore({self.client.origin}, name={self.name!r}, files={str(self.files)!r})"

    def pointer(self) -> str | None:
        """The version readers see. During a switch two are current, and the oldest is served
        until the switch ends (version ids sort in the order of their builds)."""
        found = self._pointed(CURRENT)
        return found[0] if found else None

    def current(self) -> PublishedVersion | None:
        found = self.pointer()
        return None if found is None else self.open(found)

    def open(self, version_id: str) -> PublishedVersion:
        path = self.versions_dir / version_id
        if not is_complete(path):
            raise StoreUnavailable(f"version {version_id} of {self.name!r} in the {self.client.origin} has no "
                                   f"manifest in {self.versions_dir}: is --store-files the directory the build wrote?")
        graph = RemoteGraph(self.client, self.graph_of(version_id), f"{TERMS}{self.name}:no-named-graph",
                            self.read_timeout)
        return PublishedVersion(path, graph)

    def begin(self) -> Writer:
        self.versions_dir.mkdir(parents=True, exist_ok=True)
        self.lock.take()
        try:
            if self.bulk is not None:
                self.bulk.check()
            self._drop_leftovers()
            version_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ") + "-" + secrets.token_hex(3)
            self._mark(LOADING, version_id)  # before anything is written: a killed build's leftovers stay known
            parts = self.bulk.parts_of(self.name, version_id) if self.bulk is not None else None
            return RemoteVersionWriter(self.versions_dir / version_id, self.client, self.graph_of(version_id),
                                       self.bulk, parts)
        except BaseException:
            self.lock.release()
            raise

    def commit(self, writer: Writer, keep: int) -> PublishedVersion:
        if not is_complete(writer.path):
            raise PublisherError(f"version {writer.path} is not complete")
        version_id = writer.path.name
        self._switch_to(version_id)
        self._unmark(LOADING, version_id)
        self._forget_leftovers(version_id)
        self._prune(keep, version_id)
        self.lock.release()
        return self.open(version_id)

    def _switch_to(self, version_id: str) -> None:
        """Two updates, so that no reader ever finds no version, even when the store applies a
        DELETE/INSERT as two commits (Virtuoso did once, under load): the new version becomes
        current beside the old, whose readers keep it (pointer() takes the oldest), then the old
        ones stop being current. The first matches only while the version is still marked loading."""
        g, this = f"GRAPH <{self.pointer_graph}>", f"<{self.pointer_graph}>"
        self.client.update(f"""
            INSERT {{ {g} {{ {this} <{CURRENT}> "{version_id}" . {this} <{PUBLISHED}> "{version_id}" }} }}
            WHERE {{ {g} {{ {this} <{LOADING}> "{version_id}" }} }}""")
        if version_id not in self._pointed(CURRENT):
            raise PublisherError(f"the {self.client.origin} did not switch {self.name!r} to version {version_id}")
        self.client.update(f"""
            DELETE {{ {g} {{ {this} <{CURRENT}> ?old }} }}
            WHERE {{ {g} {{ {this} <{CURRENT}> ?old }} FILTER (?old != "{version_id}") }}""")

    def abort(self, writer: Writer) -> None:
        """Drop what the build wrote, unless it was already switched to (the failure came after):
        then the version stays, for the next build to finish. If the store cannot drop it now
        (Virtuoso times out dropping tens of millions of statements in one transaction), it stays
        marked as loading for the next build to drop, and the error that stopped this build is the
        one reported, not this one."""
        try:
            if writer.path.name not in self._pointed(PUBLISHED):
                writer.abort()
                self._unmark(LOADING, writer.path.name)
        except StoreUnavailable:
            pass
        finally:
            self.lock.release()

    def _pointed(self, relation: str) -> list[str]:
        answer = self.client.query(
            f"SELECT ?v WHERE {{ GRAPH <{self.pointer_graph}> {{ <{self.pointer_graph}> <{relation}> ?v }} }}",
            "application/sparql-results+json", (), timeout=POINTER_TIMEOUT,
        )
        try:
            return sorted(row["v"]["value"] for row in json.loads(answer)["results"]["bindings"])
        except (ValueError, KeyError, TypeError):
            raise StoreUnavailable(f"the {self.client.origin} sent an answer that cannot be read: {answer[:200]!r}") from None

    def _mark(self, relation: str, version_id: str) -> None:
        self.client.update(f"INSERT DATA {{ {self._statement(relation, version_id)} }}")

    def _unmark(self, relation: str, version_id: str) -> None:
        self.client.update(f"DELETE DATA {{ {self._statement(relation, version_id)} }}")

    def _statement(self, relation: str, version_id: str) -> str:
        return f'GRAPH <{self.pointer_graph}> {{ <{self.pointer_graph}> <{relation}> "{version_id}" }}'

    def _drop_graph(self, version_id: str) -> None:
        self.client.update(drop_graph(self.graph_of(version_id), self.client.endpoints.dialect), timeout=3600)

    def _drop(self, version_id: str, relation: str) -> None:
        """Graph first, then the mark, then the files: whatever stops midway is still known next time."""
        self._drop_graph(version_id)
        self._unmark(relation, version_id)
        shutil.rmtree(self.versions_dir / version_id, ignore_errors=True)

    def _drop_leftovers(self) -> None:
        """What killed builds left (the lock proves none is running): their graphs and files. Their
        marks stay until the commit drops their graphs again: a killed build's last post may still
        be going into the store after its process is gone."""
        published = set(self._pointed(PUBLISHED))
        for version_id in self._pointed(LOADING):
            if version_id in published:  # a build stopped after its switch: the version is whole
                self._unmark(LOADING, version_id)
                continue
            if self.bulk is not None:  # before the graph: no loader may take its parts afterwards
                self.bulk.forget(self.bulk.parts_of(self.name, version_id))
            self._drop_graph(version_id)
        for path in self.versions_dir.iterdir():
            if path.is_dir() and path.name not in published:
                shutil.rmtree(path, ignore_errors=True)

    def _forget_leftovers(self, current: str) -> None:
        for version_id in self._pointed(LOADING):
            if version_id != current:
                self._drop(version_id, LOADING)

    def _prune(self, keep: int, current: str) -> None:
        published = self._pointed(PUBLISHED)
        for version_id in published[:-keep]:
            if version_id != current:
                self._drop(version_id, PUBLISHED)


def bulk_loader(settings: Settings, dialect: str) -> BulkLoader | None:
    """Virtuoso's bulk loader when the settings give its directory and SQL port, else None (Graph Store posts)."""
    if not settings.store_bulk_dir:
        return None
    if dialect != "virtuoso":
        raise UsageError(f"--store-bulk-dir is Virtuoso's bulk loader: --store {settings.store} is not virtuoso+http://")
    sql = VirtuosoSql(settings.store_sql, settings.store_user, settings.store_password)
    return BulkLoader(sql, Path(settings.store_bulk_dir), settings.store_bulk_loaders)
