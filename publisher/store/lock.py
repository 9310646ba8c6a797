"""The one build allowed at a time on a store: a lock file held for the whole build."""

from __future__ import annotations

import fcntl
from pathlib import Path
from typing import IO

from publisher.errors import BuildInProgress


class BuildLock:
    def __init__(self, path: Path, busy_message: str) -> None:
        self.path = path
        self.busy_message = busy_message
        self._handle: IO[str] | None = None

    def take(self) -> None:
        handle = self.path.open("w")
        try:
            # A POSIX record lock belongs to this process alone: the workers it forks do not
            # inherit it, so a killed build frees the store at once.
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise BuildInProgress(self.busy_message) from None
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
