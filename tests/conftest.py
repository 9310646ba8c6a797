"""Shared fixtures: settings on a throwaway store, the CLI runner, graphs read back from a store."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from publisher.querying import DUMP_FORMATS, published
from publisher.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
BASE = "http://example.org/"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(store=str(tmp_path / "store"), base=BASE, rejects=str(tmp_path / "rejects.jsonl"), workers=1)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def store_graph(settings: Settings) -> Graph:
    """The union of the published graphs, as rdflib reads our N-Triples dump."""
    out = io.BytesIO()
    published(settings).dump(out, DUMP_FORMATS["nt"])
    return Graph().parse(data=out.getvalue(), format="nt")


def require_tool(name: str) -> str:
    """A tool the suite needs: missing fails under CI=true, else skips with the install command."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed: apt-get install -y raptor2-utils"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path
