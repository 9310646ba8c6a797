"""Real SPARQL stores for the tests and benchmarks: an Oxigraph server and a Virtuoso, each on free
ports on 127.0.0.1 with a throwaway database in a directory of its own, stopped at the end.

    with oxigraph_server(directory) as server: ...   # server.url = "oxigraph+http://127.0.0.1:PORT/"
    with virtuoso_server(directory) as server: ...   # dba's password changed to server.password;
                                                     # server.sql_port for isql-vt, DirsAllowed = directory
"""

from __future__ import annotations

import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

VIRTUOSO_VSP = "/var/lib/virtuoso-opensource-7/vsp"


@dataclass
class Server:
    name: str  # "oxigraph" or "virtuoso"
    url: str  # what the `store` setting takes
    user: str
    password: str
    process: subprocess.Popen[bytes]
    directory: Path
    http_port: int
    sql_port: int = 0  # Virtuoso's SQL port (isql-vt); DirsAllowed is `directory`

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def oxigraph_binary() -> str | None:
    """The `oxigraph` server of PyPI's `oxigraph` (installed beside our Python), else one on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def virtuoso_binary() -> str | None:
    return shutil.which("virtuoso-t")


@contextmanager
def oxigraph_server(directory: Path) -> Iterator[Server]:
    binary = oxigraph_binary()
    assert binary is not None, "oxigraph is not installed: pip install oxigraph"
    port = free_port()
    directory.mkdir(parents=True, exist_ok=True)
    log = (directory / "oxigraph.log").open("wb")
    # --timeout-s: a query the tests stop waiting for does not keep a core busy for the rest of the session.
    process = subprocess.Popen([binary, "serve", "--location", str(directory / "db"), "--bind", f"127.0.0.1:{port}",
                                "--timeout-s", "30"], stdout=log, stderr=subprocess.STDOUT)
    server = Server("oxigraph", f"oxigraph+http://127.0.0.1:{port}/", "", "", process, directory, port)
    try:
        _wait_until_answers(server, f"{server.http}query?query=ASK%7B%7D")
        yield server
    finally:
        server.stop()
        log.close()


@contextmanager
def virtuoso_server(directory: Path, buffers: int = 20000, max_rows: int = 1000000) -> Iterator[Server]:
    """`buffers`: Virtuoso's page cache in 8 kB pages (20000 = 160 MB, enough for the tests);
    `max_rows`: its ResultSetMaxRows, the longest answer it gives."""
    binary = virtuoso_binary()
    assert binary is not None, "virtuoso-t is not installed: apt-get install -y virtuoso-opensource"
    directory.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    (directory / "virtuoso.ini").write_text(_virtuoso_ini(directory, sql_port, http_port, buffers, max_rows), encoding="utf-8")
    log = (directory / "virtuoso.out").open("wb")
    process = subprocess.Popen([binary, "+foreground", "+configfile", str(directory / "virtuoso.ini")],
                               cwd=directory, stdout=log, stderr=subprocess.STDOUT)
    password = secrets.token_urlsafe(12)
    server = Server("virtuoso", f"virtuoso+http://127.0.0.1:{http_port}/", "dba", password, process, directory, http_port,
                    sql_port)
    try:
        _wait_until_answers(server, f"{server.http}sparql?query=ASK%7B%7D")
        _isql(sql_port, "dba", f"USER_PASSWORD_SET('dba', '{password}');")
        yield server
    finally:
        server.stop()
        log.close()


def _virtuoso_ini(directory: Path, sql_port: int, http_port: int, buffers: int, max_rows: int) -> str:
    db = directory / "db"
    db.mkdir(exist_ok=True)
    return f"""[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 20
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = {directory}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {buffers * 3 // 4}
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 10
MaxQueryMem = 1G

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {VIRTUOSO_VSP}
MaxClientConnections = 20
ServerThreads = 20
MaxKeepAlives = 20
KeepAliveTimeout = 10
EnabledDavVSP = 0
Charset = UTF-8
EnabledGzipContent = 0

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 0
DefaultQuery = ASK {{}}
"""


def _isql(port: int, user: str, statement: str) -> None:
    """Run one SQL statement; isql-vt exits 0 even when it fails, so its output is checked."""
    done = subprocess.run(["isql-vt", f"127.0.0.1:{port}", user, "dba", f"EXEC={statement}"],
                          capture_output=True, text=True, timeout=60)
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise RuntimeError(f"isql-vt failed: {done.stdout}{done.stderr}")


def _wait_until_answers(server: Server, url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.process.returncode}; see {server.directory}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError(f"{server.name} did not answer on {url} within {seconds} s; see {server.directory}")
