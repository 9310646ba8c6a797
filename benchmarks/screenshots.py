"""Screenshots of the web pages, taken by headless Chromium (Debian `chromium`).

Builds data/ into a temporary store published under http://127.0.0.1:PORT/ (a free port),
runs `publisher serve` on that port, checks that each page answers 200 and loads nothing
from another host, and writes a 1280x900 PNG of each to docs/screenshots/.

The query UI is used before its picture is taken: a question of the library is run in it
and the shot shows its result table (Chromium driven over the DevTools protocol, benchmarks/browser.py).

    .venv/bin/python benchmarks/screenshots.py [--out docs/screenshots] [--data data]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

try:
    from benchmarks.browser import Browser, BrowserError, Page, foreign_requests
except ModuleNotFoundError:  # run as a script: benchmarks/ itself is on the path
    from browser import Browser, BrowserError, Page, foreign_requests  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
OUT = ROOT / "docs" / "screenshots"
WIDTH, HEIGHT = 1280, 900
INSTALL = "apt-get install -y chromium"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# file name (without .png) -> path under the base
PAGES: dict[str, str] = {
    "video": "video/portrait-alain-burlaud",
    "person": "person/rival-madina",
    "organization": "organization/lirsa-cnam",
    "theme": "theme/innovation-publique",
    "dataset": "dataset",
    "stats": "dataset/stats",
}

# file name (without .png) -> (path of the query UI, the question of queries/ run in it)
RUNS: dict[str, tuple[str, str]] = {
    "query-ui": ("sparql", "speakers-of-institution"),
}

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    f"--window-size={WIDTH},{HEIGHT}", "--virtual-time-budget=5000",
]

# (tag, attribute) pairs whose URL the browser loads while rendering the page
_LOADED = {
    ("script", "src"), ("img", "src"), ("img", "srcset"), ("source", "src"), ("source", "srcset"),
    ("iframe", "src"), ("video", "src"), ("video", "poster"), ("audio", "src"), ("embed", "src"),
    ("object", "data"), ("image", "href"), ("use", "href"), ("input", "src"),
}
_LOADED_LINKS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "apple-touch-icon"}


class ScreenshotError(Exception):
    """Why the screenshots could not be taken; main() prints it and exits 1."""


def find_chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        raise ScreenshotError(f"chromium is not installed: {INSTALL}")
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def build_store(data: Path, store: Path, base: str) -> None:
    command = [
        sys.executable, "-m", "publisher", "build", str(data), "--full", "--store", str(store), "--base", base,
        "--rejects", str(store.parent / "rejects.jsonl"), "--workers", "1", "--quiet",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ScreenshotError(f"publisher build {data} failed ({done.returncode}):\n{done.stderr[-2000:]}")


def get(url: str, timeout: float = 10) -> tuple[int, str]:
    """Status and body of a GET asking for HTML."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=timeout)
    try:
        connection.request("GET", parts.path or "/", headers={"Accept": "text/html"})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", errors="replace")
    finally:
        connection.close()


def wait_until_answering(url: str, server: subprocess.Popen[bytes], log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if server.poll() is not None:
            raise ScreenshotError(f"publisher serve exited ({server.returncode}):\n{log.read_text(errors='replace')[-2000:]}")
        try:
            get(url, timeout=2)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise ScreenshotError(f"publisher serve did not answer at {url} within {seconds:.0f} s") from None
            time.sleep(0.1)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextmanager
def serving(store: Path, port: int) -> Iterator[str]:
    """`publisher serve` on 127.0.0.1:port over store, as a subprocess; yields its base URL."""
    base = f"http://127.0.0.1:{port}/"
    log = store.parent / "serve.log"
    command = [sys.executable, "-m", "publisher", "serve", "--store", str(store), "--base", base, "--port", str(port)]
    with log.open("wb") as output:
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until_answering(base, server, log)
        yield base
    finally:
        stop(server)


class _LoadedURLs(HTMLParser):
    """The URLs an HTML page makes the browser load: scripts, styles, images, frames, media."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value}
        if tag == "link":
            if _LOADED_LINKS & set(values.get("rel", "").lower().split()) and "href" in values:
                self.urls.append(values["href"])
            return
        for name, value in values.items():
            if (tag, name) in _LOADED or (tag, name.split(":")[-1]) in _LOADED:
                self.urls.extend(_srcset(value) if name.endswith("srcset") else [value])


def _srcset(value: str) -> list[str]:
    return [candidate.strip().split()[0] for candidate in value.split(",") if candidate.strip()]


def foreign_resources(html: str, page_url: str) -> list[str]:
    """The resources the page loads from anywhere but 127.0.0.1."""
    parser = _LoadedURLs()
    parser.feed(html)
    parser.close()
    resolved = (urljoin(page_url, url) for url in parser.urls)
    return [url for url in resolved if urlsplit(url).scheme in ("http", "https") and urlsplit(url).hostname != "127.0.0.1"]


def check_page(url: str) -> None:
    status, html = get(url)
    if status != 200:
        raise ScreenshotError(f"{url} answered {status}, not 200")
    foreign = foreign_resources(html, url)
    if foreign:
        raise ScreenshotError(f"{url} loads resources from outside 127.0.0.1: {', '.join(foreign)}")


def capture(chromium: str, url: str, out: Path, timeout: float = 90) -> None:
    """A WIDTH x HEIGHT PNG of url, by a headless Chromium with a fresh profile."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        command = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--screenshot={out}", url]
        browser = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, errors = browser.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(browser.pid, signal.SIGKILL)
            browser.communicate()
            raise ScreenshotError(f"chromium took more than {timeout:.0f} s on {url}") from None
    if browser.returncode != 0 or not out.is_file():
        raise ScreenshotError(f"chromium failed on {url} ({browser.returncode}):\n{errors.decode(errors='replace')[-2000:]}")
    check_png(out)


# The query UI's active tab panel, and what its result table shows (header, then cell texts by row).
PANEL = "document.getElementById(document.querySelector('.tabsList .tab.active a').getAttribute('aria-controls'))"
TABLE = f"""(() => {{
  const table = {PANEL}.querySelector('.yasr_results table');
  const rows = table ? [...table.querySelectorAll('tbody tr')].filter(r => !r.querySelector('.dt-empty')) : [];
  return rows.length > 0 && {{
    head: [...table.querySelectorAll('thead th')].map(th => th.innerText.trim()),
    rows: rows.map(r => [...r.querySelectorAll('td')].map(td => td.innerText.trim())),
  }};
}})()"""


def run_tab(page: Page, title: str) -> dict[str, list[Any]]:
    """Select the query UI's tab called title, press its run button, and return the result table."""
    found = page.evaluate(f"""(() => {{
      const tabs = [...document.querySelectorAll('.tabsList .tab a')];
      const tab = tabs.find(a => a.querySelector('span').textContent === {json.dumps(title)});
      return tab !== undefined && (tab.click(), true);
    }})()""")
    if not found:
        raise BrowserError(f"the query UI has no tab {title!r}")
    page.evaluate(f"{PANEL}.querySelector('.yasqe_queryButton').click()")
    return page.wait_for(TABLE)  # type: ignore[no-any-return]


def capture_run(chromium: str, url: str, question: str, out: Path) -> None:
    """A WIDTH x HEIGHT PNG of the query UI at url once the library's question has been run in it."""
    from publisher.named_queries import load_queries

    try:
        with Browser(chromium, WIDTH, HEIGHT) as browser:
            page = browser.open(url)
            run_tab(page, load_queries()[question].title)
            foreign = foreign_requests(page.requests)
            if foreign:
                raise ScreenshotError(f"{url} asked for resources outside 127.0.0.1: {', '.join(foreign)}")
            page.evaluate("document.activeElement.blur()")  # no blinking caret in the picture
            page.screenshot(out)
    except BrowserError as failure:
        raise ScreenshotError(f"chromium on {url}: {failure}") from None
    check_png(out)


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk."""
    head = path.read_bytes()[:24]
    if head[:8] != PNG_SIGNATURE or head[12:16] != b"IHDR":
        raise ScreenshotError(f"{path} is not a PNG")
    width, height = struct.unpack(">II", head[16:24])
    return int(width), int(height)


def check_png(path: Path) -> None:
    size = png_size(path)
    if size != (WIDTH, HEIGHT):
        raise ScreenshotError(f"{path} is {size[0]}x{size[1]}, not {WIDTH}x{HEIGHT}")


def take_screenshots(out_dir: Path, pages: Mapping[str, str] = PAGES, data: Path = DATA,
                     runs: Mapping[str, tuple[str, str]] = RUNS) -> dict[str, Path]:
    """Build data into a temporary store, serve it, and write out_dir/{name}.png for each page and run."""
    chromium = find_chromium()
    with tempfile.TemporaryDirectory(prefix="screenshots-") as scratch:
        port = free_port()
        store = Path(scratch) / "store"
        build_store(data, store, f"http://127.0.0.1:{port}/")
        with serving(store, port) as base:
            shots: dict[str, Path] = {}
            for name, path in pages.items():
                url = base + path
                check_page(url)
                shots[name] = out_dir / f"{name}.png"
                capture(chromium, url, shots[name])
            for name, (path, question) in runs.items():
                url = base + path
                check_page(url)
                shots[name] = out_dir / f"{name}.png"
                capture_run(chromium, url, question, shots[name])
            return shots


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=OUT, help="directory to write the PNGs into")
    parser.add_argument("--data", type=Path, default=DATA, help="records and authority files to publish")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        shots = take_screenshots(args.out, data=args.data)
    except ScreenshotError as failure:
        print(f"screenshots: {failure}", file=sys.stderr)
        return 1
    for name, path in shots.items():
        shown = PAGES.get(name) or " ".join(RUNS[name])
        print(f"{name:<13} {shown:<32} {path} ({path.stat().st_size // 1024} kB)")
    print(f"{len(shots)} screenshots in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
