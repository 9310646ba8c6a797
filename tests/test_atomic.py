"""A build killed with SIGKILL midway leaves the published version answering, whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from publisher.build import build
from publisher.demo import write_demo_data
from publisher.querying import run_query
from publisher.settings import Settings

COUNT = "SELECT (COUNT(?v) AS ?n) WHERE { ?v a <http://schema.org/VideoObject> }"


def video_count(settings: Settings) -> int:
    return int(next(iter(run_query(settings, COUNT)))["n"].value)


def test_sigkill_midway_leaves_the_previous_version_whole(tmp_path: Path):
    settings = Settings(store=str(tmp_path / "store"), base="http://example.org/", rejects=str(tmp_path / "r.jsonl"))
    small, large = tmp_path / "small", tmp_path / "large"
    write_demo_data(small, 200, seed=1)
    write_demo_data(large, 20000, seed=2)
    assert build([small], settings).exit_code == 0
    before = video_count(settings)
    versions = tmp_path / "store" / "versions"
    process = subprocess.Popen(
        [sys.executable, "-m", "publisher", "build", str(large), "--store", settings.store, "--quiet"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while len(list(versions.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # well inside mapping or loading: the 20k build takes several seconds
    assert process.poll() is None, "the build ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    assert video_count(settings) == before == 200
    assert build([small], settings).exit_code == 0  # the next build cleans up and publishes
    assert len(list(versions.iterdir())) == settings.keep_versions
