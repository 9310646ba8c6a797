"""Headless Chromium driven over the DevTools protocol, for pages that must be used, not only shown.

No dependency: with `--remote-debugging-pipe` Chromium reads the protocol's JSON messages,
each ended by a NUL byte, on its file descriptor 3 and writes its answers and events on 4.
The browser is told to resolve no host but 127.0.0.1, and every request a page makes is
recorded (`Page.requests`), so a test can say that nothing was asked of another host.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

LOCAL_ONLY = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--remote-debugging-pipe", LOCAL_ONLY,
]


class BrowserError(Exception):
    """Chromium failed, answered an error, or a page did not reach the state waited for."""


class Browser:
    """One headless Chromium with a fresh profile; use as a context manager."""

    def __init__(self, chromium: str, width: int, height: int, timeout: float = 30) -> None:
        self.timeout = timeout
        self.size = {"width": width, "height": height}
        self._profile = tempfile.TemporaryDirectory(prefix="chromium-profile-")
        # The pipe ends go to high close-on-exec numbers first, so that placing them on 3 and 4
        # in the child cannot overwrite one with the other; close_fds=False, because it would
        # close 3 and 4 after they are placed (Python's own descriptors are never inherited).
        to_browser, self._out = _high_pipe()
        self._in, from_browser = _high_pipe()

        def on_3_and_4() -> None:
            os.dup2(to_browser, 3)
            os.dup2(from_browser, 4)

        command = [chromium, *FLAGS, f"--window-size={width},{height}", f"--user-data-dir={self._profile.name}",
                   "about:blank"]
        self._log = Path(self._profile.name) / "chromium.log"
        with self._log.open("wb") as log:
            self._process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log,
                                             stderr=subprocess.STDOUT, close_fds=False,
                                             preexec_fn=on_3_and_4, start_new_session=True)
        os.close(to_browser)
        os.close(from_browser)
        self._messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._events: list[dict[str, Any]] = []
        self._next_id = 0
        self._reader = threading.Thread(target=self._read, name="chromium-pipe", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        pending = b""
        while chunk := os.read(self._in, 1 << 16):
            pending += chunk
            *messages, pending = pending.split(b"\0")
            for message in messages:
                self._messages.put(json.loads(message))
        self._messages.put(None)

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        """Send one command and wait for its answer; events that arrive meanwhile are kept."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self._out, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            answer = self._next(deadline, method)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error'].get('message')}")
                return answer.get("result", {})
            self._events.append(answer)

    def _next(self, deadline: float, waiting_for: str) -> dict[str, Any]:
        try:
            message = self._messages.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise BrowserError(f"chromium did not answer {waiting_for} within {self.timeout:.0f} s") from None
        if message is None:
            raise BrowserError(f"chromium exited: {self._stderr()}")
        return message

    def wait_event(self, method: str, session: str) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        seen = 0
        while True:
            for event in self._events[seen:]:
                if event.get("method") == method and event.get("sessionId") == session:
                    return event
            seen = len(self._events)
            self._events.append(self._next(deadline, method))

    def events(self, method: str, session: str) -> list[dict[str, Any]]:
        return [e for e in self._events if e.get("method") == method and e.get("sessionId") == session]

    def open(self, url: str) -> Page:
        """A new tab showing url, once its load event has fired."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        self.send("Network.enable", session=session)
        self.send("Page.enable", session=session)
        # The window's size leaves less to the page than --screenshot gets: set the page's own.
        self.send("Emulation.setDeviceMetricsOverride", {**self.size, "deviceScaleFactor": 1, "mobile": False},
                  session=session)
        self.send("Page.navigate", {"url": url}, session=session)
        self.wait_event("Page.loadEventFired", session)
        return page

    def _stderr(self) -> str:
        return self._log.read_text(errors="replace")[-2000:]

    def close(self) -> None:
        if self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGTERM)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()
        self._reader.join(timeout=10)  # it ends at the pipe's end; only then may its descriptor close
        os.close(self._out)
        os.close(self._in)
        self._profile.cleanup()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Page:
    def __init__(self, browser: Browser, session: str) -> None:
        self.browser = browser
        self.session = session

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression (awaited when it is a promise)."""
        result = self.browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                        "awaitPromise": True}, session=self.session)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise BrowserError(f"{expression[:80]}: {details.get('exception', {}).get('description', details)}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 20) -> Any:
        """Evaluate expression until it is truthy; its value."""
        deadline = time.monotonic() + timeout
        while not (value := self.evaluate(expression)):
            if time.monotonic() > deadline:
                raise BrowserError(f"waited {timeout:.0f} s in vain for: {expression}")
            time.sleep(0.05)
        return value

    def type(self, text: str) -> None:
        """Key presses, one a character, in the element that has the focus."""
        for char in text:
            self.browser.send("Input.dispatchKeyEvent", {"type": "keyDown", "text": char, "key": char}, session=self.session)
            self.browser.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": char}, session=self.session)

    @property
    def requests(self) -> list[str]:
        """Every URL the page has asked for so far (its own navigation included)."""
        return [e["params"]["request"]["url"] for e in self.browser.events("Network.requestWillBeSent", self.session)]

    def screenshot(self, out: Path) -> None:
        shot = self.browser.send("Page.captureScreenshot", {"format": "png"}, session=self.session)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(base64.b64decode(shot["data"]))


def foreign_requests(urls: list[str]) -> list[str]:
    """The requests that went, or tried to go, anywhere but 127.0.0.1 (data: and blob: URLs go nowhere)."""
    return [url for url in urls if urlsplit(url).scheme not in ("data", "blob", "about")
            and urlsplit(url).hostname != "127.0.0.1"]


def _high_pipe() -> tuple[int, int]:
    read, write = os.pipe()
    ends = fcntl.fcntl(read, fcntl.F_DUPFD_CLOEXEC, 10), fcntl.fcntl(write, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(read)
    os.close(write)
    return ends
