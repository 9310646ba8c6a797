"""A remote store that stops: every endpoint that reads the data answers 503 with Retry-After and
a sentence (in the client's format), nothing of the failure is kept, and the same web process
answers again once the store is back, without a restart.

The store is a server of this module's own (Virtuoso under PUBLISHER_TEST_STORE=virtuoso, else an
Oxigraph server), since stopping the session's would stop every other test.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from werkzeug.serving import make_server

from publisher.settings import Settings
from publisher.web import create_app
from publisher.web.errors import STORE_UNAVAILABLE
from tests import services
from tests.conftest import DATA, TEST_STORE, LiveServer, Reply, _QuietHandler, missing

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
RECONCILE = urlencode({"queries": json.dumps({"q0": {"query": "RIVAL Madina", "type": "Person"}})})
TURTLE, JSON, HTML = "text/turtle", "application/json", "text/html"

# Every route of the app, with a request that reads the published data through it.
READS_THE_DATA: dict[str, list[tuple[str, str | None]]] = {
    "resources.video": [("/video/innovation-publique", HTML), ("/video/innovation-publique", TURTLE),
                        ("/video/innovation-publique.jsonld", None)],
    "resources.person": [("/person/rival-madina", HTML), ("/person/rival-madina.nt", None)],
    "resources.organization": [("/organization/lirsa-cnam", HTML)],
    "resources.theme": [("/theme/innovation-publique", HTML)],
    "resources.scheme": [("/theme/", TURTLE)],
    "resources.ontology": [("/ontology.ttl", None)],
    "resources.videos": [("/video/", HTML)],
    "resources.people": [("/person/", HTML)],
    "resources.organizations": [("/organization/", HTML)],
    "resources.search": [("/search?q=innovation", HTML)],
    "resources.home": [("/", HTML)],
    "dataset.dataset": [("/dataset", TURTLE), ("/dataset.html", None)],
    "dataset.dump": [("/dumps/catalogue.nt.gz", None)],
    "dataset.sitemap_index": [("/sitemap.xml", None)],
    "dataset.sitemap_part": [("/sitemap-1.xml", None)],  # a 404 while up: the sample data fits in the index
    "dataset.statistics": [("/dataset/stats", HTML)],
    "dataset.robots": [("/robots.txt", None)],
    "sparql.endpoint": [("/sparql?query=" + quote(COUNT), "text/csv"), ("/sparql", TURTLE)],
    "api.run_query": [("/api/queries/co-speakers?person=person/burlaud-alain", JSON)],
    "reconcile.service": [("/reconcile?" + RECONCILE, None), ("/reconcile", None)],
    "reconcile.suggest_entity": [("/reconcile/suggest/entity?prefix=riv", None)],
    "reconcile.preview": [("/reconcile/preview?id=person/rival-madina", None)],
    "changes.collection": [("/changes", None)],
    "changes.page": [("/changes/page/1", None)],
    "oai.endpoint": [("/oai?verb=Identify", None), ("/oai?verb=ListRecords&metadataPrefix=oai_dc", None)],
}
POSTS = {  # routes that only take a POST: (path, JSON body)
    "reconcile.match": ("/reconcile/match", {"queries": [{"conditions": [{"matchType": "name", "propertyValue": "Rival"}]}]}),
    "reconcile.extend_10": ("/reconcile/extend", {"ids": ["person/rival-madina"], "properties": [{"id": "affiliation"}]}),
}
# What needs no published data, and answers while the store is down.
WITHOUT_THE_DATA = {
    "static": "/static/style.css", "dataset.well_known_void": "/.well-known/void",
    "api.list_queries": "/api/queries", "api.openapi": "/api/openapi.json", "api.docs": "/api",
    "reconcile.suggest_type": "/reconcile/suggest/type?prefix=Per",
    "reconcile.suggest_property": "/reconcile/suggest/property?prefix=aff", "reconcile.propose_properties": "/reconcile/properties?type=Person",
}


@pytest.fixture(scope="module")
def stoppable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, services.Server]]:
    directory = tmp_path_factory.mktemp("store-down")
    start = services.virtuoso_server if TEST_STORE == "virtuoso" else services.oxigraph_server
    if (services.virtuoso_binary() if TEST_STORE == "virtuoso" else services.oxigraph_binary()) is None:
        missing("virtuoso-t is not installed: apt-get install -y virtuoso-opensource" if TEST_STORE == "virtuoso"
                else "oxigraph is not installed: pip install -e '.[test]'")
    with start(directory / "server") as store:
        yield from _serve(directory, store)


def _serve(directory: Path, store: services.Server) -> Iterator[tuple[LiveServer, services.Server]]:
    location = {"store": store.url, "store_name": "down", "store_files": str(directory / "files"),
                "store_user": store.user, "store_password": store.password}
    app = create_app(Settings(**location))  # type: ignore[arg-type]
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    url = f"http://127.0.0.1:{server.server_port}/"
    live = LiveServer(url, Settings(**location, base=url, rejects=str(directory / "rejects.jsonl"), workers=1), app)  # type: ignore[arg-type]
    app.config["PUBLISHER_SETTINGS"] = live.settings
    live.publish(DATA, now="2026-01-01T00:00:00Z")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield live, store
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        app.extensions["publisher.query_pool"].close()


def _requests() -> Iterator[tuple[str, str, str | None, bytes | None]]:
    """(route, path, Accept, JSON body) for every request of the tables above."""
    for route, asked in READS_THE_DATA.items():
        for path, accept in asked:
            yield route, path, accept, None
    for route, (path, body) in POSTS.items():
        yield route, path, JSON, json.dumps(body).encode()


def _send(live: LiveServer, path: str, accept: str | None, body: bytes | None) -> Reply:
    headers = {"Accept": accept} if accept else {}
    if body is None:
        return live.request(path, headers)
    return live.request(path, {**headers, "Content-Type": "application/json"}, "POST", body)


def _restart(store: services.Server) -> None:
    """The same server again, on the same port and database (what an operator's restart does)."""
    store.process = subprocess.Popen(store.process.args, cwd=store.directory,  # type: ignore[arg-type]
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)


def test_every_route_is_in_a_table(stoppable: tuple[LiveServer, services.Server]) -> None:
    live, _ = stoppable
    routes = {rule.endpoint for rule in live.app.url_map.iter_rules()}
    assert routes == set(READS_THE_DATA) | set(POSTS) | set(WITHOUT_THE_DATA)


def test_503_while_the_store_is_down_then_answers_again(stoppable: tuple[LiveServer, services.Server]) -> None:
    live, store = stoppable
    healthy = {(path, accept): _send(live, path, accept, body).status for _, path, accept, body in _requests()}
    assert all(status < 500 for status in healthy.values()), {k: s for k, s in healthy.items() if s >= 500}

    store.stop()
    try:
        # A process that read the pointer just before keeps it for --pointer-interval seconds.
        deadline = time.monotonic() + live.settings.pointer_interval + 10
        while live.get("/video/innovation-publique", TURTLE).status != 503:
            assert time.monotonic() < deadline, "still answering without the store"
            time.sleep(0.05)
        for route, path, accept, body in _requests():
            reply = _send(live, path, accept, body)
            assert reply.status == 503, (route, path, reply.status, reply.body[:300])
            assert reply.headers["Retry-After"] == "5" and "no-store" in reply.headers["Cache-Control"]
            assert b"Traceback" not in reply.body and len(reply.body) < 2000
            if accept in (JSON, None) and (route.startswith(("reconcile", "changes", "api"))):
                assert json.loads(reply.body) == {"status": 503, "message": STORE_UNAVAILABLE}, route
            elif accept == HTML:
                assert reply.media_type == HTML and "try again in a few seconds" in reply.text
            elif accept == TURTLE or path.endswith(".ttl"):
                assert reply.media_type == TURTLE
        for route, path in WITHOUT_THE_DATA.items():
            assert live.get(path).status in (200, 303), route
    finally:
        _restart(store)

    deadline = time.monotonic() + 60
    while live.get("/video/innovation-publique", TURTLE).status == 503 and time.monotonic() < deadline:
        time.sleep(0.2)
    again = {(path, accept): _send(live, path, accept, body).status for _, path, accept, body in _requests()}
    assert again == healthy
