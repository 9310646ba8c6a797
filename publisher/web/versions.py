"""Which published version a request reads: the one the store's pointer names when the request
starts. A remote store's pointer is asked of the store itself, so that every process serving it
(on any host) agrees, at most once per `--pointer-interval` seconds per process: a republish
reaches a process within that interval. The embedded store's pointer (a symlink) is read at every
request. A version is opened once per process and kept while it is current."""

from __future__ import annotations

import threading
import time

from flask import current_app, g

from publisher.settings import Settings
from publisher.store import Store, open_store
from publisher.store.version import PublishedVersion
from publisher.web.errors import NothingPublished


class Versions:
    def __init__(self, settings: Settings) -> None:
        self.store: Store = open_store(settings)
        self.interval = settings.pointer_interval if settings.remote_store else 0.0
        self._opened: dict[str, PublishedVersion] = {}
        self._lock = threading.Lock()
        self._pointer: tuple[str | None, float] | None = None  # (what the store said, when it was asked)
        self._asking = threading.Lock()

    def current(self) -> PublishedVersion:
        """Raises StoreUnavailable (503) while nothing is published or the store cannot be reached;
        nothing of a failure is kept, so the next request asks the store again."""
        found = self._read_pointer()
        if found is None:
            raise NothingPublished("nothing is published yet: run `publisher build`")
        version = self._opened.get(found)
        if version is None:
            version = self._open(found)
        return version

    def _read_pointer(self) -> str | None:
        if self.interval <= 0:
            return self.store.pointer()
        kept = self._pointer
        if kept is not None and time.monotonic() - kept[1] < self.interval:
            return kept[0]
        with self._asking:  # one thread asks; the others of this process take its answer
            kept = self._pointer
            if kept is not None and time.monotonic() - kept[1] < self.interval:
                return kept[0]
            asked = time.monotonic()  # before asking: the answer is never kept longer than the interval
            self._pointer = None
            found = self.store.pointer()
            self._pointer = (found, asked)
            return found

    def _open(self, version_id: str) -> PublishedVersion:
        with self._lock:
            if version_id not in self._opened:
                # Only the current version stays open: an older one is released once no request uses it.
                self._opened = {version_id: self.store.open(version_id)}
            return self._opened[version_id]


def version() -> PublishedVersion:
    """The version this request reads, the same for the whole request."""
    if "publisher_version" not in g:
        g.publisher_version = current_app.extensions["publisher.versions"].current()
    return g.publisher_version  # type: ignore[no-any-return]


def settings() -> Settings:
    return current_app.config["PUBLISHER_SETTINGS"]  # type: ignore[no-any-return]
