"""Every dump format parses with a parser nobody here wrote, to the number of triples in the store."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from pyld import jsonld

from publisher.build import build
from publisher.querying import dump
from publisher.settings import Settings

from .conftest import DATA, require_tool, store_graph, store_settings

RAPPER_SYNTAX = {"nt": "ntriples", "ttl": "turtle", "rdfxml": "rdfxml"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp = tmp_path_factory.mktemp("dumps")
    settings = Settings(**store_settings(tmp), base="http://example.org/", rejects=str(tmp / "r.jsonl"), workers=1)
    assert build([DATA], settings).exit_code == 0
    return settings


def write_dump(settings: Settings, fmt: str, path: Path) -> Path:
    with path.open("wb") as out:
        dump(settings, fmt, out)
    return path


@pytest.mark.parametrize("fmt", sorted(RAPPER_SYNTAX))
def test_rapper_reads_every_triple(built: Settings, tmp_path: Path, fmt: str):
    rapper = require_tool("rapper")
    path = write_dump(built, fmt, tmp_path / f"dump.{fmt}")
    done = subprocess.run([rapper, "-i", RAPPER_SYNTAX[fmt], "-c", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert f"returned {len(store_graph(built))} triples" in done.stderr


def test_pyld_expands_jsonld_to_every_triple(built: Settings, tmp_path: Path):
    path = write_dump(built, "jsonld", tmp_path / "dump.jsonld")
    document = json.loads(path.read_text(encoding="utf-8"))
    dataset = jsonld.to_rdf(document, {"format": "application/n-quads"})
    lines = {line for line in dataset.splitlines() if line.strip()}
    assert len(lines) == len(store_graph(built))
