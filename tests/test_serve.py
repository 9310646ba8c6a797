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
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner

from publisher.cli import main
from publisher.settings import Settings
from tests.conftest import DATA

FOREVER = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


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
    command = [sys.executable, "-m", "publisher", "serve", "--store", store, "--port", str(port), "--workers", str(workers),
               "--sparql-timeout", "2"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        status, body = wait_for(port, "/video/innovation-publique", "text/turtle")
        assert status == 200 and f"<{base}video/innovation-publique>".encode() in body
        status, body = wait_for(port, "/", "text/html")
        assert status == 200 and b"/video/" in body
        count = "/sparql?" + urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s a <http://schema.org/VideoObject> }"})
        status, body = wait_for(port, count, "text/csv")
        assert status == 200 and body.split() == [b"n", b"7"]
        started = time.monotonic()
        status, body = wait_for(port, "/sparql?" + urlencode({"query": FOREVER}), "text/csv")
        assert status == 503 and b"limit" in body and 2 <= time.monotonic() - started < 6
        assert wait_for(port, count, "text/csv")[0] == 200
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def test_serve_refuses_a_base_the_store_was_not_published_under(settings: Settings) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(DATA), "--store", settings.store, "--base", settings.base, "-q"]).exit_code == 0
    refused = runner.invoke(main, ["serve", "--store", settings.store, "--base", "http://elsewhere.org/"])
    assert refused.exit_code == 2
    assert "published with the base" in refused.output
