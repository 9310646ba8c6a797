"""Where the published graph lives, behind one small contract.

`Store` is what the build and every reader use; `EmbeddedStore` (Oxigraph on disk) is the
default backend; a remote SPARQL 1.1 store implements the same contract.
"""

from __future__ import annotations

from typing import Protocol

from publisher.store.embedded import EmbeddedStore, open_store
from publisher.store.ledger import LedgerEntry, Manifest
from publisher.store.version import PublishedVersion, VersionWriter


class Store(Protocol):
    def current(self) -> PublishedVersion | None:
        """The version readers see now, or None before the first publication."""
        ...

    def pointer(self) -> str | None:
        """The id of the version readers see now, read from the store itself on every call (cheap),
        so that every process serving the store agrees; None before the first publication."""
        ...

    def open(self, version_id: str) -> PublishedVersion:
        """A complete version by its id; raises StoreUnavailable if it is not (or no longer) there."""
        ...

    def begin(self) -> VersionWriter:
        """Take the build lock and start preparing a new version aside; readers see nothing of it."""
        ...

    def commit(self, writer: VersionWriter, keep: int) -> PublishedVersion:
        """Point readers at the finished version, drop versions beyond `keep`, release the lock."""
        ...

    def abort(self, writer: VersionWriter) -> None:
        """Throw the unfinished version away and release the lock."""
        ...


__all__ = [
    "EmbeddedStore",
    "LedgerEntry",
    "Manifest",
    "PublishedVersion",
    "Store",
    "VersionWriter",
    "open_store",
]
