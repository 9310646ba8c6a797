"""Virtuoso's bulk loader, for a build whose files Virtuoso can read (--store-bulk-dir, --store-sql):
what DBpedia and data.bnf load with, several times faster than Graph Store posts.

    the build writes   BULK_DIR/NAME-VERSION/part-00001.nt, part-00002.nt, …  (cut at PART_BYTES)
    as each is closed  ld_add(part, version graph) registers it in DB.DBA.LOAD_LIST, and
                       rdf_loader_run() loads it (in --store-bulk-loaders sessions at once) while
                       the build keeps mapping: the parts wait on disk, not in memory
    at the end         LOAD_LIST is checked for the parts' errors, then `checkpoint`: the loader
                       commits row by row without the transaction log (its log_enable 2), so its
                       rows survive a crash only once checkpointed, which must come before the
                       pointer names the version.

SQL goes through Virtuoso's own client, isql-vt (Debian's name; upstream's `isql`), which comes
with the server's package; it exits 0 even when a statement fails, so its output is read. Its
password is an argument, as isql-vt takes it: visible to the host's other users in its process list.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
from pathlib import Path
from typing import IO

from publisher.errors import StoreUnavailable, UsageError
from publisher.store.background import Background

PART_BYTES = 256 << 20
ISQL = ("isql-vt", "isql-v")


class VirtuosoSql:
    """Statements sent to Virtuoso's SQL port, one isql-vt session per call."""

    def __init__(self, address: str, user: str, password: str) -> None:
        host, _, port = address.rpartition(":")
        if not host or not port.isdigit():
            raise UsageError(f"--store-sql {address!r}: give Virtuoso's SQL port as HOST:PORT, e.g. 127.0.0.1:1111")
        if not user:
            raise UsageError("--store-sql: give the SQL user with --store-user and --store-password (dba, or a user "
                             "allowed to run the bulk loader)")
        self.address, self.user, self._password = address, user, password

    def run(self, sql: str, timeout: float = 24 * 3600) -> str:
        """What the statements printed (rows, one a line); StoreUnavailable if any failed."""
        binary = next((found for name in ISQL if (found := shutil.which(name))), None)
        if binary is None:
            raise StoreUnavailable("--store-sql needs Virtuoso's isql-vt (Debian: apt-get install virtuoso-opensource)")
        try:
            done = subprocess.run([binary, self.address, self.user, self._password, "VERBOSE=OFF", "BANNER=OFF",
                                   "PROMPT=OFF", "ECHO=OFF"], input=sql, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise StoreUnavailable(f"Virtuoso's SQL port {self.address} did not finish within {timeout:.0f} s") from None
        said = done.stdout + done.stderr
        if "CL034" in said or "Bad login" in said:
            raise StoreUnavailable(f"Virtuoso's SQL port {self.address} (--store-sql) refused the user {self.user!r}: "
                                   "check --store-user and --store-password")
        if "CL033" in said or "Connect failed" in said:
            raise StoreUnavailable(f"Virtuoso's SQL port {self.address} (--store-sql) cannot be reached: it is "
                                   "[Parameters] ServerPort in virtuoso.ini (1111 by default)")
        if done.returncode != 0 or "*** Error" in said:
            error = next((line for line in said.splitlines() if "*** Error" in line), said.strip()[:300])
            raise StoreUnavailable(f"Virtuoso's SQL at {self.address} failed: {error.removeprefix('*** Error ').strip()}")
        return done.stdout


def literal(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


class BulkLoader:
    """Loads a version's statements from files in `directory`, which Virtuoso reads at the same path."""

    def __init__(self, sql: VirtuosoSql, directory: Path, loaders: int) -> None:
        self.sql, self.directory, self.loaders = sql, directory.resolve(), loaders

    def check(self) -> None:
        """Before anything is published: Virtuoso reads what the build writes in `directory`."""
        self.directory.mkdir(parents=True, exist_ok=True)
        token = secrets.token_hex(8)
        probe = self.directory / f".probe-{token}"
        probe.write_text(token, encoding="ascii")
        try:
            seen = self.sql.run(f"SELECT file_to_string({literal(str(probe))});")
        except StoreUnavailable as problem:
            if "FA003" in str(problem):
                raise StoreUnavailable(
                    f"Virtuoso may not read --store-bulk-dir {self.directory} (FA003): add it to DirsAllowed in the "
                    "[Parameters] of its virtuoso.ini and restart it, or give a directory listed there") from None
            if "FA005" in str(problem):
                raise StoreUnavailable(
                    f"Virtuoso cannot open files in --store-bulk-dir {self.directory}: it must see that directory "
                    "at the same path (a shared mount) and may read its files") from None
            raise
        finally:
            probe.unlink(missing_ok=True)
        if token not in seen:
            raise StoreUnavailable(f"Virtuoso reads another {self.directory} than the build writes (--store-bulk-dir): "
                                   "it must be the same directory, at the same path, on both hosts")

    def parts_of(self, name: str, version_id: str) -> Path:
        return self.directory / f"{name}-{version_id}"

    def stream(self, graph: str, parts: Path, copy: IO[bytes]) -> BulkLoadStream:
        return BulkLoadStream(self.sql, graph, parts, copy, self.loaders)

    def forget(self, parts: Path) -> None:
        """A killed build's parts: out of the load list (no loader may take them later) and off the disk."""
        self.sql.run(f"DELETE FROM DB.DBA.LOAD_LIST WHERE ll_file LIKE {literal(str(parts) + '/%')};")
        shutil.rmtree(parts, ignore_errors=True)


class BulkLoadStream:
    """N-Triples written here are kept in the loaded copy and cut, at line ends, into part files that
    Virtuoso loads while the caller keeps writing."""

    def __init__(self, sql: VirtuosoSql, graph: str, parts: Path, copy: IO[bytes], loaders: int) -> None:
        self.sql, self.graph, self.parts, self.copy = sql, graph, parts, copy
        parts.mkdir(parents=True)
        self.part: IO[bytes] | None = None
        self.part_bytes = 0
        self.numbered = 0
        # No bound on the backlog: it holds paths only, the parts themselves wait on disk.
        self.loaders: Background[Path] = Background(self._load, loaders, "rdf-loader", (StoreUnavailable,))

    def write(self, data: bytes) -> None:
        self.copy.write(data)
        if self.part is None:
            self.numbered += 1
            self.part = (self.parts / f"part-{self.numbered:05d}.nt").open("wb")
            self.part_bytes = 0
        self.part.write(data)
        self.part_bytes += len(data)
        if self.part_bytes >= PART_BYTES and data.endswith(b"\n"):
            self._close_part()

    def close(self) -> None:
        """Load the rest, wait for every load, check Virtuoso's load list, checkpoint; raise what went wrong."""
        try:
            if self.part is not None:
                self._close_part()
            try:
                self.loaders.finish()
            finally:
                self.copy.close()
            ours = f"ll_file LIKE {literal(str(self.parts) + '/%')}"
            failed = self.sql.run(f"SELECT ll_file || ': ' || coalesce(ll_error, 'not loaded') FROM DB.DBA.LOAD_LIST "
                                  f"WHERE {ours} AND (ll_state <> 2 OR ll_error IS NOT NULL);").strip()
            self.sql.run(f"DELETE FROM DB.DBA.LOAD_LIST WHERE {ours};\ncheckpoint;")
            if failed:
                raise StoreUnavailable(f"Virtuoso's bulk loader failed on {failed.splitlines()[0].strip()}")
        finally:
            shutil.rmtree(self.parts, ignore_errors=True)

    def _close_part(self) -> None:
        assert self.part is not None
        self.part.close()
        self.loaders.put(Path(self.part.name))
        self.part = None

    def _load(self, part: Path) -> None:
        self.sql.run(f"ld_add({literal(str(part))}, {literal(self.graph)});\nrdf_loader_run();")
