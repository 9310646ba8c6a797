"""Threads that send a build's statements to a store while the build keeps mapping: each item put
is handed to `work` in one of the threads; the first error is kept, the items after it are
skipped, and `finish` raises it once every thread has ended."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

Item = TypeVar("Item")


class Background(Generic[Item]):
    def __init__(self, work: Callable[[Item], None], threads: int, name: str,
                 errors: tuple[type[BaseException], ...], backlog: int = 0) -> None:
        """`backlog`: how many items may wait (0: no bound); `put` waits while it is full."""
        self.work, self.errors = work, errors
        self.items: queue.Queue[Item | None] = queue.Queue(maxsize=backlog)
        self.error: BaseException | None = None
        self.threads = [threading.Thread(target=self._run, name=f"{name}-{i}", daemon=True) for i in range(threads)]
        for thread in self.threads:
            thread.start()

    def put(self, item: Item) -> None:
        self.items.put(item)

    def raise_error(self) -> None:
        if self.error is not None:
            raise self.error

    def finish(self) -> None:
        """Wait for every item to be worked; raise what the work met."""
        for _ in self.threads:
            self.items.put(None)
        for thread in self.threads:
            thread.join()
        self.raise_error()

    def _run(self) -> None:
        while (item := self.items.get()) is not None:
            if self.error is None:
                try:
                    self.work(item)
                except self.errors as problem:
                    self.error = problem
