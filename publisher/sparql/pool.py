"""Worker processes that evaluate queries under a time limit.

Each web process keeps its own small pool, started lazily (so gunicorn's workers start theirs
after the fork). A query takes an idle worker, or starts one while the pool has room, or waits
for one; if no answer comes within the limit, the worker is killed and replaced at the next
query. Workers are started by a fork server, never forked from the threaded web process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from publisher.errors import PublisherError
from publisher.sparql import worker
from publisher.sparql.results import Answer
from publisher.sparql.worker import Failure, Job


class QueryTimeout(PublisherError):
    http_status = 503


class EngineBusy(PublisherError):
    http_status = 503


class EngineFailed(PublisherError):
    http_status = 500


@dataclass
class _Worker:
    process: BaseProcess
    connection: Connection

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.connection.close()


_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["publisher.sparql.worker"])


class QueryPool:
    def __init__(self, size: int, time_limit: float) -> None:
        self.size = size
        self.time_limit = time_limit
        self._slots = threading.BoundedSemaphore(size)
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._warmed = 0

    def run(self, job: Job) -> Answer | Failure:
        started = time.monotonic()
        if not self._slots.acquire(timeout=self.time_limit):
            raise EngineBusy(f"all {self.size} query workers stayed busy for {self.time_limit:g} s; try again later")
        try:
            process = self._take()
            remaining = max(self.time_limit - (time.monotonic() - started), 0.001)
            try:
                process.connection.send(job)
                if not process.connection.poll(remaining):
                    process.stop()
                    raise QueryTimeout(f"the query ran for longer than the {self.time_limit:g} s limit and was stopped; "
                                       "make it more selective (a LIMIT, fewer unbound patterns) or use a dump")
                answer: Answer | Failure = process.connection.recv()
            except (EOFError, OSError) as problem:
                process.stop()
                raise EngineFailed(f"the query worker ended without an answer ({problem or 'no reason given'}); "
                                   "the query may need more memory than a worker has") from None
            self._give_back(process)
            return answer
        finally:
            self._slots.release()

    def warm(self, job: Job) -> None:
        """Start a worker and let it open the store with `job`, ahead of the first real query
        (starting the fork server and opening the store take most of a second)."""
        with self._lock:
            if os.getpid() == self._warmed:
                return
            self._warmed = os.getpid()
        threading.Thread(target=self._warm, args=(job,), name="sparql-warm", daemon=True).start()

    def _warm(self, job: Job) -> None:
        try:
            self.run(job)
        except PublisherError:
            pass  # the first real query will meet the same problem and report it

    def _take(self) -> _Worker:
        with self._lock:
            if os.getpid() != self._pid:  # a forked copy of the pool: its workers belong to the parent
                self._idle, self._pid = [], os.getpid()
            if self._idle:
                return self._idle.pop()
        return _start()

    def _give_back(self, process: _Worker) -> None:
        with self._lock:
            self._idle.append(process)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for process in idle:
            process.stop()


def _start() -> _Worker:
    ours, theirs = _CONTEXT.Pipe()
    process = _CONTEXT.Process(target=worker.serve, args=(theirs,), name="sparql-worker", daemon=True)
    process.start()
    theirs.close()
    return _Worker(process, ours)
