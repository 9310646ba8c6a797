"""The downloadable dumps of a version, written at publish time beside its graph.

    versions/<id>/dumps/catalogue.nt.gz       gzip of the whole default graph, N-Triples
    versions/<id>/dumps/catalogue.ttl.gz      the same, Turtle
    versions/<id>/dumps/catalogue.jsonld.gz   the same, JSON-LD
    versions/<id>/dumps/links.nt.gz           its owl:sameAs statements alone (the linkset)
    versions/<id>/dumps/index.json            each file's size, sha256 and triple count

Reading 4 M triples back out of RocksDB costs 17 s (each term is looked up in the store's
string table), so the dumps start from the N-Triples text the build loaded, kept beside the
store while it loads (`VersionWriter.loaded_copy`); the store is read only when that text held
a statement twice. Turtle and JSON-LD are parsed from it; the three run in processes of their
own. They are compressed by ISA-L (`isal`): standard gzip, 3-4 times faster than zlib and smaller
than zlib's level 1; at 1M talks the three dumps hold 26 GB before compression.
The build writes them just before it switches `current` to the new version, so that a version
is whole when readers first see it. The files are written in `dumps.partial/` and renamed into
place last, so a killed build never leaves a partial dump in sight.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox
from isal import igzip

from publisher.dataset import DUMPS, LINKS_DUMP
from publisher.store.graph import Graph
from publisher.store.version import LOADED_COPY, PublishedVersion
from publisher.terms import OWL, PREFIXES

DUMPS_DIR = "dumps"
INDEX = "index.json"
GZIP_LEVEL = 1  # ISA-L levels go 0-3: level 3 is 0.5% smaller and 3 times slower on our N-Triples
CHUNK = 1 << 20
NTRIPLES = "catalogue.nt.gz"
_FORMATS = {
    NTRIPLES: ox.RdfFormat.N_TRIPLES,
    "catalogue.ttl.gz": ox.RdfFormat.TURTLE,
    "catalogue.jsonld.gz": ox.RdfFormat.JSON_LD,
}


@dataclass(frozen=True)
class DumpFile:
    name: str
    media_type: str
    bytes: int
    sha256: str
    triples: int


def write_dumps(version: PublishedVersion) -> list[DumpFile]:
    """Dump a published version, from the text its build loaded (then removed) or its store."""
    work = version.path / (DUMPS_DIR + ".partial")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    expected = len(version.graph)
    copy = version.path / LOADED_COPY
    plain = copy if copy.is_file() else _dump_store(version.graph, work)
    triples = _compress_all(plain, work)
    if triples != expected:  # the loaded text held a statement twice: only the store is exact
        triples = _compress_all(_dump_store(version.graph, work), work)
    (work / "catalogue.nt").unlink(missing_ok=True)
    files = [_describe_file(work / name, media_type, triples) for name, media_type, _ in DUMPS]
    links_name, links_type, _ = LINKS_DUMP
    files.append(_describe_file(work / links_name, links_type, _write_links(version.graph, work / links_name)))
    (work / INDEX).write_text(json.dumps({"files": [asdict(f) for f in files]}, indent=1), encoding="utf-8")
    work.rename(version.path / DUMPS_DIR)
    copy.unlink(missing_ok=True)
    return files


def _write_links(graph: Graph, target: Path) -> int:
    """The owl:sameAs statements alone: the dataset's linkset. Read by the predicate, they
    cost little even in a large catalogue."""
    triples = list(graph.query(f"CONSTRUCT {{ ?s <{OWL}sameAs> ?o }} WHERE {{ ?s <{OWL}sameAs> ?o }}"))
    with igzip.open(target, "wb", compresslevel=GZIP_LEVEL) as out:
        ox.serialize(triples, cast(IO[bytes], out), ox.RdfFormat.N_TRIPLES)
    return len(triples)


def _dump_store(graph: Graph, work: Path) -> Path:
    plain = work / "catalogue.nt"
    with plain.open("wb") as out:
        graph.dump(out, ox.RdfFormat.N_TRIPLES)
    return plain


def _compress_all(plain: Path, work: Path) -> int:
    """Write every dump from the N-Triples file, one process each; return the triple count."""
    with ProcessPoolExecutor(len(DUMPS), mp_context=multiprocessing.get_context("fork")) as pool:
        jobs = {name: pool.submit(_compress, plain, work / name) for name, _, _ in DUMPS}
        counts = {name: job.result() for name, job in jobs.items()}
    return counts[NTRIPLES]


def _compress(plain: Path, target: Path) -> int:
    """Write `target` from the N-Triples file; the N-Triples job returns its line count."""
    fmt = _FORMATS[target.name]
    with igzip.open(target, "wb", compresslevel=GZIP_LEVEL) as out:
        if fmt == ox.RdfFormat.N_TRIPLES:
            return _copy_counting_lines(plain, out)
        prefixes = PREFIXES if fmt == ox.RdfFormat.TURTLE else None
        # Lenient parsing (half the time): every line was checked on its way into the store.
        triples = ox.parse(path=str(plain), format=ox.RdfFormat.N_TRIPLES, lenient=True)
        ox.serialize(triples, cast(IO[bytes], out), fmt, prefixes=prefixes)
        return 0


def _copy_counting_lines(plain: Path, out: IO[bytes]) -> int:
    lines = 0
    with plain.open("rb") as source:
        while chunk := source.read(CHUNK):
            lines += chunk.count(b"\n")
            out.write(chunk)
    return lines


def _describe_file(path: Path, media_type: str, triples: int) -> DumpFile:
    sha = hashlib.sha256()
    with path.open("rb") as data:
        while chunk := data.read(CHUNK):
            sha.update(chunk)
    return DumpFile(path.name, media_type, path.stat().st_size, sha.hexdigest(), triples)


def read_index(version_dir: Path) -> list[DumpFile]:
    """The dumps of a published version; empty for a version published before dumps existed."""
    path = version_dir / DUMPS_DIR / INDEX
    if not path.is_file():
        return []
    return [DumpFile(**row) for row in json.loads(path.read_text(encoding="utf-8"))["files"]]
