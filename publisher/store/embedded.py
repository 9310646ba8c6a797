"""The embedded store: versions of an Oxigraph database side by side in one directory.

    STORE/
      current -> versions/<id>      symlink, switched atomically (rename) when a build completes
      versions/<id>/oxigraph/       the RocksDB database of that version
      versions/<id>/records.jsonl   the records it was built from, with their change times
      versions/<id>/manifest.json   written last: a version without it is incomplete
      build.lock                    held by the one build allowed at a time

A build writes a new version aside and switches `current` only when it is complete, so a
build that fails or is killed leaves the previous version answering, whole.
"""

from __future__ import annotations

import os
import secrets
import shutil
from datetime import UTC, datetime
from pathlib import Path

from publisher.errors import PublisherError, StoreUnavailable
from publisher.store.lock import BuildLock
from publisher.store.version import PublishedVersion, VersionWriter, Writer, is_complete


class EmbeddedStore:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.lock = BuildLock(self.path / "build.lock", f"another build is publishing to {self.path}; wait for it to end")

    @property
    def versions_dir(self) -> Path:
        return self.path / "versions"

    def current(self) -> PublishedVersion | None:
        found = self.pointer()
        return None if found is None else self.open(found)

    def pointer(self) -> str | None:
        """The id of the version readers see now (cheap: one readlink), None before the first."""
        try:
            return Path(os.readlink(self.path / "current")).name
        except OSError:
            return None

    def open(self, version_id: str) -> PublishedVersion:
        target = self.versions_dir / version_id
        if not is_complete(target):
            raise StoreUnavailable(f"{self.path / 'current'} points to an incomplete version {target}")
        return PublishedVersion(target)

    def begin(self) -> VersionWriter:
        self.path.mkdir(parents=True, exist_ok=True)
        self.lock.take()
        self._remove_incomplete()
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        return VersionWriter(self.versions_dir / f"{stamp}-{secrets.token_hex(3)}")

    def commit(self, writer: Writer, keep: int) -> PublishedVersion:
        """Point readers at the finished version, then drop versions beyond `keep`."""
        if not is_complete(writer.path):
            raise PublisherError(f"version {writer.path} is not complete")
        temporary = self.path / f"current.{os.getpid()}"
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(writer.path.relative_to(self.path))
        os.replace(temporary, self.path / "current")
        _fsync_dir(self.path)
        self._prune(keep)
        self.lock.release()
        return PublishedVersion(writer.path)

    def abort(self, writer: Writer) -> None:
        writer.abort()
        self.lock.release()

    def _remove_incomplete(self) -> None:
        """Leftovers of a build that was killed (the lock proves none is running)."""
        if self.versions_dir.is_dir():
            for path in self.versions_dir.iterdir():
                if not is_complete(path):
                    shutil.rmtree(path, ignore_errors=True)

    def _prune(self, keep: int) -> None:
        current = (self.path / "current").resolve()
        complete = sorted(p for p in self.versions_dir.iterdir() if is_complete(p))
        for path in complete[:-keep] if keep else complete:
            if path != current:
                shutil.rmtree(path, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
