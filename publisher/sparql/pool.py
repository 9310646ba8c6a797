"""Worker processes that evaluate queries under a time limit.

Each web process keeps its own small pool, started lazily (so gunicorn's workers start theirs
after the fork). A query takes an idle worker, or starts one while the pool has room, or waits
for one; if no answer comes within the limit, the worker is killed and replaced at the next
query. A worker is a new interpreter (`python -m publisher.sparql.worker`) talking over a socket
pair: never forked from the threaded web process, and it does not re-run the main module of the
process that starts it, as multiprocessing's spawn and forkserver methods do.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import weakref
from dataclasses import dataclass
from multiprocessing.connection import Connection

from publisher.errors import PublisherError
from publisher.sparql import worker
from publisher.sparql.results import Answer
from publisher.sparql.worker import Failure, Job


class QueryTimeout(PublisherError):
    http_status = 503


def timeout_message(time_limit: float) -> str:
    return (f"the query ran for longer than the {time_limit:g} s limit and was stopped; "
            "make it more selective (a LIMIT, fewer unbound patterns) or use a dump")


class EngineBusy(PublisherError):
    http_status = 503


class EngineFailed(PublisherError):
    http_status = 500


@dataclass
class _Worker:
    process: subprocess.Popen[bytes]
    connection: Connection

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(5)
        self.connection.close()


class QueryPool:
    def __init__(self, size: int, time_limit: float) -> None:
        self.size = size
        self.time_limit = time_limit
        self._slots = threading.BoundedSemaphore(size)
        self._idle: list[_Worker] = []
        # Idle workers are stopped when the pool goes away or the interpreter exits, whoever forgot close().
        weakref.finalize(self, _stop_all, self._idle)
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
                answered = process.connection.poll(remaining)
                answer: Answer | Failure | None = process.connection.recv() if answered else None
            except Exception as problem:  # the worker died, or sent what cannot be read: it is not reused
                process.stop()
                raise EngineFailed(f"the query worker ended without an answer ({problem or 'no reason given'}); "
                                   "the query may need more memory than a worker has") from None
            if answer is None:
                process.stop()
                raise QueryTimeout(timeout_message(self.time_limit))
            self._give_back(process)
            return answer
        finally:
            self._slots.release()

    @property
    def warmed(self) -> bool:
        """Whether this process has started its first worker already."""
        return self._warmed == os.getpid()

    def warm(self, job: Job) -> None:
        """Start a worker and let it open the store with `job`, ahead of the first real query
        (starting the fork server and opening the store take most of a second)."""
        with self._lock:
            if self.warmed:
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
                self._idle.clear()  # without stopping them: they are the parent's
                self._pid = os.getpid()
            while self._idle:
                idle = self._idle.pop()
                if idle.process.poll() is None:
                    return idle
                idle.stop()  # it died while idle (killed from outside, out of memory): start another
        return _start()

    def _give_back(self, process: _Worker) -> None:
        with self._lock:
            self._idle.append(process)

    def close(self) -> None:
        with self._lock:
            _stop_all(self._idle)


def _stop_all(workers: list[_Worker]) -> None:
    while workers:
        workers.pop().stop()


def _start() -> _Worker:
    ours, theirs = socket.socketpair()
    with theirs:
        process = subprocess.Popen([sys.executable, "-m", worker.__name__, str(theirs.fileno())],
                                   pass_fds=[theirs.fileno()])
    return _Worker(process, Connection(ours.detach()))
