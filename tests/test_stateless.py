"""Two gunicorn processes serving one store (whichever PUBLISHER_TEST_STORE selects) answer
identically, before and after a republish; and readers polling both while `publisher build` runs
in a process of its own only ever get an answer that is wholly the old version's or wholly the
new one's, never a mix, whichever process answers.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from publisher.build import build
from publisher.settings import SETTINGS, Settings
from tests.conftest import BASE, DATA, LiveServer, Reply, store_settings
from tests.services import free_port

pytestmark = pytest.mark.slow

SOLUTIONS = """PREFIX schema: <http://schema.org/>
SELECT ?video ?title ?name WHERE { ?video a schema:VideoObject ; schema:name ?title ; schema:creator/schema:name ?name }
ORDER BY ?video ?title ?name"""
GRAPH = "CONSTRUCT { ?p ?q ?o } WHERE { ?p a <http://schema.org/Person> ; ?q ?o }"
RECONCILE = urlencode({"queries": json.dumps({"q0": {"query": "innovation publique", "type": "VideoObject"}})})
PROBES: list[tuple[str, str | None]] = [  # (path, Accept): pages, RDF, SPARQL, the questions, OAI, reconcile, the feed
    ("/video/innovation-publique", "text/html"),
    ("/video/innovation-publique.ttl", None),
    ("/person/rival-madina", "application/ld+json"),
    ("/person/rival-madina", "text/html"),
    ("/video/", "text/html"),
    ("/sparql?query=" + quote(SOLUTIONS), "text/csv"),
    ("/sparql?query=" + quote(GRAPH), "application/n-triples"),
    ("/api/queries/talks-of-person?person=person/rival-madina", "application/sparql-results+json"),
    ("/oai?verb=ListRecords&metadataPrefix=oai_dc", None),
    ("/oai?verb=GetRecord&metadataPrefix=marcxml&identifier=oai:example.org:innovation-publique", None),
    ("/reconcile?" + RECONCILE, None),
    ("/changes/page/1", None),
    ("/dataset", "text/turtle"),
    ("/sitemap.xml", None),
]
_RESPONSE_DATE = re.compile(rb"<responseDate>[^<]*</responseDate>")  # OAI-PMH's clock: the one part that is not data


@dataclass(frozen=True)
class Answer:
    status: int
    etag: str | None
    body: bytes


@dataclass
class Cluster:
    settings: Settings
    servers: list[LiveServer]
    environment: dict[str, str]
    directory: Path


def answer_of(reply: Reply) -> Answer:
    return Answer(reply.status, reply.headers.get("ETag"), _RESPONSE_DATE.sub(b"", reply.body))


def snapshot(server: LiveServer) -> dict[tuple[str, str | None], Answer]:
    return {(path, accept): answer_of(server.get(path, accept)) for path, accept in PROBES}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    directory = tmp_path_factory.mktemp("stateless")
    settings = Settings(**store_settings(directory), base=BASE, rejects=str(directory / "rejects.jsonl"), workers=1)
    build([DATA], settings, now="2026-01-01T00:00:00Z")
    environment = {**os.environ, **{s.env: str(getattr(settings, s.name)) for s in SETTINGS}}
    processes, servers = [], []
    try:
        for _ in range(2):  # two gunicorn masters, one worker each, on ports of their own
            port = free_port()
            with (directory / f"gunicorn-{port}.log").open("wb") as log:
                processes.append(subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "--workers", "1", "--worker-class", "gthread", "--threads", "4",
                     "--bind", f"127.0.0.1:{port}", "--timeout", "90", "--no-control-socket", "publisher.web:create_app()"],
                    env=environment, stdout=log, stderr=subprocess.STDOUT))
            servers.append(LiveServer(f"http://127.0.0.1:{port}/", settings, None))  # type: ignore[arg-type]
        for server, process in zip(servers, processes, strict=True):
            _wait_until_serving(server, process)
        yield Cluster(settings, servers, environment, directory)
    finally:
        for process in processes:
            process.terminate()
            process.wait(30)


def _wait_until_serving(server: LiveServer, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, f"gunicorn exited with {process.returncode}"
        try:
            if server.get("/robots.txt").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer on {server.url}")


def changes(directory: Path) -> Path:
    """A retitled talk, and a new talk by the same speaker: pages, RDF, answers and feeds all change."""
    first = json.loads((DATA / "videos.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["id"] == "innovation-publique"
    retitled = {**first, "title": "L’innovation publique, dix ans après"}
    added = {"id": "innovation-publique-2", "title": "L’innovation publique en régions", "views": 12,
             "themes": ["Innovation publique"], "speakers": [{"name": "RIVAL Madina", "institution": "LIRSA-CNAM"}]}
    path = directory / "changes.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in (retitled, added)), encoding="utf-8")
    return path


def test_two_processes_answer_identically_and_never_a_mix_during_a_republish(cluster: Cluster) -> None:
    first, second = cluster.servers
    before = snapshot(first)
    assert all(a.status == 200 for a in before.values()), {k: a.status for k, a in before.items() if a.status != 200}
    assert snapshot(second) == before

    seen: list[tuple[tuple[str, str | None], Answer]] = []
    stop = threading.Event()

    def poll(server: LiveServer) -> None:
        while not stop.is_set():
            for path, accept in PROBES:
                try:
                    seen.append(((path, accept), answer_of(server.get(path, accept))))
                except OSError as problem:  # counted as a mixed answer: a reader must never meet one
                    seen.append(((path, accept), Answer(0, None, str(problem).encode())))

    pollers = [threading.Thread(target=poll, args=(server,), daemon=True) for server in cluster.servers]
    for poller in pollers:
        poller.start()
    try:
        built = subprocess.run([sys.executable, "-m", "publisher", "build", str(changes(cluster.directory))],
                               env=cluster.environment, capture_output=True, text=True, timeout=600)
        assert built.returncode == 0, built.stdout + built.stderr
        # Each process reads a remote store's pointer again only after --pointer-interval seconds.
        deadline = time.monotonic() + 30
        after = snapshot(first)
        while any(after[p].body == before[p].body for p in before) and time.monotonic() < deadline:
            time.sleep(0.2)
            after = snapshot(first)
        while snapshot(second) != after and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stop.set()
        for poller in pollers:
            poller.join(60)

    assert snapshot(second) == after
    assert all(a.status == 200 for a in after.values())
    changed = [probe for probe in before if before[probe].body != after[probe].body]
    assert changed == list(before), f"probes the republish did not change: {set(before) - set(changed)}"
    mixed = [(probe, answer.body[:200]) for probe, answer in seen if answer not in (before[probe], after[probe])]
    assert not mixed, mixed
    assert sum(1 for probe, answer in seen if answer == before[probe]) > 0  # polled before the switch...
    assert sum(1 for probe, answer in seen if answer == after[probe]) > 0  # ...and after it
