"""benchmarks/screenshots.py: real Chromium screenshots of the served pages, and its checks."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest

from benchmarks.screenshots import (
    HEIGHT,
    INSTALL,
    WIDTH,
    ScreenshotError,
    capture,
    find_chromium,
    foreign_resources,
    take_screenshots,
)


def chromium_or_skip() -> str:
    """Chromium's path: missing fails under CI=true, else skips, with the install command."""
    try:
        return find_chromium()
    except ScreenshotError as missing:
        if os.environ.get("CI") == "true":
            pytest.fail(str(missing))
        pytest.skip(str(missing))


def ihdr(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    length, kind = struct.unpack(">I4s", png[8:16])
    assert (length, kind) == (13, b"IHDR")
    width, height = struct.unpack(">II", png[16:24])
    return width, height


@pytest.mark.slow
def test_the_video_page_screenshot_is_a_real_picture_of_the_page(tmp_path: Path) -> None:
    chromium = chromium_or_skip()
    shots = take_screenshots(tmp_path / "shots", {"video": "video/portrait-alain-burlaud"})
    png = shots["video"].read_bytes()
    assert ihdr(png) == (WIDTH, HEIGHT)
    assert len(png) > 10_000

    blank = tmp_path / "blank.png"  # what Chromium writes for a page with nothing on it
    capture(chromium, "about:blank", blank)
    assert ihdr(blank.read_bytes()) == (WIDTH, HEIGHT)
    assert len(png) > 5 * blank.stat().st_size, "the page looks empty"


def test_a_missing_chromium_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(ScreenshotError, match=INSTALL):
        find_chromium()
    assert INSTALL == "apt-get install -y chromium"


def test_only_what_the_page_loads_from_another_host_counts() -> None:
    page = "http://127.0.0.1:5000/video/x"
    html = """<html><head>
      <link rel="stylesheet" href="/static/style.css">
      <link rel="canonical" href="http://example.org/video/x">
      <link rel="alternate" type="text/turtle" href="https://example.org/video/x.ttl">
      <link rel="icon" href="https://cdn.example.net/favicon.ico">
      <script src="//cdn.example.net/app.js"></script>
      <script type="application/ld+json">{"@context": "https://schema.org/"}</script>
    </head><body>
      <a href="https://creativecommons.org/licenses/by/4.0/">licence</a>
      <img src="thumb.png" srcset="small.png 1x, https://img.example.com/big.png 2x">
      <img src="http://127.0.0.1:5000/static/logo.png">
      <svg><image href="https://img.example.com/chart.png"/></svg>
    </body></html>"""
    assert foreign_resources(html, page) == [
        "https://cdn.example.net/favicon.ico",
        "http://cdn.example.net/app.js",
        "https://img.example.com/big.png",
        "https://img.example.com/chart.png",
    ]
    assert foreign_resources('<link rel="stylesheet" href="/static/style.css"><img src="a.png">', page) == []
