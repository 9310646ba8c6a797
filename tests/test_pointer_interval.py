"""--pointer-interval: a web process on a remote store asks the store which version is current at
most once per interval, and a republish reaches it within the interval; the embedded store's
pointer is read at every request. (The store stopping and coming back, with the default interval:
tests/test_store_down.py.)
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from publisher.build import build
from tests.conftest import DATA, LiveServer, serve

INTERVAL = 0.5
SLACK = 1.0  # seconds for the request that sees the change to be answered, on a busy machine
RETITLED = "L’innovation publique, dix ans après"


def retitled(directory: Path) -> Path:
    first = json.loads((DATA / "videos.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["id"] == "innovation-publique"
    path = directory / "retitled.jsonl"
    path.write_text(json.dumps({**first, "title": RETITLED}, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def title_shown(live: LiveServer) -> bool:
    reply = live.get("/video/innovation-publique", "text/turtle")
    assert reply.status == 200, reply.body[:300]
    return RETITLED in reply.text


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[LiveServer, list[float]]]:
    """The sample data served with a short interval, and when the app asked the store for its pointer."""
    for live in serve(tmp_path, [DATA], pointer_interval=INTERVAL):
        asked = count_pointer_reads(live, monkeypatch)
        yield live, asked


def count_pointer_reads(live: LiveServer, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """When the app asks the store for its pointer, from now on (the store still answers)."""
    store = live.app.extensions["publisher.versions"].store
    asked: list[float] = []
    ask = store.pointer

    def counted() -> str | None:
        asked.append(time.monotonic())
        return ask()  # type: ignore[no-any-return]

    monkeypatch.setattr(store, "pointer", counted)
    return asked


@pytest.mark.backends("oxigraph", "virtuoso")
def test_the_store_is_asked_at_most_once_per_interval(server: tuple[LiveServer, list[float]]) -> None:
    live, asked = server
    stop = time.monotonic() + 4 * INTERVAL
    answered: list[int] = []

    def read() -> None:
        while time.monotonic() < stop:
            answered.append(live.get("/video/innovation-publique", "text/turtle").status)

    readers = [threading.Thread(target=read) for _ in range(4)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()

    assert set(answered) == {200} and len(answered) > 8
    assert 2 <= len(asked) <= 4 + 1, (len(asked), len(answered))
    gaps = [later - earlier for earlier, later in zip(asked, asked[1:], strict=False)]
    assert min(gaps) >= INTERVAL - 0.01, gaps


@pytest.mark.backends("oxigraph", "virtuoso")
def test_a_republish_is_seen_within_the_interval(server: tuple[LiveServer, list[float]], tmp_path: Path) -> None:
    live, asked = server
    assert not title_shown(live)
    report = build([retitled(tmp_path)], live.settings)
    switched = time.monotonic()  # the pointer was switched just before the build returned
    assert report.exit_code == 0 and report.version is not None
    while not title_shown(live):
        assert time.monotonic() - switched < INTERVAL + SLACK, "the republish was not seen within the interval"
        time.sleep(0.02)
    assert live.app.extensions["publisher.versions"].current().id == report.version
    since = [t for t in asked if t >= switched]
    assert len(since) <= (time.monotonic() - switched) / INTERVAL + 1, since


@pytest.mark.embedded_only
def test_the_embedded_store_is_read_at_every_request(tmp_path: Path) -> None:
    for live in serve(tmp_path, [DATA], pointer_interval=60):
        assert not title_shown(live)
        assert build([retitled(tmp_path)], live.settings).exit_code == 0
        assert title_shown(live)
