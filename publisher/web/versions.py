"""Which published version a request reads: the one the store's pointer names when the request
starts, asked of the store itself at every request, so that every process serving the store
(on any host) agrees; a version is opened once per process and kept while it is current."""

from __future__ import annotations

import threading

from flask import current_app, g

from publisher.settings import Settings
from publisher.store import Store, open_store
from publisher.store.version import PublishedVersion
from publisher.web.errors import NothingPublished


class Versions:
    def __init__(self, settings: Settings) -> None:
        self.store: Store = open_store(settings)
        self._opened: dict[str, PublishedVersion] = {}
        self._lock = threading.Lock()

    def current(self) -> PublishedVersion:
        """Raises StoreUnavailable (503) while nothing is published or the store cannot be reached;
        nothing of a failure is kept, so the next request asks the store again."""
        found = self.store.pointer()
        if found is None:
            raise NothingPublished("nothing is published yet: run `publisher build`")
        version = self._opened.get(found)
        if version is None:
            version = self._open(found)
        return version

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
