"""Where the published graph lives, behind one small contract.

`Store` is what the build and every reader use; `EmbeddedStore` (Oxigraph on disk) is the
default backend; `RemoteStore` (a SPARQL 1.1 store: Oxigraph server, Virtuoso, …) implements the
same contract. `open_store(settings)` gives the one the `store` setting names.
"""

from __future__ import annotations

from typing import Protocol

from publisher.settings import Settings
from publisher.store.embedded import EmbeddedStore
from publisher.store.ledger import LedgerEntry, Manifest
from publisher.store.version import PublishedVersion, VersionWriter, Writer


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

    def begin(self) -> Writer:
        """Take the build lock and start preparing a new version aside; readers see nothing of it."""
        ...

    def commit(self, writer: Writer, keep: int) -> PublishedVersion:
        """Point readers at the finished version, drop versions beyond `keep`, release the lock."""
        ...

    def abort(self, writer: Writer) -> None:
        """Throw the unfinished version away and release the lock."""
        ...


def open_store(settings: Settings) -> Store:
    """The store the `store` setting names: a directory (embedded) or a SPARQL store's URL (remote)."""
    if settings.remote_store:
        from publisher.store.remote import RemoteStore

        return RemoteStore(settings)
    return EmbeddedStore(settings.store)


__all__ = [
    "EmbeddedStore",
    "LedgerEntry",
    "Manifest",
    "PublishedVersion",
    "Store",
    "VersionWriter",
    "Writer",
    "open_store",
]
