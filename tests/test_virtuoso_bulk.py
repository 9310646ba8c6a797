"""Virtuoso's bulk loader (--store-bulk-dir, --store-sql): the same graph as Graph Store posts,
published as atomically, its errors named with their fix. On a real Virtuoso
(PUBLISHER_TEST_STORE=virtuoso) only."""

from __future__ import annotations

import gzip
import io
import os
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from publisher.build import build
from publisher.demo import write_demo_data
from publisher.errors import StoreUnavailable, UsageError
from publisher.querying import DUMP_FORMATS, published
from publisher.settings import Settings
from publisher.store import open_store, virtuoso_bulk
from publisher.store.remote import LOADING, RemoteStore

from . import test_remote_store as contract
from .conftest import DATA, remote_server
from .test_remote_store import catalogues, store_graphs, version_dirs  # noqa: F401  (a fixture)

pytestmark = pytest.mark.backends("virtuoso")
NOW = "2026-01-01T00:00:00Z"


def with_bulk(settings: Settings, directory: Path | None = None, loaders: int = 1) -> Settings:
    """`settings` loading by Virtuoso's bulk loader, from a directory inside its DirsAllowed."""
    server = remote_server()
    bulk = directory or server.directory / "bulk" / settings.store_name
    return replace(settings, store_bulk_dir=str(bulk), store_sql=f"127.0.0.1:{server.sql_port}",
                   store_bulk_loaders=loaders)


@pytest.fixture
def bulk(settings: Settings) -> Settings:
    return with_bulk(settings)


def statements(settings: Settings) -> list[str]:
    """The published version's statements, one N-Triples line each, sorted."""
    out = io.BytesIO()
    published(settings).dump(out, DUMP_FORMATS["nt"])
    return sorted(line for line in out.getvalue().decode("utf-8").splitlines() if line.strip())


def test_the_bulk_loader_publishes_the_graph_graph_store_posts_publish(settings: Settings, tmp_path: Path):
    posted = replace(settings, store_name=settings.store_name + "-posted", store_files=str(tmp_path / "posted"))
    loaded = with_bulk(replace(settings, store_name=settings.store_name + "-loaded", store_files=str(tmp_path / "loaded")))
    assert build([DATA], posted, now=NOW).exit_code == 0
    assert build([DATA], loaded, now=NOW).exit_code == 0
    assert isomorphic(Graph().parse(data="\n".join(statements(posted)), format="nt"),
                      Graph().parse(data="\n".join(statements(loaded)), format="nt"))


def test_a_larger_catalogue_in_many_parts_and_loaders_is_the_same_statements(
        settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    write_demo_data(tmp_path / "catalogue", 1500, seed=3)
    posted = replace(settings, store_name=settings.store_name + "-posted", store_files=str(tmp_path / "posted"), workers=2)
    loaded = with_bulk(replace(posted, store_name=settings.store_name + "-loaded", store_files=str(tmp_path / "loaded")),
                       loaders=2)
    monkeypatch.setattr(virtuoso_bulk, "PART_BYTES", 256 << 10)  # about 25 parts, two loaders at once
    assert build([tmp_path / "catalogue"], posted, now=NOW).exit_code == 0
    report = build([tmp_path / "catalogue"], loaded, now=NOW)
    assert report.exit_code == 0
    posted_lines, loaded_lines = statements(posted), statements(loaded)
    assert len(loaded_lines) == report.triples > 50000
    assert loaded_lines == posted_lines
    bulk_dir = Path(loaded.store_bulk_dir)
    assert not any(bulk_dir.iterdir()), "the parts are removed once loaded"
    assert not sql(loaded).run(f"SELECT ll_file FROM DB.DBA.LOAD_LIST WHERE ll_file LIKE '{bulk_dir}/%';").strip()


def sql(settings: Settings) -> virtuoso_bulk.VirtuosoSql:
    return virtuoso_bulk.VirtuosoSql(settings.store_sql, settings.store_user, settings.store_password)


@pytest.mark.slow
def test_readers_see_the_old_version_or_the_new_one_whole(bulk: Settings, catalogues: tuple[Path, Path]):  # noqa: F811
    contract.test_readers_see_the_old_version_or_the_new_one_whole(bulk, catalogues)


@pytest.mark.slow
def test_a_build_killed_midway_leaves_the_old_version_and_the_next_build_cleans_up(
        bulk: Settings, catalogues: tuple[Path, Path]):  # noqa: F811
    contract.test_a_build_killed_midway_leaves_the_old_version_and_the_next_build_cleans_up(bulk, catalogues)
    assert not any(Path(bulk.store_bulk_dir).iterdir()), "the killed build's parts are gone too"


def test_a_part_virtuoso_cannot_load_fails_the_build_and_nothing_is_published(bulk: Settings):
    assert build([DATA], bulk).exit_code == 0
    store = open_store(bulk)
    assert isinstance(store, RemoteStore)
    before = store.pointer()
    writer = store.begin()
    stream = writer.stream()
    stream.write(b'<http://example.org/a> <http://example.org/b> "fine" .\n')
    stream.write(b'<http://example.org/a> <http://example.org/b> "never closed .\n')
    with pytest.raises(StoreUnavailable, match="bulk loader failed on .*part-00001.nt: .*SP029"):
        stream.close()
    store.abort(writer)
    assert store.pointer() == before
    assert store._pointed(LOADING) == []
    assert store_graphs(bulk) == contract.expected_graphs(bulk, {before or ""})
    assert not any(Path(bulk.store_bulk_dir).iterdir())


def test_a_wrong_sql_password_is_named_with_its_settings_and_publishes_nothing(bulk: Settings):
    assert build([DATA], bulk).exit_code == 0
    before = open_store(bulk).pointer()
    wrong = replace(bulk, store_password="not-the-password-7c2e")
    with pytest.raises(StoreUnavailable, match=r"SQL port .*\(--store-sql\) refused the user 'dba': check --store-user "
                                               "and --store-password") as raised:
        build([DATA], wrong)
    assert "not-the-password-7c2e" not in str(raised.value)
    assert open_store(bulk).pointer() == before
    assert store_graphs(bulk) == contract.expected_graphs(bulk, version_dirs(bulk))


@pytest.fixture
def outside() -> Iterator[Path]:
    """A directory outside Virtuoso's DirsAllowed. Not under /tmp, which Virtuoso reads whatever its
    ini says, nor under the checkout, which may be in /tmp (a fresh clone there)."""
    directory = Path.home() / ".cache" / "publisher-tests" / f"bulk-outside-{os.getpid()}"
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


def test_a_directory_virtuoso_may_not_read_is_named_with_the_fix(settings: Settings, outside: Path):
    assert build([DATA], settings).exit_code == 0
    before = open_store(settings).pointer()
    with pytest.raises(StoreUnavailable, match=rf"Virtuoso may not read --store-bulk-dir {outside} \(FA003\): add it "
                                               "to DirsAllowed"):
        build([DATA], with_bulk(settings, outside))
    assert open_store(settings).pointer() == before
    assert store_graphs(settings) == contract.expected_graphs(settings, version_dirs(settings))


def test_the_bulk_settings_go_together_and_with_virtuoso(settings: Settings, tmp_path: Path):
    with pytest.raises(UsageError, match="--store-bulk-dir and --store-sql go together"):
        replace(settings, store_bulk_dir=str(tmp_path))
    with pytest.raises(UsageError, match="HOST:PORT"):
        open_store(replace(settings, store_bulk_dir=str(tmp_path), store_sql="1111"))
    oxigraph = replace(settings, store="oxigraph+http://127.0.0.1:9/", store_bulk_dir=str(tmp_path), store_sql="h:1")
    with pytest.raises(UsageError, match="Virtuoso's bulk loader"):
        open_store(oxigraph)


def test_the_dumps_of_a_bulk_loaded_version_are_its_statements(bulk: Settings):
    version_id = build([DATA], bulk, now=NOW).version
    dump = Path(bulk.store_files) / "versions" / str(version_id) / "dumps" / "catalogue.nt.gz"
    lines = sorted(line for line in gzip.decompress(dump.read_bytes()).decode("utf-8").splitlines() if line.strip())
    assert lines == statements(bulk)
