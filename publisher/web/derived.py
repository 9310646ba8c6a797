"""Things the web tier derives from a whole version (sitemaps, statistics), made once per
version and process, on first use, and dropped when a newer version is published."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from flask import current_app

from publisher.store.version import PublishedVersion

T = TypeVar("T")


class PerVersion(Generic[T]):
    """One value per version; only the latest version's value is kept."""

    def __init__(self, make: Callable[[PublishedVersion], T]) -> None:
        self._make = make
        self._key: str | None = None
        self._value: T | None = None
        self._lock = threading.Lock()

    def get(self, version: PublishedVersion) -> T:
        key = str(version.path)  # the directory, not only the id: tests run several stores at once
        # The lock is held while making, so that concurrent first requests do the work once.
        with self._lock:
            if self._key != key or self._value is None:
                self._value = None  # the older version's value goes before the new one is made
                self._value = self._make(version)
                self._key = key
            return self._value


def per_app(name: str, make: Callable[[PublishedVersion], T]) -> PerVersion[T]:
    """The app's cache called `name` (each app has its own, like its settings)."""
    caches = current_app.extensions.setdefault("publisher.derived", {})
    with _lock:
        if name not in caches:
            caches[name] = PerVersion(make)
        return caches[name]  # type: ignore[no-any-return]


_lock = threading.Lock()
