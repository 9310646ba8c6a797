"""The dumps every build publishes: whole, parseable by tools nobody here wrote, and described
exactly by their index; a build killed while dumping publishes nothing."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
from dataclasses import asdict
from pathlib import Path

import pytest
from pyld import jsonld
from rdflib.namespace import OWL

from publisher.build import build
from publisher.dumps import DUMPS_DIR, INDEX, read_index, write_dumps
from publisher.settings import Settings
from publisher.store import open_store
from publisher.store.ledger import Manifest
from publisher.store.version import LOADED_COPY, PublishedVersion, VersionWriter

from .conftest import DATA, require_tool, store_graph, store_settings

RAPPER_SYNTAX = {"catalogue.nt.gz": "ntriples", "catalogue.ttl.gz": "turtle"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp = tmp_path_factory.mktemp("publish-dumps")
    settings = Settings(**store_settings(tmp), base="http://example.org/", rejects=str(tmp / "r.jsonl"), workers=1)
    assert build([DATA], settings).exit_code == 0
    return settings


def current_dir(settings: Settings) -> Path:
    version = open_store(settings).current()
    assert version is not None
    return version.path


def index_rows(settings: Settings) -> dict[str, dict[str, object]]:
    index = json.loads((current_dir(settings) / DUMPS_DIR / INDEX).read_text(encoding="utf-8"))
    return {row["name"]: row for row in index["files"]}


def test_every_dump_is_listed_with_its_size_and_sha256(built: Settings):
    rows = index_rows(built)
    assert sorted(rows) == ["catalogue.jsonld.gz", "catalogue.nt.gz", "catalogue.ttl.gz", "links.nt.gz"]
    graph = store_graph(built)
    for name, row in rows.items():
        data = (current_dir(built) / DUMPS_DIR / name).read_bytes()
        assert row["bytes"] == len(data)
        assert row["sha256"] == hashlib.sha256(data).hexdigest()
        same_as = len(list(graph.triples((None, OWL.sameAs, None))))
        assert row["triples"] == (same_as if name == "links.nt.gz" else len(graph))


@pytest.mark.parametrize("name", sorted(RAPPER_SYNTAX))
def test_rapper_reads_every_triple_of_the_gzipped_dump(built: Settings, tmp_path: Path, name: str):
    rapper = require_tool("rapper")
    plain = tmp_path / name.removesuffix(".gz")
    plain.write_bytes(gzip.decompress((current_dir(built) / DUMPS_DIR / name).read_bytes()))
    done = subprocess.run([rapper, "-i", RAPPER_SYNTAX[name], "-c", str(plain)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    count = len(store_graph(built))
    assert f"returned {count} triples" in done.stderr
    assert index_rows(built)[name]["triples"] == count


def test_pyld_reads_every_triple_of_the_jsonld_dump(built: Settings):
    document = json.loads(gzip.decompress((current_dir(built) / DUMPS_DIR / "catalogue.jsonld.gz").read_bytes()))
    quads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    lines = {line for line in quads.splitlines() if line.strip()}
    assert len(lines) == len(store_graph(built)) == index_rows(built)["catalogue.jsonld.gz"]["triples"]


def test_the_loaded_copy_is_not_left_in_the_version(built: Settings):
    assert not (current_dir(built) / LOADED_COPY).exists()
    assert not (current_dir(built) / (DUMPS_DIR + ".partial")).exists()


def test_every_new_version_has_its_own_dumps(tmp_path: Path):
    settings = Settings(**store_settings(tmp_path), base="http://example.org/", rejects=str(tmp_path / "r.jsonl"), workers=1)
    assert build([DATA], settings, now="2026-01-01T00:00:00Z").exit_code == 0
    first = current_dir(settings)
    extra = tmp_path / "more.jsonl"
    extra.write_text(json.dumps({"id": "extra-talk", "title": "Un exposé de plus", "speakers": "DUPONT Jean - LIRSA-CNAM"}) + "\n")
    assert build([extra], settings, now="2026-02-01T00:00:00Z").exit_code == 0
    second = current_dir(settings)
    assert second != first
    before, after = read_index(first), read_index(second)
    assert len(before) == len(after) == 4  # three formats of the graph, and its links
    assert after[0].triples > before[0].triples
    assert after[0].triples == len(store_graph(settings))


KILL_WHILE_DUMPING = textwrap.dedent(
    """
    import json, os, signal, sys
    from publisher import dumps
    from publisher.build import build
    from publisher.settings import Settings

    compress_all = dumps._compress_all

    def killed_midway(plain, work):
        compress_all(plain, work)  # the files are written; the index and the rename are not
        os.kill(os.getpid(), signal.SIGKILL)

    dumps._compress_all = killed_midway
    build([sys.argv[1]], Settings(**json.loads(sys.argv[2])))
    """
)


def test_a_build_killed_while_dumping_leaves_the_previous_version_whole(tmp_path: Path):
    """The dumps are written before the switch: a kill while dumping leaves the previous version
    answering with its own dumps (never a version without them), and the next build publishes."""
    settings = Settings(**store_settings(tmp_path), base="http://example.org/", rejects=str(tmp_path / "r.jsonl"), workers=1)
    assert build([DATA], settings).exit_code == 0
    before = current_dir(settings)
    done = subprocess.run(
        [sys.executable, "-c", KILL_WHILE_DUMPING, str(DATA), json.dumps(asdict(settings))],
        capture_output=True, timeout=120, env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert current_dir(settings) == before and len(read_index(before)) == 4
    partial = [p for p in before.parent.iterdir() if (p / (DUMPS_DIR + ".partial")).is_dir()]
    assert len(partial) == 1 and partial[0] != before  # it died where it was meant to, in the version it was building
    assert build([DATA], settings).exit_code == 0
    assert current_dir(settings) != before and len(read_index(current_dir(settings))) == 4


def test_a_statement_loaded_twice_is_dumped_once(tmp_path: Path):
    writer = VersionWriter(tmp_path / "v")
    triple = '<http://example.org/a> <http://example.org/p> "x" .\n'
    writer.load(triple)
    writer.load(triple)  # the store keeps one; the text it was loaded from holds two
    writer.finish(Manifest(version="v", created="2026-01-01T00:00:00Z", base="http://example.org/"))
    files = write_dumps(PublishedVersion(writer.path))
    assert [f.triples for f in files] == [1, 1, 1, 0]  # the three formats, and the links: none
    assert gzip.decompress((tmp_path / "v" / DUMPS_DIR / "catalogue.nt.gz").read_bytes()).count(b"\n") == 1
    writer.abort()
