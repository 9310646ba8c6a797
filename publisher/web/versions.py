"""Which published version a request reads: the one `current` names when the request starts."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from flask import current_app, g

from publisher.errors import StoreUnavailable
from publisher.settings import Settings
from publisher.store.version import PublishedVersion, is_complete


class Versions:
    """Opened versions, by directory; a version is opened once per process and kept while current."""

    def __init__(self, store: str | Path) -> None:
        self.pointer = Path(store) / "current"
        self._opened: dict[str, PublishedVersion] = {}
        self._lock = threading.Lock()

    def current(self) -> PublishedVersion:
        try:
            target = os.readlink(self.pointer)
        except OSError:
            raise StoreUnavailable(f"nothing is published in {self.pointer.parent} yet: run `publisher build`") from None
        version = self._opened.get(target)
        if version is None:
            version = self._open(target)
        return version

    def _open(self, target: str) -> PublishedVersion:
        with self._lock:
            path = (self.pointer.parent / target).resolve()
            if not is_complete(path):
                raise StoreUnavailable(f"{self.pointer} names an incomplete version")
            # Only the current version stays open: an older one is released once nobody uses it.
            self._opened = {target: PublishedVersion(path)}
            return self._opened[target]


def version() -> PublishedVersion:
    """The version this request reads, the same for the whole request."""
    if "publisher_version" not in g:
        g.publisher_version = current_app.extensions["publisher.versions"].current()
    return g.publisher_version  # type: ignore[no-any-return]


def settings() -> Settings:
    return current_app.config["PUBLISHER_SETTINGS"]  # type: ignore[no-any-return]
