"""`publisher serve` for real: Werkzeug's server and gunicorn's workers, as subprocesses."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from publisher.cli import main
from publisher.settings import Settings
from tests.conftest import DATA


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(port: int, path: str, accept: str, seconds: float = 20) -> tuple[int, bytes]:
    deadline = time.monotonic() + seconds
    while True:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", path, headers={"Accept": accept})
            response = connection.getresponse()
            return response.status, response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
        finally:
            connection.close()


@pytest.mark.parametrize("workers", [0, 2])
def test_serve_answers_over_http(tmp_path: Path, workers: int) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    store = str(tmp_path / "store")
    built = CliRunner().invoke(main, ["build", str(DATA), "--store", store, "--base", base, "--workers", "1", "-q"])
    assert built.exit_code == 0, built.output
    command = [sys.executable, "-m", "publisher", "serve", "--store", store, "--port", str(port), "--workers", str(workers)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        status, body = wait_for(port, "/video/innovation-publique", "text/turtle")
        assert status == 200 and f"<{base}video/innovation-publique>".encode() in body
        status, body = wait_for(port, "/", "text/html")
        assert status == 200 and b"/video/" in body
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def test_serve_refuses_a_base_the_store_was_not_published_under(settings: Settings) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(DATA), "--store", settings.store, "--base", settings.base, "-q"]).exit_code == 0
    refused = runner.invoke(main, ["serve", "--store", settings.store, "--base", "http://elsewhere.org/"])
    assert refused.exit_code == 2
    assert "published with the base" in refused.output
